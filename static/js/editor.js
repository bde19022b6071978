/* The page editor's toolbar (T-2): buttons put HTML tags around the selection of the
   textarea, and "Insert a material" opens a dialog (loaded by htmx) whose "Insert" buttons
   put a material's HTML, made and escaped by the server, at the cursor.
   Progressive: without this file the toolbar stays hidden, the textarea works, and a link
   leads to a page that adds a material to the end of the page. */
(function () {
  "use strict";
  function wrap(area, before, after) {
    var start = area.selectionStart, end = area.selectionEnd, value = area.value;
    area.value = value.slice(0, start) + before + value.slice(start, end) + after +
      value.slice(end);
    area.focus();
    area.setSelectionRange(start + before.length, end + before.length);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function announce(text) {
    if (window.OpenTwin) { window.OpenTwin.announce(text); }
  }

  // The dialog remembers where the cursor was, since the textarea loses focus meanwhile.
  function setUpPicker(root) {
    root.querySelectorAll("dialog[data-picker-for]").forEach(function (dialog) {
      var area = document.getElementById(dialog.getAttribute("data-picker-for"));
      var opener = document.querySelector('[data-picker-open="' + dialog.id + '"]');
      if (!area || !opener || dialog.dataset.ready || typeof dialog.showModal !== "function" ||
          !window.htmx) {
        if (opener && !dialog.dataset.ready) { opener.hidden = true; }
        return;
      }
      dialog.dataset.ready = "1";
      var cursor = 0;
      document.querySelectorAll("[data-insert-fallback]").forEach(function (el) {
        el.hidden = true;
      });
      opener.setAttribute("aria-controls", dialog.id);
      opener.addEventListener("click", function (event) {
        event.preventDefault();
        cursor = area.selectionEnd;
        dialog.showModal();
        window.htmx.ajax("GET", dialog.getAttribute("data-picker-url"),
          { target: "#picker-body", swap: "innerHTML" });
      });
      dialog.addEventListener("click", function (event) {
        if (event.target.closest("[data-picker-close]")) {
          dialog.close();
          return;
        }
        var button = event.target.closest("button[data-insert-snippet]");
        if (!button) { return; }
        var snippet = button.getAttribute("data-insert-snippet");
        var value = area.value, at = Math.min(cursor, value.length);
        area.value = value.slice(0, at) + snippet + value.slice(at);
        dialog.close();
        area.focus();
        area.setSelectionRange(at + snippet.length, at + snippet.length);
        area.dispatchEvent(new Event("input", { bubbles: true }));
        announce(dialog.getAttribute("data-picker-done"));
      });
    });
  }

  function setUp(root) {
    root.querySelectorAll("[data-editor-toolbar]").forEach(function (bar) {
      var area = document.getElementById(bar.getAttribute("data-editor-toolbar"));
      if (!area || bar.dataset.ready) { return; }
      bar.dataset.ready = "1";
      bar.setAttribute("aria-controls", area.id);
      bar.hidden = false;
      bar.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-before]");
        if (button) {
          event.preventDefault();
          wrap(area, button.getAttribute("data-before"), button.getAttribute("data-after"));
        }
      });
    });
    setUpPicker(root);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
}());
