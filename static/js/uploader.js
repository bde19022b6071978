/* Uploads of materials (T-4..T-6): progressive enhancement of every form[data-uploader].
   Without this file the form posts all its files at once and the server redirects.
   With it: files can be dropped on the field (which stays a normal, labelled file input that
   works by keyboard), the chosen files are listed with their sizes, files over the limit are
   flagged before anything is sent, and the files go ONE PER REQUEST (XMLHttpRequest, with the
   form's other fields and its CSRF token), each with a <progress> bar, while a status region
   says "2 of 5 uploaded". When every file is stored the page moves on (to the "describe the
   new images" page for an album). Texts come from data-msg-* attributes (translated). */
(function () {
  "use strict";

  function fmt(template, values) {
    return (template || "").replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function humanSize(bytes) {
    if (bytes < 1024) { return bytes + " bytes"; }
    var units = ["KB", "MB", "GB"];
    var size = bytes / 1024;
    var unit = 0;
    while (size >= 1024 && unit < units.length - 1) { size /= 1024; unit += 1; }
    return size.toFixed(1) + " " + units[unit];
  }

  function localPath(url) {
    return typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/" &&
      url.indexOf("\\") === -1;
  }

  function enhance(form) {
    var input = form.querySelector('input[type="file"]');
    var zone = form.querySelector("[data-drop-zone]");
    var listBox = form.querySelector("[data-upload-list]");
    var status = form.querySelector("[data-upload-status]");
    if (!input || !listBox || !status) { return; }
    var list = listBox.querySelector("ul");
    var max = parseInt(form.getAttribute("data-max-bytes"), 10) || Infinity;
    var rows = [];
    var busy = false;

    function msg(key) { return form.getAttribute("data-msg-" + key) || ""; }

    function say(text, link) {
      status.replaceChildren(document.createTextNode(text));
      if (link) {
        var a = document.createElement("a");
        a.href = link;
        a.textContent = msg("continue");
        status.append(" ", a);
      }
    }

    function render() {
      list.replaceChildren();
      rows = Array.prototype.map.call(input.files || [], function (file) {
        var item = document.createElement("li");
        item.className = "upload-item";
        var name = document.createElement("span");
        name.className = "upload-name";
        name.textContent = file.name;
        var size = document.createElement("span");
        size.className = "muted";
        size.textContent = " (" + humanSize(file.size) + ") ";
        var state = document.createElement("span");
        state.className = "upload-state";
        var bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        bar.setAttribute("aria-label", file.name);
        var problem = file.size > max ? msg("too-large") : (file.size === 0 ? msg("empty") : "");
        if (problem) {
          item.classList.add("upload-item--error");
          state.textContent = problem;
          bar.hidden = true;
        } else {
          state.textContent = msg("waiting");
        }
        item.append(name, size, state, bar);
        list.appendChild(item);
        return { file: file, item: item, state: state, bar: bar, problem: problem, sent: false };
      });
      listBox.hidden = rows.length === 0;
      say("");
    }

    input.addEventListener("change", render);

    if (zone) {
      var hasFiles = function (event) {
        var types = event.dataTransfer && event.dataTransfer.types;
        return Boolean(types) && Array.prototype.indexOf.call(types, "Files") !== -1;
      };
      zone.addEventListener("dragover", function (event) {
        if (!hasFiles(event) || busy) { return; }
        event.preventDefault();
        zone.classList.add("drop-zone--over");
      });
      zone.addEventListener("dragleave", function (event) {
        if (!zone.contains(event.relatedTarget)) { zone.classList.remove("drop-zone--over"); }
      });
      zone.addEventListener("drop", function (event) {
        if (!hasFiles(event) || busy) { return; }
        event.preventDefault();
        zone.classList.remove("drop-zone--over");
        var dropped = Array.prototype.slice.call(event.dataTransfer.files);
        if (!input.multiple) { dropped = dropped.slice(0, 1); }
        try {
          var transfer = new DataTransfer();
          dropped.forEach(function (file) { transfer.items.add(file); });
          input.files = transfer.files;
        } catch (err) {
          return;  // an old browser: the picker still works
        }
        render();
      });
    }

    form.addEventListener("submit", function (event) {
      if (!window.FormData || !window.XMLHttpRequest) { return; }
      event.preventDefault();
      if (busy) { return; }
      if (!rows.length && input.files && input.files.length) { render(); }
      var todo = rows.filter(function (row) { return !row.problem && !row.sent; });
      var total = rows.length;
      if (!todo.length) {
        say(total ? fmt(msg("problems"), { done: 0, total: total }) : msg("none"));
        input.focus();
        return;
      }
      busy = true;
      form.setAttribute("aria-busy", "true");
      var done = rows.filter(function (row) { return row.sent; }).length;
      var failed = rows.filter(function (row) { return row.problem; }).length;
      var next = form.getAttribute("data-next");
      say(fmt(msg("progress"), { done: done, total: total }));

      function fail(row, text) {
        failed += 1;
        row.problem = text || msg("error");
        row.state.textContent = msg("failed") + ": " + row.problem;
        row.item.classList.add("upload-item--error");
        row.bar.hidden = true;
      }

      function finish() {
        busy = false;
        form.removeAttribute("aria-busy");
        if (!failed) {
          say(fmt(msg("finished"), { done: done, total: total }));
          if (localPath(next)) {
            window.setTimeout(function () { window.location.assign(next); }, 900);
          }
          return;
        }
        say(fmt(msg("problems"), { done: done, total: total }),
            done && localPath(next) ? next : null);
      }

      function send(index) {
        if (index >= todo.length) { finish(); return; }
        var row = todo[index];
        var data = new FormData(form);
        data.delete(input.name);
        data.append(input.name, row.file, row.file.name);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
        xhr.setRequestHeader("Accept", "application/json");
        var token = form.querySelector('input[name="csrf_token"]');
        if (token) { xhr.setRequestHeader("X-CSRFToken", token.value); }
        row.state.textContent = msg("sending");
        xhr.upload.addEventListener("progress", function (progress) {
          if (progress.lengthComputable) {
            row.bar.value = Math.round(progress.loaded / progress.total * 100);
          }
        });
        xhr.addEventListener("load", function () {
          var answer = null;
          try { answer = JSON.parse(xhr.responseText); } catch (err) { answer = null; }
          if (xhr.status >= 200 && xhr.status < 300 && answer && answer.ok) {
            done += 1;
            row.sent = true;
            row.bar.value = 100;
            row.state.textContent = msg("done");
            row.item.classList.add("upload-item--done");
            if (localPath(answer.next)) { next = answer.next; }
          } else {
            fail(row, answer && answer.errors && answer.errors.join(" "));
          }
          say(fmt(msg("progress"), { done: done, total: total }));
          send(index + 1);
        });
        xhr.addEventListener("error", function () {
          fail(row, msg("error"));
          send(index + 1);
        });
        xhr.send(data);
      }
      send(0);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-uploader]").forEach(enhance);
  });
}());
