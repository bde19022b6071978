"""A space's live room (T-11): the chat with its history, who is in the room, polls, and the
call panel (F2's partial). Everything works without JavaScript — history pages through
?before=<id>, posting, asking and voting are normal POSTs — and chat.js adds the WebSocket
(live_socket.py) for messages, presence and results that arrive by themselves."""
from urllib.parse import urlsplit

from flask import abort, current_app, g, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from blueprints.spaces import bp
from blueprints.spaces.access import space_required
from blueprints.spaces.live_forms import MessageForm, PollForm, VoteForm
from models import ChatMessage
from services import chat, permissions, realtime
from web import go, render

chat_member = space_required(permissions.can_use_space_chat)
chat_writer = space_required(permissions.can_post_in_space_chat)
poll_asker = space_required(permissions.can_ask_space_poll)
PRESENCE = "chat"


def _before_arg():
    value = request.args.get("before", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None


def _live_page(message_form=None, poll_form=None, status=None):
    before = _before_arg()
    messages, has_more = chat.history(g.space.id, before_id=before)
    polls, mine = chat.messages_with_polls(messages, current_user.id)
    teacher = permissions.can_ask_space_poll(current_user, g.space, g.membership)
    may_post = permissions.can_post_in_space_chat(current_user, g.space, g.membership)
    return render(
        "spaces/live.html", status=status,
        messages=messages, has_more=has_more, before=before, polls=polls, mine=mine,
        presence=realtime.Presence(PRESENCE).frame(g.space.id), may_post=may_post,
        message_form=(message_form or MessageForm()) if may_post else None,
        poll_form=(poll_form or PollForm()) if teacher else None,
        vote_form=VoteForm(), max_chars=_max_chars(),
        # A WebSocket rule builds as ws://host/...; chat.js picks ws: or wss: and the host.
        socket_path=urlsplit(url_for(".live_socket")).path,
        strings=_js_strings())


def _max_chars():
    return current_app.config.get("CHAT_MAX_CHARS", chat.DEFAULT_MAX_CHARS)


def _js_strings():
    """What chat.js says, in the reader's language."""
    return {
        "vote_prefix": _("Vote:"), "your_vote": _("your vote"),
        "votes_one": _("%(n)s vote"), "votes_other": _("%(n)s votes"),
        "total": _("Total votes: %(n)s"),
        "connecting": _("Connecting to the room…"),
        "connected": _("Connected: new messages appear by themselves."),
        "lost": _("Connection lost. Trying again…"),
        "stopped": _("You are no longer in this room. Reload the page."),
        "older_loaded": _("Older messages loaded."), "no_older": _("This is the start of the chat."),
        "deleted_user": _("Former member"),
        "more_one": _("and %(n)s more person"), "more_other": _("and %(n)s more people"),
    }


@bp.route("/live")
@chat_member
def live():
    """The room: latest messages (or older ones with ?before=), people, forms, call panel."""
    return _live_page()


@bp.route("/live/messages", methods=["POST"])
@chat_writer
def live_post():
    """Post a message without JavaScript; everybody connected sees it arrive."""
    form = MessageForm()
    if not form.validate_on_submit():
        return _live_page(message_form=form)
    rt = realtime.get()
    limit, seconds = current_app.config.get("CHAT_RATE", (10, 10))
    if not rt.rate_ok(f"chat:{current_user.id}", limit, seconds):
        form.body.errors = [_("You are sending messages very fast. Wait a few seconds, "
                              "then send it again.")]
        return _live_page(message_form=form, status=429)
    message = chat.post_message(g.space.id, current_user.id, form.body.data)
    rt.publish(g.space.id, {"type": "message", **chat.message_dict(message)})
    return go(url_for(".live") + f"#msg-{message.id}")


@bp.route("/live/polls", methods=["POST"])
@poll_asker
def live_poll():
    """A teacher asks a question with 2 to 6 options."""
    form = PollForm()
    if not form.validate_on_submit():
        return _live_page(poll_form=form)
    limit, seconds = current_app.config.get("CHAT_RATE", (10, 10))
    if not realtime.get().rate_ok(f"chat:{current_user.id}", limit, seconds):
        form.question.errors = [_("You are sending messages very fast. Wait a few seconds, "
                                  "then send it again.")]
        return _live_page(poll_form=form, status=429)
    message = chat.create_poll(g.space.id, current_user.id, form.question.data, form.options)
    realtime.get().publish(g.space.id, {"type": "message", **chat.message_dict(message)})
    return go(url_for(".live") + f"#msg-{message.id}", _("Your question is in the chat."))


@bp.route("/live/polls/<int:poll_id>/vote", methods=["POST"])
@chat_writer
def live_vote(poll_id):
    """Vote (or change one's vote) without JavaScript. A poll of another space, or an option
    of another poll, is not found."""
    form = VoteForm()
    if not form.validate_on_submit() or not 0 < form.option.data < 2 ** 31:
        abort(400)
    from blueprints.spaces.live_socket import VOTE_RATE  # the socket's limit, shared
    limit, seconds = VOTE_RATE
    if not realtime.get().rate_ok(f"vote:{current_user.id}", limit, seconds):
        abort(429)
    try:
        results = chat.vote(g.space.id, poll_id, form.option.data, current_user.id)
    except chat.NotFound:
        abort(404)
    except chat.Closed:
        abort(409)
    realtime.get().publish(g.space.id, {"type": "poll_update", "poll": results})
    message = ChatMessage.get_or_none(ChatMessage.poll == poll_id)
    anchor = f"#msg-{message.id}" if message else ""
    return go(url_for(".live") + anchor, _("Your vote is counted."))


from blueprints.spaces import live_socket  # noqa: E402,F401  (the WebSocket route)
