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
    var summary = root.querySelector("[data-error-summary]");
    if (summary) { summary.dataset.focused = "1"; summary.focus(); }
    return Boolean(summary);
  }

  // Swapped-in regions say what changed through the page's one polite live region.
  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) { return; }
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 100);
  }
  // Other scripts (the editor, the uploader) speak through the same region.
  window.OpenTwin = { announce: announce };

  function markAnnounced(root) {
    root.querySelectorAll("[data-announce]").forEach(function (el) { el.dataset.announced = "1"; });
  }

  // Times are sent in UTC; show them in the reader's own time zone when the browser knows it.
  function localTimes(root) {
    if (!window.Intl || !Intl.DateTimeFormat) { return; }
    var lang = document.documentElement.lang || undefined;
    root.querySelectorAll("time[data-local-time]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when)) { return; }
      el.textContent = new Intl.DateTimeFormat(lang, {
        weekday: "short", year: "numeric", month: "short", day: "numeric",
        hour: "2-digit", minute: "2-digit", timeZoneName: "short"
      }).format(when);
    });
  }

  // An htmx request that fails (an error status other than 422, which carries field errors
  // and is swapped in as usual; or no answer at all) swaps nothing, so what the user typed
  // stays. Say so next to where it happened, and through the page's alert region.
  function problemText(status) {
    var texts = document.getElementById("request-problem");
    if (!texts) { return ""; }
    var key = !status ? "offline" : (status >= 500 ? "server" : "refused");
    return (texts.getAttribute("data-msg-" + key) || "").replace("{code}", String(status));
  }

  function problemPlace(elt) {
    // The field, form or dialog the request came from; else the top of the main content.
    var near = elt && elt.closest ? elt.closest(".field, form, dialog") : null;
    if (!near && elt && elt.nodeType === 1 && elt !== document.body &&
        document.body.contains(elt)) { near = elt; }
    if (near && near.tagName !== "DIALOG") {
      return { parent: near.parentNode, before: near };
    }
    var parent = near || document.getElementById("main") || document.body;
    return { parent: parent, before: parent.firstChild };
  }

  function oldProblem(place) {
    var old = place.before ? (place.before.nodeType === 1 && place.before.hasAttribute(
      "data-request-error") ? place.before : place.before.previousElementSibling) : null;
    return old && old.hasAttribute("data-request-error") ? old : null;
  }

  function showProblem(elt, status) {
    var text = problemText(status);
    if (!text) { return; }
    var place = problemPlace(elt);
    var box = oldProblem(place);
    if (!box) {
      box = document.createElement("p");
      box.className = "request-error";
      box.setAttribute("data-request-error", "");
      place.parent.insertBefore(box, place.before);
    }
    box.textContent = text;
    var region = document.getElementById("request-problem");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 100);
  }

  document.addEventListener("htmx:responseError", function (event) {
    showProblem(event.detail.elt, event.detail.xhr ? event.detail.xhr.status : 0);
  });
  document.addEventListener("htmx:sendError", function (event) {
    showProblem(event.detail.elt, 0);
  });
  document.addEventListener("htmx:timeout", function (event) {
    showProblem(event.detail.elt, 0);
  });
  // Once a request from the same place works again, its message goes.
  document.addEventListener("htmx:afterRequest", function (event) {
    if (!event.detail.successful) { return; }
    var box = oldProblem(problemPlace(event.detail.elt));
    if (box) { box.remove(); }
  });

  // The header's "Menu" is a <details>: the stylesheet shows its contents on wide screens.
  // A browser that cannot (no ::details-content) gets it opened there instead.
  function wideMenu() {
    var menu = document.querySelector("[data-site-menu]");
    if (!menu || !window.matchMedia || !window.CSS || !CSS.supports ||
        CSS.supports("selector(::details-content)")) { return; }
    var wide = window.matchMedia("(min-width: 48rem)");
    var sync = function () { menu.open = wide.matches; };
    sync();
    if (wide.addEventListener) { wide.addEventListener("change", sync); }
  }

  // A "Print" button (the pupils' password slips): shown only where it can work; without
  // this script the browser's own Print prints the same page.
  function printButtons() {
    document.querySelectorAll("[data-print-box]").forEach(function (box) {
      var button = box.querySelector("[data-print]");
      if (!button || typeof window.print !== "function") { return; }
      button.addEventListener("click", function () { window.print(); });
      box.hidden = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    wideMenu();
    printButtons();
    focusErrors(document);
    markAnnounced(document);
    localTimes(document);
  });

  document.addEventListener("htmx:afterSettle", function () {
    localTimes(document);
    var fresh = document.querySelector("[data-announce]:not([data-announced])");
    if (fresh) {
      announce(fresh.dataset.announce);
      markAnnounced(document);
    }
    var target = document.querySelector("[data-error-summary]:not([data-focused])");
    if (target) { target.dataset.focused = "1"; target.focus(); }
  });
})();

/* Videos from YouTube or Vimeo load only after a click (T-5): the "Play" link becomes the
   privacy-enhanced embed. Without this file the link opens the video at its host. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var play = event.target.closest("[data-embed-play]");
    if (!play) { return; }
    var box = play.closest("[data-embed-src]");
    var src = box && box.getAttribute("data-embed-src");
    if (!src || !/^https:\/\/(www\.youtube-nocookie\.com|player\.vimeo\.com)\//.test(src)) { return; }
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = src;
    frame.title = box.getAttribute("data-embed-title") || "";
    frame.width = "640";
    frame.height = "360";
    frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    box.replaceChildren(frame);
    frame.focus();
  });
}());
