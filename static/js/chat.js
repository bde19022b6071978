/* OpenTwin: the chat of a space's Live room (T-11), over the room's WebSocket.
 *
 * The page works without this file (normal forms, ?before= pages). With it: one WebSocket
 * (ws: or wss: like the page), reconnecting with a growing pause; messages, polls and the list
 * of people arrive by themselves; the forms are sent over the socket when it is open (else
 * they post as usual). User text is only ever set with textContent.
 * The socket is handed to call.js: on every open, a fresh api {send(frame), on(type, fn)} goes
 * to window.OpenTwinSocket and a document event "opentwin:socket" (detail: the api).
 */
(function () {
  "use strict";

  var root = document.querySelector("[data-live]");
  if (!root || !window.WebSocket || !window.JSON) { return; }

  var T = JSON.parse(root.getAttribute("data-chat-texts") || "{}");
  var archive = root.getAttribute("data-archive") === "1";
  var pollsUrl = root.getAttribute("data-polls-url");
  var log = root.querySelector("[data-chat-log]");
  var list = root.querySelector("[data-chat-list]");
  var empty = root.querySelector("[data-chat-empty]");
  var olderBox = root.querySelector("[data-chat-older-box]");
  var older = root.querySelector("[data-chat-older]");
  var statusEl = root.querySelector("[data-live-status]");
  var people = root.querySelector("[data-chat-people]");
  var nobody = root.querySelector("[data-chat-nobody]");
  var moreEl = root.querySelector("[data-chat-more]");
  var form = root.querySelector("[data-chat-form]");
  var input = form && form.querySelector("textarea");
  var chatError = root.querySelector("[data-chat-error]");
  var pollForm = root.querySelector("[data-poll-form]");
  var pollError = root.querySelector("[data-poll-error]");
  var lang = document.documentElement.lang || undefined;
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  var timeFormat = window.Intl && Intl.DateTimeFormat ? new Intl.DateTimeFormat(lang, {
    day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }) : null;

  var ws = null, api = null, me = null, wasOpen = false, stopped = false;
  var pause = 1000, pingTimer = null, pending = null, pendingPoll = false;

  function t(key, values) {
    var text = T[key] || "";
    Object.keys(values || {}).forEach(function (k) { text = text.replace("%(" + k + ")s", values[k]); });
    return text;
  }
  function votes(n) {
    var form = plural && plural.select(n) === "one" ? "votes_one" : (n === 1 ? "votes_one" : "votes_other");
    return t(form, { n: n });
  }
  function say(text) { if (window.OpenTwin && window.OpenTwin.announce) { window.OpenTwin.announce(text); } }
  function setStatus(text) { if (statusEl) { statusEl.textContent = text; } }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function localTime(node) {
    var when = new Date(node.getAttribute("datetime"));
    if (timeFormat && !isNaN(when)) { node.textContent = timeFormat.format(when); }
  }
  function nearBottom() { return log.scrollHeight - log.scrollTop - log.clientHeight < 80; }
  function toBottom() { log.scrollTop = log.scrollHeight; }

  // ---- Messages and polls ------------------------------------------------------------------

  function buildPoll(poll) {
    var f = el("form", "poll");
    f.method = "post";
    f.action = pollsUrl + "/" + poll.id + "/vote";
    f.setAttribute("data-poll", poll.id);
    var csrf = el("input");
    csrf.type = "hidden"; csrf.name = "csrf_token";
    var meta = document.querySelector('meta[name="csrf-token"]');
    csrf.value = meta ? meta.content : "";
    var fieldset = el("fieldset", "poll-fieldset");
    fieldset.appendChild(el("legend", "poll-question", poll.question));
    var ul = el("ul", "poll-options");
    poll.options.forEach(function (o) {
      var li = el("li", "poll-option");
      li.setAttribute("data-option", o.id);
      var button = el("button", "button button--secondary poll-vote");
      button.type = "submit"; button.name = "option"; button.value = o.id;
      button.disabled = Boolean(poll.closed);
      button.appendChild(el("span", "visually-hidden", t("vote_prefix") + " "));
      button.appendChild(document.createTextNode(o.text));
      var count = el("span", "poll-count", "");
      count.setAttribute("data-count", "");
      var mine = el("strong", "poll-mine", "(" + t("your_vote") + ")");
      mine.setAttribute("data-mine", "");
      mine.hidden = poll.my_vote !== o.id;
      var meter = el("meter", "poll-meter");
      meter.setAttribute("aria-hidden", "true");
      meter.setAttribute("data-meter", "");
      meter.min = 0;
      [button, document.createTextNode(" "), count, document.createTextNode(" "), mine,
       document.createTextNode(" "), meter].forEach(function (n) { li.appendChild(n); });
      ul.appendChild(li);
    });
    fieldset.appendChild(ul);
    var total = el("p", "poll-total");
    total.setAttribute("data-total", "");
    fieldset.appendChild(total);
    f.appendChild(csrf);
    f.appendChild(fieldset);
    updatePoll(poll, f);
    return f;
  }

  function updatePoll(poll, f) {
    f = f || root.querySelector('[data-poll="' + poll.id + '"]');
    if (!f) { return; }
    poll.options.forEach(function (o) {
      var li = f.querySelector('[data-option="' + o.id + '"]');
      if (!li) { return; }
      li.querySelector("[data-count]").textContent = votes(o.votes);
      var meter = li.querySelector("[data-meter]");
      meter.max = Math.max(poll.total, 1);
      meter.value = o.votes;
    });
    f.querySelector("[data-total]").textContent = t("total", { n: poll.total });
  }

  function markMine(pollId, optionId) {
    var f = root.querySelector('[data-poll="' + pollId + '"]');
    if (!f) { return; }
    f.querySelectorAll("[data-option]").forEach(function (li) {
      li.querySelector("[data-mine]").hidden = Number(li.getAttribute("data-option")) !== optionId;
    });
  }

  function buildMessage(m) {
    var li = el("li", "chat-msg" + (m.poll ? " chat-msg--poll" : ""));
    li.id = "msg-" + m.id;
    li.setAttribute("data-id", m.id);
    var meta = el("p", "chat-meta");
    meta.appendChild(el("span", "chat-author", m.author ? m.author.name : t("deleted_user")));
    meta.appendChild(document.createTextNode(" "));
    var time = el("time");
    time.setAttribute("datetime", m.created_at);
    localTime(time);
    meta.appendChild(time);
    li.appendChild(meta);
    li.appendChild(m.poll ? buildPoll(m.poll) : el("p", "chat-body", m.body));
    return li;
  }

  function ids() {
    return Array.prototype.map.call(list.children, function (li) { return Number(li.getAttribute("data-id")); });
  }

  function append(m) {
    if (document.getElementById("msg-" + m.id)) { return; }
    var stick = nearBottom();
    var node = buildMessage(m);
    var after = ids().filter(function (id) { return id > m.id; });
    if (after.length) { list.insertBefore(node, document.getElementById("msg-" + after[0])); }
    else { list.appendChild(node); }
    empty.hidden = true;
    if (stick) { toBottom(); }
  }

  function prepend(messages, hasMore) {
    var height = log.scrollHeight;
    var first = list.firstElementChild;
    messages.forEach(function (m) {
      if (!document.getElementById("msg-" + m.id)) { list.insertBefore(buildMessage(m), first); }
    });
    log.scrollTop += log.scrollHeight - height;
    if (messages.length) { empty.hidden = true; }
    setOlder(messages.length ? messages[0].id : null, hasMore);
    say(hasMore ? t("older_loaded") : t("no_older"));
  }

  function setOlder(beforeId, hasMore) {
    if (!olderBox) { return; }
    if (beforeId) {
      older.setAttribute("data-before", beforeId);
      older.href = older.pathname + "?before=" + beforeId;
    }
    olderBox.hidden = !hasMore;
  }

  function setPeople(list, total) {
    var more = (total || list.length) - list.length;
    people.textContent = "";
    list.forEach(function (p) { people.appendChild(el("li", "", p.name)); });
    nobody.hidden = list.length > 0;
    if (moreEl) {
      moreEl.hidden = more <= 0;
      moreEl.textContent = more > 0 ? t(plural && plural.select(more) === "one" ? "more_one" : "more_other", { n: more }) : "";
    }
  }

  // ---- The socket ----------------------------------------------------------------------------

  var handlers = {
    hello: function (f) { me = f.me; },
    presence: function (f) { setPeople(f.people || [], f.total); },
    message: function (f) {
      var mineNow = me && f.author && f.author.id === me.id;
      if (mineNow && f.poll && pendingPoll && pollForm) {
        pendingPoll = false;
        pollForm.reset();
        pollError.hidden = true;
      }
      if (mineNow && !f.poll) { pending = null; chatError.hidden = true; }
      if (!archive) { append(f); }
    },
    history: function (f) {
      if (f.before_id) { prepend(f.messages || [], f.has_more); }
      else if (!archive) { (f.messages || []).forEach(append); }
    },
    poll_update: function (f) { updatePoll(f.poll); },
    voted: function (f) { markMine(f.poll_id, f.option_id); },
    error: function (f) {
      if (f.ref === "chat" && chatError) {
        chatError.textContent = f.text;
        chatError.hidden = false;
        if (pending && input && !input.value) { input.value = pending; }
        pending = null;
      } else if (f.ref === "poll" && pollError) {
        pendingPoll = false;
        pollError.textContent = f.text;
        pollError.hidden = false;
        say(f.text);
      } else if (f.ref === "vote" || f.ref === "history" || f.code === "gone") {
        say(f.text);
      }
      if (f.ref === "chat") { say(f.text); }
    }
  };

  function connect() {
    var url = (location.protocol === "https:" ? "wss:" : "ws:") + "//" + location.host +
      root.getAttribute("data-socket-path");
    var listeners = {};
    var socket = new WebSocket(url);
    ws = socket;
    if (!wasOpen) { setStatus(t("connecting")); }
    socket.onopen = function () {
      pause = 1000;
      setStatus(t("connected"));
      if (wasOpen) { send({ type: "history", ref: "history" }); }  // fill what we missed
      wasOpen = true;
      pingTimer = window.setInterval(function () { send({ type: "ping" }); }, 25000);
      api = {
        send: function (frame) { return socket === ws ? send(frame) : false; },
        on: function (type, fn) { (listeners[type] = listeners[type] || []).push(fn); }
      };
      window.OpenTwinSocket = api;
      document.dispatchEvent(new CustomEvent("opentwin:socket", { detail: api }));
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (e) { return; }
      if (!frame || typeof frame.type !== "string") { return; }
      if (handlers[frame.type]) { handlers[frame.type](frame); }
      (listeners[frame.type] || []).forEach(function (fn) {
        try { fn(frame); } catch (e) { if (window.console) { console.error(e); } }
      });
    };
    socket.onclose = function (event) {
      window.clearInterval(pingTimer);
      if (socket !== ws) { return; }
      ws = null;
      if (event.code === 1008 || stopped) {
        stopped = true;
        setStatus(t("stopped"));
        return;
      }
      setStatus(t("lost"));
      window.setTimeout(connect, pause + Math.random() * 500);
      pause = Math.min(pause * 2, 30000);
    };
  }

  function open() { return ws && ws.readyState === WebSocket.OPEN; }
  function send(frame) {
    if (!open()) { return false; }
    ws.send(JSON.stringify(frame));
    return true;
  }

  // ---- The forms, enhanced ---------------------------------------------------------------------

  if (form && input) {
    form.addEventListener("submit", function (event) {
      if (!open()) { return; }  // not connected: the normal POST
      event.preventDefault();
      var text = input.value;
      if (!text.trim()) { input.focus(); return; }
      if (send({ type: "chat", body: text, ref: "chat" })) {
        pending = text;
        input.value = "";
        chatError.hidden = true;
        input.focus();
      }
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
      }
    });
  }

  if (pollForm) {
    pollForm.addEventListener("submit", function (event) {
      if (!open()) { return; }
      event.preventDefault();
      var options = [];
      pollForm.querySelectorAll('input[name^="option_"]').forEach(function (i) { options.push(i.value); });
      var question = pollForm.querySelector('input[name="question"]').value;
      pendingPoll = send({ type: "poll", question: question, options: options, ref: "poll" });
    });
  }

  root.addEventListener("submit", function (event) {
    var f = event.target.closest("[data-poll]");
    var button = event.submitter;
    if (!f || !button || !open()) { return; }
    event.preventDefault();
    send({ type: "vote", poll_id: Number(f.getAttribute("data-poll")),
           option_id: Number(button.value), ref: "vote" });
  });

  if (older) {
    older.addEventListener("click", function (event) {
      if (!open()) { return; }
      event.preventDefault();
      var before = Number(older.getAttribute("data-before"));
      if (before) { send({ type: "history", before_id: before, ref: "history" }); }
    });
  }

  root.querySelectorAll("time[data-chat-time]").forEach(localTime);
  if (!archive) { toBottom(); }
  connect();
}());
