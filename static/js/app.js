/* OpenTwin: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  // htmx requests carry the CSRF token from the page, like forms do.
  document.addEventListener("htmx:configRequest", function (event) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
  });

  // A form that failed validation: move focus to the error summary so it is read first.
  function focusErrors(root) {
    var summary = (root || document).querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    return Boolean(summary);
  }

  function announce(text) {
    var region = document.getElementById("announcer");
    if (region && text) { region.textContent = ""; window.setTimeout(function () { region.textContent = text; }, 50); }
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrors(document); });

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.isConnected && !focusErrors(target) && target && target.dataset && target.dataset.announce) {
      announce(target.dataset.announce);
    }
  });
})();
