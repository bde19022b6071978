/* OpenTwin: the video call of a space's Live room (T-11).
 *
 * A mesh: one RTCPeerConnection per other participant (up to six people), each negotiated with
 * the "perfect negotiation" pattern (the polite peer is the one with the lower user id, and the
 * higher id makes the first offer so that the two do not collide at the start). Offers,
 * answers and ICE candidates travel as "signal" frames over the room's WebSocket, which chat.js
 * owns and hands over with the `opentwin:socket` event (detail: {send(frame), on(type, fn)}).
 * Each tile is a <figure> with the person's name; its data-state is the connection's state.
 */
(function () {
  "use strict";

  // The socket may open before the page is parsed (this file may load in <head>): keep it.
  var attach = null;
  var waiting = window.OpenTwinSocket || (window.OpenTwin && window.OpenTwin.socket) || null;
  document.addEventListener("opentwin:socket", function (event) {
    if (attach) { attach(event.detail); } else { waiting = event.detail; }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  function start() {
    var panel = document.querySelector("[data-call]");
    if (!panel) { return; }

    var T = JSON.parse(panel.getAttribute("data-call-texts") || "{}");
    var iceServers = JSON.parse(panel.getAttribute("data-ice-servers") || "[]");
    var me = { id: Number(panel.getAttribute("data-me-id")), name: panel.getAttribute("data-me-name") };
    var ui = panel.querySelector("[data-call-ui]");
    var summary = panel.querySelector("[data-call-summary]");
    var joinButton = panel.querySelector("[data-call-join]");
    var controls = panel.querySelector("[data-call-controls]");
    var muteButton = panel.querySelector("[data-call-mute]");
    var cameraButton = panel.querySelector("[data-call-camera]");
    var shareButton = panel.querySelector("[data-call-share]");
    var leaveButton = panel.querySelector("[data-call-leave]");
    var statusEl = panel.querySelector("[data-call-status]");
    var tiles = panel.querySelector("[data-call-tiles]");

    var socket = null;         // {send, on} from chat.js
    var inCall = false;        // we asked to join (and were not refused)
    var confirmed = false;     // the server listed us among the participants
    var localStream = null;    // microphone and camera
    var cameraTrack = null;
    var audioTrack = null;
    var screenTrack = null;
    var ownTile = null;
    var peers = new Map();     // user id -> peer
    var names = new Map();     // user id -> name, from the latest "call" frame
    var heartbeat = null;      // while in the call, "call_join" again every 15 s keeps us listed

    function fill(text, values) {
      return String(text || "").replace(/\{(\w+)\}/g, function (_m, key) {
        return values && values[key] !== undefined ? values[key] : "";
      });
    }

    function say(text) {
      // Clear first, so the same sentence said twice is announced twice.
      statusEl.textContent = "";
      window.setTimeout(function () { statusEl.textContent = text; }, 50);
    }

    var mediaOk = Boolean(window.RTCPeerConnection && navigator.mediaDevices &&
                          navigator.mediaDevices.getUserMedia);
    panel.querySelector("[data-call-nojs]").hidden = true;
    ui.hidden = false;
    if (!mediaOk) {
      joinButton.disabled = true;
      say(T.unsupported);
    }
    if (!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia)) {
      shareButton.hidden = true;
    }

    function send(frame) {
      if (socket) { socket.send(frame); }
    }

    // ---- Tiles -------------------------------------------------------------------------------

    function makeTile(id, name, own) {
      var figure = document.createElement("figure");
      figure.className = "call-tile" + (own ? " call-tile--own" : "");
      figure.setAttribute("data-user-id", String(id));
      figure.setAttribute("data-state", own ? "local" : "new");
      var video = document.createElement("video");
      video.autoplay = true;
      video.playsInline = true;
      video.setAttribute("playsinline", "");
      if (own) { video.muted = true; }  // never hear oneself
      var caption = document.createElement("figcaption");
      var label = document.createElement("span");
      label.className = "call-name";
      label.textContent = own ? fill("{you} ({name})", { you: T.you, name: name }) : name;
      caption.appendChild(label);
      if (!own) {
        var state = document.createElement("span");
        state.className = "call-state";
        state.textContent = " — " + T.connecting;
        caption.appendChild(state);
      }
      figure.appendChild(video);
      figure.appendChild(caption);
      tiles.appendChild(figure);
      return figure;
    }

    function showOwnVideo() {
      if (!ownTile) { return; }
      var video = ownTile.querySelector("video");
      var track = screenTrack || cameraTrack;
      video.srcObject = track ? new MediaStream([track]) : null;
      ownTile.classList.toggle("call-tile--screen", Boolean(screenTrack));
    }

    // ---- Peers (perfect negotiation) ----------------------------------------------------------

    function outgoingVideo() { return screenTrack || cameraTrack; }

    function createPeer(id) {
      var name = names.get(id) || "…";
      var pc = new RTCPeerConnection({ iceServers: iceServers });
      var peer = {
        id: id, pc: pc, polite: me.id < id, offerer: me.id > id,
        makingOffer: false, ignoreOffer: false,
        stream: new MediaStream(), tile: makeTile(id, name, false), videoSender: null,
        wasConnected: false, candidates: [], flushTimer: null
      };
      peers.set(id, peer);
      var video = peer.tile.querySelector("video");

      if (audioTrack) {
        pc.addTrack(audioTrack, localStream);
      } else {
        pc.addTransceiver("audio", { direction: "recvonly" });
      }
      var out = outgoingVideo();
      if (out) {
        peer.videoSender = pc.addTrack(out, localStream);
      } else {  // no camera: keep a video slot, so sharing the screen later needs no new offer
        peer.videoSender = pc.addTransceiver("video", { direction: "sendrecv",
                                                        streams: [localStream] }).sender;
      }

      pc.ontrack = function (event) {
        var stream = event.streams && event.streams[0];
        if (!stream) {
          peer.stream.addTrack(event.track);
          stream = peer.stream;
        }
        if (video.srcObject !== stream) { video.srcObject = stream; }
      };
      // Candidates come in bursts: send them together, one frame per burst (rate limits).
      pc.onicecandidate = function (event) {
        peer.candidates.push(event.candidate ? event.candidate.toJSON() : null);
        if (!peer.flushTimer) {
          peer.flushTimer = window.setTimeout(function () {
            peer.flushTimer = null;
            var batch = peer.candidates.splice(0);
            if (batch.length && peers.get(id) === peer) {
              send({ type: "signal", to: id, data: { candidates: batch } });
            }
          }, 100);
        }
      };
      pc.onnegotiationneeded = function () {
        // The first offer comes from one side only (the higher id): both offering at once
        // (glare) works in theory, but Chromium then sometimes gathers no ICE candidates after
        // the polite side's rollback. The other side waits for it; later changes may come from
        // either side, the perfect-negotiation checks below resolving any collision.
        if (!peer.offerer && !pc.remoteDescription) { return; }
        peer.makingOffer = true;
        pc.setLocalDescription().then(function () {
          send({ type: "signal", to: id, data: { description: pc.localDescription.toJSON() } });
        }).catch(function () { /* a newer negotiation replaces this one */ }).then(function () {
          peer.makingOffer = false;
        });
      };
      pc.onconnectionstatechange = function () {
        var state = pc.connectionState;
        peer.tile.setAttribute("data-state", state);
        var stateEl = peer.tile.querySelector(".call-state");
        if (stateEl) { stateEl.textContent = state === "connected" ? "" : " — " + T.connecting; }
        var who = names.get(id) || name;
        if (state === "connected") {
          peer.wasConnected = true;
          say(fill(T.connected, { name: who }));
        } else if (state === "failed") {
          say(fill(peer.wasConnected ? T.reconnecting : T.failed, { name: who }));
          if (pc.restartIce && peer.offerer) { pc.restartIce(); }  // one side restarts
        }
      };
      return peer;
    }

    function removePeer(id) {
      var peer = peers.get(id);
      if (!peer) { return; }
      peers.delete(id);
      peer.pc.onconnectionstatechange = null;
      peer.pc.close();
      peer.tile.remove();
    }

    function onSignal(frame) {
      if (!inCall || !frame || !frame.data) { return; }
      var from = Number(frame.from);
      var peer = peers.get(from);
      if (!peer) {
        if (from === me.id) { return; }
        peer = createPeer(from);  // their signal overtook the "call" frame that lists them
      }
      var pc = peer.pc;
      var data = frame.data;
      if (data.description) {
        var description = data.description;
        var collision = description.type === "offer" &&
                        (peer.makingOffer || pc.signalingState !== "stable");
        peer.ignoreOffer = !peer.polite && collision;
        if (peer.ignoreOffer) { return; }
        pc.setRemoteDescription(description).then(function () {
          if (description.type !== "offer") { return null; }
          return pc.setLocalDescription().then(function () {
            send({ type: "signal", to: from, data: { description: pc.localDescription.toJSON() } });
          });
        }).catch(function () { /* the peer renegotiates */ });
      } else if (Array.isArray(data.candidates)) {
        data.candidates.forEach(function (candidate) {
          pc.addIceCandidate(candidate || null).catch(function () {
            /* a candidate of an ignored offer */
          });
        });
      }
    }

    // ---- Who is in the call -------------------------------------------------------------------

    function onCall(frame) {
      var list = (frame && frame.participants) || [];
      var previous = new Map(names);
      names = new Map();
      list.forEach(function (p) { names.set(Number(p.id), p.name); });
      summary.textContent = list.length
        ? fill(T.summary_people, { n: list.length, names: list.map(function (p) {
            return Number(p.id) === me.id ? T.you : p.name;
          }).join(", ") })
        : T.summary_empty;
      joinButton.hidden = inCall;
      if (!inCall) { return; }
      if (!names.has(me.id)) {
        if (confirmed) { leave(T.removed, false); }
        return;  // our own join is not through yet
      }
      confirmed = true;
      names.forEach(function (name, id) {
        if (id === me.id) { return; }
        var peer = peers.get(id);
        if (!peer) {
          createPeer(id);
          if (previous.size && !previous.has(id)) { say(fill(T.joined_other, { name: name })); }
        } else {
          peer.tile.querySelector(".call-name").textContent = name;
        }
      });
      Array.from(peers.keys()).forEach(function (id) {
        if (!names.has(id)) {
          say(fill(T.left_other, { name: previous.get(id) || "…" }));
          removePeer(id);
        }
      });
    }

    function onError(frame) {
      if (!frame || (frame.code !== "call_full" && frame.code !== "call_elsewhere")) { return; }
      if (inCall && !confirmed) { leave(frame.text, false); }
    }

    // ---- Joining and leaving -------------------------------------------------------------------

    function getMedia() {
      var md = navigator.mediaDevices;
      return md.getUserMedia({ audio: true, video: true }).then(function (stream) {
        return { stream: stream, note: T.joined };
      }).catch(function () {
        return md.getUserMedia({ audio: true, video: false }).then(function (stream) {
          return { stream: stream, note: T.audio_only };
        });
      }).catch(function () {
        return { stream: new MediaStream(), note: T.no_media };
      });
    }

    function setPressed(button, pressed) {
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    }

    function join() {
      if (inCall) { return; }
      if (!socket) { say(T.not_connected); return; }
      joinButton.disabled = true;
      say(T.starting);
      getMedia().then(function (media) {
        localStream = media.stream;
        audioTrack = localStream.getAudioTracks()[0] || null;
        cameraTrack = localStream.getVideoTracks()[0] || null;
        inCall = true;
        confirmed = false;
        ownTile = makeTile(me.id, me.name, true);
        showOwnVideo();
        setPressed(muteButton, false);
        setPressed(cameraButton, false);
        setPressed(shareButton, false);
        muteButton.disabled = !audioTrack;
        cameraButton.disabled = !cameraTrack;
        joinButton.hidden = true;
        joinButton.disabled = false;
        controls.hidden = false;
        send({ type: "call_join" });
        heartbeat = window.setInterval(function () { send({ type: "call_join" }); }, 15000);
        say(media.note);
        muteButton.focus();
      });
    }

    function leave(message, tellServer) {
      if (!inCall) { return; }
      if (tellServer !== false) { send({ type: "call_leave" }); }
      inCall = false;
      confirmed = false;
      window.clearInterval(heartbeat);
      Array.from(peers.keys()).forEach(removePeer);
      [screenTrack, cameraTrack, audioTrack].forEach(function (track) { if (track) { track.stop(); } });
      screenTrack = cameraTrack = audioTrack = localStream = null;
      if (ownTile) { ownTile.remove(); ownTile = null; }
      controls.hidden = true;
      joinButton.hidden = false;
      joinButton.disabled = false;
      joinButton.focus();
      say(message || T.left);
    }

    // ---- Controls ------------------------------------------------------------------------------

    function toggleMute() {
      if (!audioTrack) { return; }
      audioTrack.enabled = !audioTrack.enabled;
      setPressed(muteButton, !audioTrack.enabled);
      say(audioTrack.enabled ? T.unmuted : T.muted);
    }

    function toggleCamera() {
      if (!cameraTrack) { return; }
      cameraTrack.enabled = !cameraTrack.enabled;
      setPressed(cameraButton, !cameraTrack.enabled);
      say(cameraTrack.enabled ? T.camera_on : T.camera_off);
    }

    function sendVideo(track) {
      peers.forEach(function (peer) {
        if (peer.videoSender) { peer.videoSender.replaceTrack(track).catch(function () {}); }
      });
    }

    function stopSharing() {
      if (!screenTrack) { return; }
      var track = screenTrack;
      screenTrack = null;
      track.onended = null;
      track.stop();
      sendVideo(cameraTrack);
      showOwnVideo();
      setPressed(shareButton, false);
      say(T.sharing_stopped);
    }

    function toggleShare() {
      if (screenTrack) { stopSharing(); return; }
      navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }).then(function (stream) {
        if (!inCall) { stream.getTracks().forEach(function (t) { t.stop(); }); return; }
        screenTrack = stream.getVideoTracks()[0];
        // The browser's own "Stop sharing" bar ends the track: go back to the camera then.
        screenTrack.onended = stopSharing;
        sendVideo(screenTrack);
        showOwnVideo();
        setPressed(shareButton, true);
        say(T.sharing);
      }).catch(function () {
        say(T.share_failed);
      });
    }

    joinButton.addEventListener("click", join);
    leaveButton.addEventListener("click", function () { leave(T.left, true); });
    muteButton.addEventListener("click", toggleMute);
    cameraButton.addEventListener("click", toggleCamera);
    shareButton.addEventListener("click", toggleShare);
    window.addEventListener("pagehide", function () { if (inCall) { send({ type: "call_leave" }); } });

    // ---- The room's socket ---------------------------------------------------------------------

    attach = function (api) {
      if (!api || typeof api.send !== "function" || typeof api.on !== "function") { return; }
      socket = api;
      api.on("call", onCall);
      api.on("signal", onSignal);
      api.on("error", onError);
      api.send({ type: "call_state" });
      // After a reconnect the server has dropped us from the call: join again.
      if (inCall) {
        Array.from(peers.keys()).forEach(removePeer);
        confirmed = false;
        api.send({ type: "call_join" });
      }
    };
    if (window.OpenTwinSocket && window.OpenTwinSocket !== waiting) { waiting = window.OpenTwinSocket; }
    if (waiting) { attach(waiting); }
  }
}());
