"""The videoconference of a space's Live room (T-11): WebSocket frame handlers.

The browsers talk WebRTC to each other (a mesh of up to six people); the server only says who is
in the call and passes signalling messages (SDP offers/answers, ICE candidates) from one
participant to another, over the room's WebSocket. The functions below are that socket's frame
handlers, `fn(ctx, frame)`, and `on_call_disconnect(ctx)`; blueprints/spaces/live_socket.py
registers them with the chat's own (one registry, ROOM; this module imports nothing of it).

Client -> server: "call_join" {} (repeated while in the call: a heartbeat), "call_leave" {},
"signal" {to, data}, "call_state" {} (who is in the call, to this socket only).
Server -> client: "call" {participants: [{id, name}]} to the room when it changes (or to the
asking socket for "call_state"), "signal" {from, data} to the target user only.

Who is in the call is kept in realtime.Presence("call"), which every server process sees.
"""
import json
import uuid

from flask_babel import gettext as _

MAX_PARTICIPANTS = 6
MAX_SIGNAL_BYTES = 64 * 1024  # an SDP with several tracks is a few KB; ICE candidates less

_presence = None


def presence():
    """The shared register of call participants (realtime.Presence("call"))."""
    global _presence
    if _presence is None:
        from services import realtime
        _presence = realtime.Presence("call")
    return _presence


def participants(space_id):
    """[{id, name}] of the people in the space's call, one entry per person."""
    return [{"id": int(p["id"]), "name": p["name"]} for p in presence().people(space_id)]


def _conn_id(ctx):
    return ctx.state.setdefault("call_conn", uuid.uuid4().hex)


def _announce(ctx):
    ctx.publish({"type": "call", "participants": participants(ctx.space_id)})


def on_call_state(ctx, frame):
    """Tell this socket who is in the call (sent on connecting, to show "3 people in the call")."""
    ctx.send({"type": "call", "participants": participants(ctx.space_id)})


def on_call_join(ctx, frame):
    """Join the call; repeated while in it (every ~15 s), it keeps one's entry alive (with
    Redis, an entry not refreshed within realtime.PRESENCE_TTL is dropped)."""
    if ctx.state.get("in_call"):
        presence().add(ctx.space_id, _conn_id(ctx), ctx.user_id, ctx.user_name)
        return
    people = participants(ctx.space_id)
    if any(p["id"] == ctx.user_id for p in people):
        ctx.error("call_elsewhere", _("You are already in this call in another window or tab."))
        return
    if len(people) >= MAX_PARTICIPANTS:
        ctx.error("call_full", _("The call is full (%(n)d people). Use the larger meeting room.",
                                 n=MAX_PARTICIPANTS))
        return
    presence().add(ctx.space_id, _conn_id(ctx), ctx.user_id, ctx.user_name)
    ctx.state["in_call"] = True
    _announce(ctx)


def _leave(ctx):
    if not ctx.state.get("in_call"):
        return False
    presence().remove(ctx.space_id, _conn_id(ctx))
    ctx.state["in_call"] = False
    _announce(ctx)
    return True


def on_call_leave(ctx, frame):
    _leave(ctx)


def on_call_disconnect(ctx):
    _leave(ctx)


def on_signal(ctx, frame):
    """Pass an offer, answer or ICE candidate to one other participant of this space's call."""
    if not ctx.state.get("in_call"):
        ctx.error("not_in_call", _("Join the call first."))
        return
    to = frame.get("to")
    if isinstance(to, bool) or not isinstance(to, int) or to == ctx.user_id:
        ctx.error("bad_signal", _("That person is not in the call."))
        return
    if to not in {p["id"] for p in participants(ctx.space_id)}:
        ctx.error("bad_signal", _("That person is not in the call."))
        return
    data = frame.get("data")
    if not isinstance(data, dict):
        ctx.error("bad_signal", _("The call could not be connected: a message was malformed."))
        return
    if len(json.dumps(data, separators=(",", ":"))) > MAX_SIGNAL_BYTES:
        ctx.error("signal_too_large",
                  _("The call could not be connected: a message was too large."))
        return
    ctx.publish({"type": "signal", "from": ctx.user_id, "data": data}, to_user=to)
