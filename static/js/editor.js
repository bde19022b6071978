/* The page editor's toolbar (T-2): buttons put HTML tags around the selection of the
   textarea. Progressive: without this file the toolbar stays hidden and the textarea works. */
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
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  } else {
    setUp(document);
  }
  document.addEventListener("htmx:load", function (event) { setUp(event.target); });
}());
