/* Rich-text fields (issue 14, docs/editor.md). The page arrives with a plain <textarea>
   (templates/macros/forms.html, richtext) that works as it is: plain text or simple HTML,
   cleaned by the server. This script then loads the vendored editor (Squire + DOMPurify,
   static/vendor/editor-*.min.js, one cached file) and puts a visual editor in the field's
   place: our toolbar (one tab stop, arrow keys between buttons, pressed states), a link
   dialog, tables, a paste filter for Word, LibreOffice and Google Docs, and the "Insert a
   material" dialog of pages. The editor writes its HTML back into the textarea on every
   change, so the form posts exactly what it would without JavaScript; the server's bleach
   allowlist stays the only gate for what is stored. If the editor file cannot load, the
   textarea simply stays. */
(function () {
  "use strict";
  if (window.OTRichText) { return; }
  var loading = null;
  var ALLOWED = {
    A: ["href", "title", "data-material"], IMG: ["src", "alt", "width", "height"],
    TD: ["colspan", "rowspan"], TH: ["colspan", "rowspan", "scope"], OL: ["start"]
  };
  var UNWRAP = /^(SPAN|FONT|DIV|INS|SECTION|ARTICLE|HEADER|FOOTER|MAIN|O:P|CENTER|SMALL|BIG|MARK)$/;
  var BLOCKS = "P,H2,H3,H4,LI,BLOCKQUOTE,PRE,TD,TH";
  var SAFE_URL = /^(https?:\/\/|mailto:)/i;
  var MATERIAL_ID = /^[0-9]{1,10}$/;
  var BLOCK = /^(P|H[1-6]|UL|OL|TABLE|BLOCKQUOTE|PRE|HR|DIV)$/;

  function announce(text) {
    if (window.OpenTwin && text) { window.OpenTwin.announce(text); }
  }

  function loadEditor(src) {
    if (window.OTEditor) { return Promise.resolve(); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = src;
        script.onload = resolve;
        script.onerror = function () { loading = null; reject(); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // ---- what comes in: stored text, pasted HTML -------------------------------------------

  function escapeText(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // A stored text without tags is plain text (typed with the editor off): paragraphs.
  function asHTML(value) {
    if (value.indexOf("<") !== -1) { return value; }
    return value.split(/\n\s*\n/).filter(function (p) { return p.trim(); }).map(function (p) {
      return "<p>" + escapeText(p.trim()).replace(/\n/g, "<br>") + "</p>";
    }).join("");
  }

  function unwrap(el) {
    var parent = el.parentNode;
    while (el.firstChild) { parent.insertBefore(el.firstChild, el); }
    parent.removeChild(el);
  }

  function rename(el, tag) {
    var other = document.createElement(tag);
    while (el.firstChild) { other.appendChild(el.firstChild); }
    el.parentNode.replaceChild(other, el);
    return other;
  }

  function styleOf(el) { return (el.getAttribute("style") || "").toLowerCase(); }

  // Word and LibreOffice: comments, footnote anchors and tracked deletions go; a run of
  // "mso-list" paragraphs (Word's lists are paragraphs with a bullet glyph) becomes a list.
  function wordClean(root) {
    root.querySelectorAll("del, s.msoDel, span.msoDel, .MsoCommentReference, .msocomoff," +
      " .msocomtxt, [style*='mso-element:comment'], a[href^='#_msocom'], a.sdfootnoteanc," +
      " div[id^='sdfootnote'], [style*='mso-list:ignore' i], [style*='mso-list: ignore' i]"
    ).forEach(function (el) {
      // A list's glyph is read before it goes (number or bullet), for its paragraph (Word
      // writes "mso-list:Ignore", often inside a span of the glyph's font).
      var para = el.parentNode && el.parentNode.closest ? el.parentNode.closest("p") : null;
      if (/mso-list:\s*ignore/.test(styleOf(el)) && para) {
        para.setAttribute("data-glyph", el.textContent.trim());
      }
      el.remove();
    });
    // Google Docs wraps everything in <b style="font-weight:normal" id="docs-internal-guid…">.
    root.querySelectorAll("b").forEach(function (b) {
      if (/font-weight:\s*(normal|400)/.test(styleOf(b))) { unwrap(b); }
    });
    var paras = root.querySelectorAll("p");
    var list = null, last = null;
    paras.forEach(function (p) {
      var style = styleOf(p);
      var inList = /mso-list:\s*l\d/.test(style) || /^MsoListParagraph/.test(p.className);
      if (!inList) { list = null; return; }
      var glyph = p.getAttribute("data-glyph") || "";
      if (!glyph) {
        var m = /^\s*([\u00b7\u2022\u25aa\u25cf\u2013o\u00a7-]|\(?[0-9a-zA-Z]{1,3}[.)])[\s\u00a0]+/
          .exec(p.textContent);
        if (m) { glyph = m[1]; stripLeading(p, m[0].length); }
      }
      var tag = /^\(?[0-9a-zA-Z]{1,3}[.)]$/.test(glyph) ? "OL" : "UL";
      var level = +((/level(\d)/.exec(style) || [0, 1])[1]);
      if (!list || last !== p.previousElementSibling || list.tagName !== tag) {
        list = document.createElement(tag);
        p.parentNode.insertBefore(list, p);
        list.level = level;
      }
      var li = document.createElement("li");
      while (p.firstChild) { li.appendChild(p.firstChild); }
      var target = list;
      for (var l = list.level; l < level; l += 1) {
        var parentItem = target.lastElementChild || target.appendChild(document.createElement("li"));
        var sub = parentItem.querySelector(":scope > ul, :scope > ol");
        if (!sub) { sub = parentItem.appendChild(document.createElement(tag)); }
        target = sub;
      }
      target.appendChild(li);
      last = p;
      p.remove();
      last = list;
    });
  }

  function stripLeading(el, count) {
    var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    var node;
    while (count > 0 && (node = walker.nextNode())) {
      var cut = Math.min(count, node.data.length);
      node.data = node.data.slice(cut);
      count -= cut;
    }
  }

  function sanitize(html) {
    var frag = window.OTEditor.DOMPurify.sanitize(html, {
      WHOLE_DOCUMENT: false, RETURN_DOM: true, RETURN_DOM_FRAGMENT: true, FORCE_BODY: false,
      FORBID_TAGS: ["style", "meta", "link", "title", "xml", "form", "input", "button",
        "select", "textarea", "svg", "math", "iframe", "object", "embed", "video", "audio"]
    });
    frag = frag ? document.importNode(frag, true) : document.createDocumentFragment();
    wordClean(frag);
    return frag;
  }

  // After Squire's own clean-up of a paste: only what the server keeps, in our shapes.
  function tidyPaste(frag) {
    frag.querySelectorAll("h1").forEach(function (el) { rename(el, "h2"); });
    frag.querySelectorAll("h5, h6").forEach(function (el) { rename(el, "h3"); });
    var dropped = 0;
    frag.querySelectorAll("img").forEach(function (img) {
      var src = img.getAttribute("src") || "";
      if (!/^\/files\/\d+/.test(src)) { img.remove(); dropped += 1; }
    });
    Array.prototype.slice.call(frag.querySelectorAll("*")).reverse().forEach(function (el) {
      if (UNWRAP.test(el.tagName)) { unwrap(el); return; }
      var keep = ALLOWED[el.tagName] || [];
      Array.prototype.slice.call(el.attributes).forEach(function (attr) {
        if (keep.indexOf(attr.name) === -1) { el.removeAttribute(attr.name); }
      });
      if (el.tagName === "A") {
        // A material's reference is digits (as the server keeps it); any other link needs
        // a web or mail address.
        var material = MATERIAL_ID.test(el.getAttribute("data-material") || "");
        if (!material) { el.removeAttribute("data-material"); }
        if (!SAFE_URL.test(el.getAttribute("href") || "")) {
          if (material) { el.removeAttribute("href"); } else { unwrap(el); }
        }
      }
    });
    // Google Docs underlines its links' text: the link is underlined anyway.
    frag.querySelectorAll("a > u").forEach(unwrap);
    // A line break between blocks (Docs puts one between a list and a table) would be an
    // empty block of its own.
    Array.prototype.slice.call(frag.childNodes).forEach(function (node) {
      if (node.nodeName !== "BR") { return; }
      var before = node.previousSibling, after = node.nextSibling;
      var blank = function (n) { return n && n.nodeType === 3 && !n.data.trim(); };
      while (blank(before)) { before = before.previousSibling; }
      while (blank(after)) { after = after.nextSibling; }
      if ((before && BLOCK.test(before.nodeName)) || (after && BLOCK.test(after.nodeName))) {
        node.remove();
      }
    });
    return dropped;
  }

  // ---- what goes out: the textarea's value -----------------------------------------------

  function output(editor) {
    var box = document.createElement("div");
    box.innerHTML = editor.getHTML();
    box.querySelectorAll(BLOCKS).forEach(function (block) {
      var last = block.lastChild;
      if (last && last.nodeName === "BR" && block.childNodes.length > 1) { block.removeChild(last); }
    });
    // A space typed next to a format change is a no-break space in the editor; one alone is
    // an ordinary space in the text.
    var walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT), node;
    while ((node = walker.nextNode())) {
      if (node.data.indexOf("\u00a0") !== -1) {
        node.data = node.data.replace(/(^|[^\s\u00a0])\u00a0(?![\s\u00a0])/g, "$1 ");
      }
    }
    // The browser's own blocks are paragraphs; empty ones (the editor's line after a table,
    // Enter pressed twice) are spacing, which the page's style gives.
    box.querySelectorAll("div").forEach(function (div) { rename(div, "p"); });
    box.querySelectorAll("p").forEach(function (p) {
      if (!p.textContent.trim() && !p.querySelector("img") &&
          (p.parentNode === box || p.parentNode.tagName === "BLOCKQUOTE")) {
        p.remove();
      }
    });
    return box.innerHTML;
  }

  // ---- the editor of one field --------------------------------------------------------------

  function Field(box) {
    this.box = box;
    this.area = box.querySelector("textarea");
    this.label = box.querySelector("label");
    var parts = box.querySelector("template[data-richtext-parts]").content.cloneNode(true);
    this.keys = parts.querySelector(".richtext-keys");
    this.bar = parts.querySelector("[role=toolbar]");
    this.message = parts.querySelector("[data-richtext-message]");
    this.dialog = parts.querySelector("dialog.richtext-link");
    this.root = document.createElement("div");
    var id = this.area.id;
    this.root.id = id + "-editor";
    this.root.className = "richtext-area";
    this.root.setAttribute("role", "textbox");
    this.root.setAttribute("aria-multiline", "true");
    this.root.setAttribute("aria-labelledby", this.label.id);
    var described = (this.area.getAttribute("aria-describedby") || "") + " " + this.keys.id;
    this.root.setAttribute("aria-describedby", described.trim());
    if (this.area.getAttribute("aria-invalid")) { this.root.setAttribute("aria-invalid", "true"); }
    this.root.style.minHeight = (Math.max(3, this.area.rows) * 1.6) + "em";

    this.area.parentNode.insertBefore(this.keys, this.area);
    this.area.parentNode.insertBefore(this.bar, this.area);
    this.area.parentNode.insertBefore(this.root, this.area);
    this.area.parentNode.insertBefore(this.message, this.area);
    document.body.appendChild(this.dialog);
    this.area.hidden = true;
    this.label.removeAttribute("for");

    var self = this;
    var Squire = window.OTEditor.Squire;
    this.editor = new Squire(this.root, {
      blockTag: "P", sanitizeToDOMFragment: sanitize, didError: function () {}
    });
    // Squire's image resizer is pointer-only, writes a width the server drops, and takes the
    // focus from the text when an image is clicked: off. An image is removed like a letter.
    if (this.editor._imageResizer) { this.editor._imageResizer.destroy(); }
    this.editor.setHTML(asHTML(this.area.value));
    this.setUpEvents();
    this.setUpToolbar();
    this.setUpLinkDialog();
    this.setUpPicker();
    box.classList.add("richtext--ready");
  }

  Field.prototype.sync = function () {
    var value = output(this.editor);
    if (value !== this.area.value) {
      this.area.value = value;
      this.area.dispatchEvent(new Event("input", { bubbles: true }));
    }
  };

  Field.prototype.say = function (text, link) {
    this.message.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      this.message.appendChild(document.createTextNode(" "));
      this.message.appendChild(a);
    }
  };

  Field.prototype.imageRefused = function () {
    var m = this.message;
    var url = m.getAttribute("data-upload-url");
    this.say(m.getAttribute("data-image-text"),
      url ? { href: url, text: m.getAttribute("data-upload-text") } : null);
  };

  Field.prototype.setUpEvents = function () {
    var self = this, editor = this.editor, form = this.area.form;
    editor.addEventListener("input", function () { self.sync(); });
    ["pathChange", "select", "focus", "undoStateChange"].forEach(function (type) {
      editor.addEventListener(type, function (event) {
        if (type === "undoStateChange") { self.undoState = event.detail; }
        self.refresh();
      });
    });
    editor.addEventListener("willPaste", function (event) {
      if (tidyPaste(event.detail.fragment)) { self.imageRefused(); }
    });
    editor.addEventListener("pasteImage", function () { self.imageRefused(); });
    this.root.addEventListener("dragover", function (event) {
      if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") !== -1) {
        event.preventDefault();
      }
    });
    this.root.addEventListener("drop", function (event) {
      if (event.dataTransfer && event.dataTransfer.files && event.dataTransfer.files.length) {
        event.preventDefault();
        event.stopPropagation();
        self.imageRefused();
      }
    }, true);
    this.label.addEventListener("click", function () { editor.focus(); });
    // Where the caret was when the text lost the focus (the browser tells Squire a moment
    // later, too late for a key pressed at once, e.g. Ctrl+End then Shift+Tab).
    this.root.addEventListener("blur", function () {
      var selection = window.getSelection();
      if (selection && selection.rangeCount &&
          self.root.contains(selection.getRangeAt(0).commonAncestorContainer)) {
        editor.setSelection(selection.getRangeAt(0).cloneRange());
      }
      self.refresh();
    });
    if (form) {
      form.addEventListener("submit", function () { self.sync(); }, true);
      form.addEventListener("reset", function () {
        window.setTimeout(function () { editor.setHTML(asHTML(self.area.value)); }, 0);
      });
    }
    // The error summary's link to this field now leads to the editor.
    document.querySelectorAll('a[href="#' + this.area.id + '"]').forEach(function (a) {
      a.setAttribute("href", "#" + self.root.id);
    });
    var ctrl = /Mac|iPhone|iPad/.test(navigator.platform) ? "Meta-" : "Ctrl-";
    editor.setKeyHandler(ctrl + "k", function (_editor, event) {
      event.preventDefault();
      self.openLink();
    });
    var tab = editor._keyHandlers.Tab, shiftTab = editor._keyHandlers["Shift-Tab"];
    editor.setKeyHandler("Tab", function (ed, event, range) {
      if (!self.moveCell(range, 1, event) && tab) { tab(ed, event, range); }
    });
    editor.setKeyHandler("Shift-Tab", function (ed, event, range) {
      if (!self.moveCell(range, -1, event) && shiftTab) { shiftTab(ed, event, range); }
    });
  };

  // ---- toolbar ------------------------------------------------------------------------

  Field.prototype.buttons = function () {
    return Array.prototype.filter.call(this.bar.querySelectorAll("button"), function (b) {
      return !b.hidden;
    });
  };

  Field.prototype.setUpToolbar = function () {
    var self = this, bar = this.bar;
    var buttons = this.buttons();
    buttons.forEach(function (b, i) { b.tabIndex = i === 0 ? 0 : -1; });
    bar.addEventListener("keydown", function (event) {
      var list = self.buttons(), at = list.indexOf(document.activeElement);
      if (at === -1) { return; }
      var next = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1,
        Home: 0, End: list.length - 1 }[event.key];
      if (next === undefined) { return; }
      event.preventDefault();
      self.focusButton(list[(next + list.length) % list.length]);
    });
    bar.addEventListener("mousedown", function (event) {
      if (event.target.closest("button")) { event.preventDefault(); }
    });
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-command]");
      if (!button || button.getAttribute("aria-disabled") === "true") { return; }
      self.focusButton(button);
      self.run(button.getAttribute("data-command"), button);
    });
  };

  Field.prototype.focusButton = function (button) {
    this.bar.querySelectorAll("button").forEach(function (b) { b.tabIndex = -1; });
    button.tabIndex = 0;
    button.focus();
  };

  // Tags from the caret (or the selection's start) up to the editor's root.
  Field.prototype.tags = function () {
    var range = this.editor.getSelection(), node = range.startContainer, tags = [];
    while (node && node !== this.root) {
      if (node.nodeType === 1) { tags.push(node.tagName); }
      node = node.parentNode;
    }
    return tags;
  };

  Field.prototype.refresh = function () {
    var self = this;
    if (this.pending) { return; }
    this.pending = true;
    window.requestAnimationFrame(function () {
      self.pending = false;
      var tags = self.tags(), editor = self.editor;
      var has = function (tag) { return tags.indexOf(tag) !== -1; };
      var inList = has("LI") ? (tags[tags.indexOf("LI") + 1] || "") : "";
      var state = {
        h2: has("H2"), h3: has("H3"), bold: editor.hasFormat("B"), italic: editor.hasFormat("I"),
        ul: inList === "UL", ol: inList === "OL", link: has("A"), quote: has("BLOCKQUOTE")
      };
      var inTable = has("TD") || has("TH");
      self.bar.querySelectorAll("button[data-command]").forEach(function (b) {
        var command = b.getAttribute("data-command");
        if (command in state) { b.setAttribute("aria-pressed", state[command] ? "true" : "false"); }
        if (b.hasAttribute("data-in-table")) {
          if (b.hidden === inTable) {
            b.hidden = !inTable;
            if (!inTable && b.tabIndex === 0) { self.buttons()[0].tabIndex = 0; }
            b.tabIndex = -1;
          }
        }
      });
      var undo = self.undoState || {};
      self.bar.querySelector("[data-command=undo]").setAttribute("aria-disabled", undo.canUndo ? "false" : "true");
      self.bar.querySelector("[data-command=redo]").setAttribute("aria-disabled", undo.canRedo ? "false" : "true");
    });
  };

  Field.prototype.run = function (command, button) {
    var editor = this.editor, tags = this.tags();
    var has = function (tag) { return tags.indexOf(tag) !== -1; };
    var pressed = button.getAttribute("aria-pressed") === "true";
    switch (command) {
      case "h2": case "h3": this.setBlock(pressed ? "P" : command.toUpperCase()); break;
      case "bold": if (pressed) { editor.removeBold(); } else { editor.bold(); } break;
      case "italic": if (pressed) { editor.removeItalic(); } else { editor.italic(); } break;
      case "ul": if (pressed) { editor.removeList(); } else { editor.makeUnorderedList(); } break;
      case "ol": if (pressed) { editor.removeList(); } else { editor.makeOrderedList(); } break;
      case "quote": if (has("BLOCKQUOTE")) { editor.removeQuote(); } else { editor.increaseQuoteLevel(); } break;
      case "link": this.openLink(); return;
      case "material": this.openPicker(); return;
      case "table": this.insertTable(); break;
      case "row": case "column": case "delete-row": case "delete-column": this.tableCommand(command); break;
      case "undo": editor.undo(); break;
      case "redo": editor.redo(); break;
    }
    editor.focus();
    this.refresh();
    if (button.hasAttribute("aria-pressed")) {
      var self = this;
      window.requestAnimationFrame(function () {
        var on = button.getAttribute("aria-pressed") === "true";
        announce(button.textContent.trim() + ": " + self.bar.getAttribute(on ? "data-on" : "data-off"));
      });
    } else {
      announce(button.textContent.trim());
    }
  };

  // Heading, subheading or paragraph for the blocks of the selection.
  Field.prototype.setBlock = function (tag) {
    this.editor.modifyBlocks(function (frag) {
      frag.querySelectorAll("p, h2, h3, h4, div").forEach(function (block) {
        if (!block.querySelector("p, h2, h3, h4, div, ul, ol, table") && block.tagName !== tag) {
          rename(block, tag);
        }
      });
      return frag;
    });
  };

  // ---- tables ------------------------------------------------------------------------------

  Field.prototype.cell = function () {
    var node = this.editor.getSelection().startContainer;
    while (node && node !== this.root) {
      if (node.nodeName === "TD" || node.nodeName === "TH") { return node; }
      node = node.parentNode;
    }
    return null;
  };

  Field.prototype.putCaret = function (cell) {
    var range = document.createRange();
    range.selectNodeContents(cell.querySelector("p, h2, h3") || cell);
    range.collapse(true);
    this.editor.setSelection(range);
  };

  Field.prototype.insertTable = function () {
    var th = "<th scope=\"col\"><br></th>", td = "<td><br></td>";
    this.editor.insertHTML("<table><thead><tr>" + th + th + "</tr></thead><tbody><tr>" + td + td +
      "</tr></tbody></table><p><br></p>");
    var tables = this.root.querySelectorAll("table"), table = null;
    // The new table is the one that holds the caret's block just after it.
    var range = this.editor.getSelection(), node = range.startContainer;
    while (node && node !== this.root && !table) {
      var prev = node.previousSibling;
      if (prev && prev.nodeName === "TABLE") { table = prev; }
      node = node.parentNode;
    }
    table = table || tables[tables.length - 1];
    if (table) {
      table.querySelectorAll("th").forEach(function (cell) { cell.setAttribute("scope", "col"); });
      this.putCaret(table.querySelector("th, td"));
    }
  };

  Field.prototype.moveCell = function (range, step, event) {
    var cell = this.cell();
    if (!cell) { return false; }
    var cells = Array.prototype.slice.call(cell.closest("table").querySelectorAll("th, td"));
    var next = cells[cells.indexOf(cell) + step];
    if (!next) { return false; }
    event.preventDefault();
    this.putCaret(next);
    return true;
  };

  Field.prototype.tableCommand = function (command) {
    var cell = this.cell();
    if (!cell) { return; }
    var editor = this.editor, row = cell.parentNode, table = row.closest("table");
    var index = Array.prototype.indexOf.call(row.children, cell);
    var next = null;
    editor.saveUndoState();
    var newCell = function (like) {
      var c = document.createElement(like.closest("thead") ? "th" : "td");
      if (c.tagName === "TH") { c.setAttribute("scope", "col"); }
      c.appendChild(document.createElement("br"));
      return c;
    };
    if (command === "row") {
      var copy = document.createElement("tr");
      for (var i = 0; i < row.children.length; i += 1) {
        var c = document.createElement("td");
        c.appendChild(document.createElement("br"));
        copy.appendChild(c);
      }
      if (row.parentNode.tagName === "THEAD") {
        var body = table.tBodies[0] || table.appendChild(document.createElement("tbody"));
        body.insertBefore(copy, body.firstChild);
      } else {
        row.parentNode.insertBefore(copy, row.nextSibling);
      }
      next = copy.children[index];
    } else if (command === "column") {
      table.querySelectorAll("tr").forEach(function (tr) {
        var at = tr.children[index];
        var added = newCell(at || tr);
        tr.insertBefore(added, at ? at.nextSibling : null);
        if (tr === row) { next = added; }
      });
    } else if (command === "delete-row") {
      var rows = table.querySelectorAll("tr");
      var pos = Array.prototype.indexOf.call(rows, row);
      row.remove();
      if (rows.length === 1) { next = this.removeTable(table); } else {
        next = (rows[pos + 1] || rows[pos - 1]).children[0];
      }
    } else if (command === "delete-column") {
      table.querySelectorAll("tr").forEach(function (tr) {
        if (tr.children[index]) { tr.children[index].remove(); }
        if (!tr.children.length) { tr.remove(); }
      });
      var left = table.querySelector("tr");
      next = left ? left.children[Math.max(0, index - 1)] : this.removeTable(table);
    }
    if (next) { this.putCaret(next); }
    this.sync();
  };

  Field.prototype.removeTable = function (table) {
    var p = document.createElement("p");
    p.appendChild(document.createElement("br"));
    table.parentNode.replaceChild(p, table);
    return p;
  };

  // ---- links --------------------------------------------------------------------------------

  Field.prototype.setUpLinkDialog = function () {
    var self = this, dialog = this.dialog, input = dialog.querySelector("input");
    var error = dialog.querySelector(".error-message");
    dialog.querySelector("form").addEventListener("submit", function (event) {
      var choice = event.submitter ? event.submitter.value : "add";
      var url = input.value.trim();
      if (choice === "add") {
        if (!SAFE_URL.test(url) && /^[\w.-]+\.[a-z]{2,}(\/.*)?$/i.test(url)) { url = "https://" + url; }
        if (!SAFE_URL.test(url)) {
          event.preventDefault();
          error.hidden = false;
          input.setAttribute("aria-invalid", "true");
          input.setAttribute("aria-describedby", error.id + " " + input.id.replace(/url$/, "hint"));
          input.focus();
          return;
        }
      }
      // Done here, at once, so that what is typed next follows the link.
      event.preventDefault();
      self.closeLink({ choice: choice, url: url });
    });
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      self.closeLink(null);
    });
  };

  Field.prototype.closeLink = function (done) {
    this.dialog.close();
    this.editor.focus();
    if (this.linkRange) { this.editor.setSelection(this.linkRange); }
    if (done && done.choice === "add" && this.linkRange && this.linkRange.collapsed) {
      // No text chosen: the address itself is written, as a link.
      var a = document.createElement("a");
      a.href = done.url;
      a.textContent = done.url.replace(/^(https?:\/\/|mailto:)/i, "");
      this.editor.insertHTML(a.outerHTML);
      announce(this.bar.getAttribute("data-link-done"));
    } else if (done && done.choice === "add") {
      this.editor.makeLink(done.url);
      announce(this.bar.getAttribute("data-link-done"));
    } else if (done && done.choice === "remove") {
      this.editor.removeLink();
    }
    this.refresh();
  };

  Field.prototype.openLink = function () {
    var range = this.editor.getSelection(), input = this.dialog.querySelector("input");
    this.linkRange = range;
    var node = range.startContainer;
    while (node && node !== this.root && node.nodeName !== "A") { node = node.parentNode; }
    var current = node && node.nodeName === "A" ? node.getAttribute("href") || "" : "";
    if (current) {
      // The whole link is what a new address goes on.
      var whole = document.createRange();
      whole.selectNodeContents(node);
      this.linkRange = whole;
    }
    input.value = current;
    input.removeAttribute("aria-invalid");
    input.setAttribute("aria-describedby", input.id.replace(/url$/, "hint"));
    this.dialog.querySelector(".error-message").hidden = true;
    this.dialog.querySelector("[data-link-remove]").hidden = !current;
    this.dialog.showModal();
    input.focus();
  };

  // ---- "Insert a material" (pages) --------------------------------------------------------

  Field.prototype.setUpPicker = function () {
    var id = this.box.getAttribute("data-picker");
    var dialog = id && document.getElementById(id);
    if (!dialog) { return; }
    this.picker = dialog;
    var opener = document.querySelector('[data-picker-open="' + id + '"]');
    if (opener) { opener.hidden = true; }
  };

  Field.prototype.openPicker = function () {
    var dialog = this.picker;
    if (!dialog || !window.htmx) { return; }
    this.pickerRange = this.editor.getSelection();
    dialog.richtext = this;
    dialog.showModal();
    window.htmx.ajax("GET", dialog.getAttribute("data-picker-url"),
      { target: "#" + dialog.querySelector("[data-picker-body]").id, swap: "innerHTML" });
  };

  Field.prototype.insertSnippet = function (snippet) {
    this.editor.focus();
    if (this.pickerRange) { this.editor.setSelection(this.pickerRange); }
    this.editor.insertHTML(snippet);
    this.sync();
  };

  // The dialog's buttons, for the editor or (when the editor did not load) the textarea.
  function setUpPickers(root) {
    root.querySelectorAll("dialog[data-picker-for]").forEach(function (dialog) {
      if (dialog.dataset.ready) { return; }
      var area = document.getElementById(dialog.getAttribute("data-picker-for"));
      var opener = document.querySelector('[data-picker-open="' + dialog.id + '"]');
      if (!area || typeof dialog.showModal !== "function" || !window.htmx) { return; }
      dialog.dataset.ready = "1";
      document.querySelectorAll("[data-insert-fallback]").forEach(function (el) { el.hidden = true; });
      var cursor = 0;
      if (opener) {
        opener.hidden = false;
        opener.addEventListener("click", function (event) {
          event.preventDefault();
          cursor = area.selectionEnd;
          dialog.richtext = null;
          dialog.showModal();
          window.htmx.ajax("GET", dialog.getAttribute("data-picker-url"),
            { target: "#" + dialog.querySelector("[data-picker-body]").id, swap: "innerHTML" });
        });
      }
      dialog.addEventListener("click", function (event) {
        if (event.target.closest("[data-picker-close]")) { dialog.close(); return; }
        var button = event.target.closest("button[data-insert-snippet]");
        if (!button) { return; }
        var snippet = button.getAttribute("data-insert-snippet");
        dialog.close();
        if (dialog.richtext) {
          dialog.richtext.insertSnippet(snippet);
        } else {
          var value = area.value, at = Math.min(cursor, value.length);
          area.value = value.slice(0, at) + snippet + value.slice(at);
          area.focus();
          area.setSelectionRange(at + snippet.length, at + snippet.length);
          area.dispatchEvent(new Event("input", { bubbles: true }));
        }
        announce(dialog.getAttribute("data-picker-done"));
      });
    });
  }

  function setUp(root) {
    setUpPickers(root);
    var boxes = root.querySelectorAll ? root.querySelectorAll("[data-richtext]") : [];
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.dataset.started) { return; }
      box.dataset.started = "1";
      loadEditor(box.getAttribute("data-editor-src")).then(function () {
        if (document.contains(box)) { box.richtext = new Field(box); }
      }, function () {});
    });
  }

  window.OTRichText = { setUp: setUp };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
}());
