/* An album's lightbox (T-4): progressive enhancement of ul[data-lightbox]. Without this file
   each thumbnail is a link to the image's own page (large image, description, previous and
   next links). With it, a thumbnail opens a native modal <dialog> with the large image, its
   title and description, and Previous / Next / Close buttons; ArrowLeft and ArrowRight move,
   Escape closes (the dialog's own behaviour). Focus goes into the dialog and, on closing,
   returns to the thumbnail of the image shown last. Texts come from data-label-* attributes. */
(function () {
  "use strict";

  function make(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  function enhance(grid) {
    var links = Array.prototype.slice.call(grid.querySelectorAll("a[data-lightbox-item]"));
    if (!links.length) { return; }
    function label(key) { return grid.getAttribute("data-label-" + key) || key; }

    var dialog = make("dialog", "lightbox");
    var titleId = "lightbox-title-" + Math.random().toString(36).slice(2, 8);
    dialog.setAttribute("aria-labelledby", titleId);
    var box = make("div", "lightbox-box");
    var head = make("div", "lightbox-head");
    head.setAttribute("aria-live", "polite");
    var title = make("h2", "lightbox-title");
    title.id = titleId;
    var position = make("p", "lightbox-position muted");
    head.append(title, position);
    var image = make("img", "lightbox-image");
    var description = make("p", "lightbox-description pre");
    var page = make("a", "lightbox-page", label("open"));
    var pageLine = make("p");
    pageLine.append(page);
    var buttons = make("div", "lightbox-buttons");
    var prev = make("button", "button button--secondary", label("previous"));
    var next = make("button", "button button--secondary", label("next"));
    var close = make("button", "button", label("close"));
    [prev, next, close].forEach(function (b) { b.type = "button"; });
    buttons.append(prev, next, close);
    box.append(head, image, description, pageLine, buttons);
    dialog.append(box);
    document.body.appendChild(dialog);

    var current = 0;
    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      image.src = link.getAttribute("data-large");
      image.width = parseInt(link.getAttribute("data-width"), 10) || 1200;
      image.height = parseInt(link.getAttribute("data-height"), 10) || 800;
      image.alt = link.getAttribute("data-alt") || "";
      title.textContent = link.getAttribute("data-title") || "";
      description.textContent = link.getAttribute("data-description") || "";
      description.hidden = !description.textContent;
      // The image's place in the whole album, which may have more pages than this one.
      position.textContent = label("position")
        .replace("{n}", link.getAttribute("data-n") || current + 1)
        .replace("{total}", grid.getAttribute("data-total") || links.length);
      page.href = link.href;
      prev.hidden = next.hidden = links.length < 2;
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey ||
            event.altKey) { return; }
        event.preventDefault();
        show(index);
        dialog.showModal();
        close.focus();
      });
    });
    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    close.addEventListener("click", function () { dialog.close(); });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft" && links.length > 1) {
        event.preventDefault();
        show(current - 1);
      } else if (event.key === "ArrowRight" && links.length > 1) {
        event.preventDefault();
        show(current + 1);
      }
    });
    // A click on the backdrop (outside the box) closes, like Escape.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) { dialog.close(); }
    });
    dialog.addEventListener("close", function () { links[current].focus(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof HTMLDialogElement !== "function") { return; }
    document.querySelectorAll("ul[data-lightbox]").forEach(enhance);
  });
}());
