"""A space's chat room and its polls (T-11): what the page, the no-JS forms and the WebSocket
share — checking a message, storing it, history pages, polls with one (changeable) vote per
member, the JSON the sockets carry, and deleting what is older than three months.

Who reads what: every member of a space reads the room's whole history (what is older than
RETENTION_DAYS is deleted by `flask maintenance` anyway, so a pupil never sees more than three
months); teachers therefore read the whole history, as T-11 asks.
"""
import datetime
import re

from flask_babel import lazy_gettext as _l
from peewee import JOIN, IntegrityError, fn

from models import ChatMessage, Poll, PollOption, PollVote, User, db, utcnow

HISTORY_PAGE = 50
RETENTION_DAYS = 90
QUESTION_MAX = 300
OPTION_MAX = 200
OPTIONS_MIN, OPTIONS_MAX = 2, 6
DEFAULT_MAX_CHARS = 2000

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class NotFound(Exception):
    """A poll or option that is not in this space (or not in this poll)."""


class Closed(Exception):
    """A poll that no longer takes votes."""


def clean_text(text):
    """One message as stored: line ends unified, control characters out, trimmed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def body_problem(body, max_chars=DEFAULT_MAX_CHARS):
    """Why a (cleaned) message cannot be sent, or None."""
    if not body:
        return _l("Write a message")
    if len(body) > max_chars:
        return _l("Write a message of at most %(n)s characters", n=max_chars)
    return None


def poll_problems(question, options):
    """{field: message} for a poll that cannot be asked; fields "question" and "options"."""
    problems = {}
    question = clean_text(question)
    if not question:
        problems["question"] = _l("Write the question")
    elif len(question) > QUESTION_MAX or "\n" in question:
        problems["question"] = _l("Write a question of one line, at most 300 characters")
    filled = [clean_text(o) for o in options if clean_text(o)]
    if len(filled) < OPTIONS_MIN:
        problems["options"] = _l("Give at least two options")
    elif len(filled) > OPTIONS_MAX:
        problems["options"] = _l("Give at most six options")
    elif any(len(o) > OPTION_MAX or "\n" in o for o in filled):
        problems["options"] = _l("Write options of one line, at most 200 characters each")
    return problems


# --- Writing ----------------------------------------------------------------------------------

def post_message(space_id, author_id, body):
    return ChatMessage.create(space=space_id, author=author_id, body=body)


def create_poll(space_id, author_id, question, options):
    """Store a poll and the chat line that carries it; return that ChatMessage."""
    filled = [clean_text(o) for o in options if clean_text(o)]
    with db.atomic():
        poll = Poll.create(space=space_id, author=author_id, question=clean_text(question))
        PollOption.insert_many([(poll.id, text, i) for i, text in enumerate(filled)],
                               fields=[PollOption.poll, PollOption.text,
                                       PollOption.position]).execute()
        return ChatMessage.create(space=space_id, author=author_id, poll=poll)


def vote(space_id, poll_id, option_id, user_id):
    """Record (or change) a member's vote; return the poll's results. A poll of another
    space, or an option of another poll, raises NotFound."""
    poll = Poll.get_or_none((Poll.id == poll_id) & (Poll.space == space_id))
    if poll is None:
        raise NotFound()
    if poll.closed_at is not None:
        raise Closed()
    option = PollOption.get_or_none((PollOption.id == option_id) & (PollOption.poll == poll.id))
    if option is None:
        raise NotFound()
    with db.atomic():
        updated = (PollVote.update(option=option.id, created_at=utcnow())
                   .where(PollVote.poll == poll.id, PollVote.user == user_id).execute())
        if not updated:
            try:
                with db.atomic():
                    PollVote.create(poll=poll.id, option=option.id, user=user_id)
            except IntegrityError:  # a second tab voted at the same moment: change it
                (PollVote.update(option=option.id)
                 .where(PollVote.poll == poll.id, PollVote.user == user_id).execute())
    return poll_results([poll.id])[poll.id]


# --- Reading ----------------------------------------------------------------------------------

def history(space_id, before_id=None, limit=HISTORY_PAGE):
    """(messages oldest first, has_more): the `limit` messages before `before_id`."""
    query = (ChatMessage.select(ChatMessage, User.id, User.name)
             .join(User, JOIN.LEFT_OUTER)
             .where(ChatMessage.space == space_id)
             .order_by(ChatMessage.id.desc()).limit(limit + 1))
    if before_id is not None:
        query = query.where(ChatMessage.id < before_id)
    rows = list(query)
    return list(reversed(rows[:limit])), len(rows) > limit


def poll_results(poll_ids):
    """{poll_id: {id, question, closed, total, options: [{id, text, votes}]}}."""
    poll_ids = list(poll_ids)
    if not poll_ids:
        return {}
    polls = {p.id: p for p in Poll.select().where(Poll.id.in_(poll_ids))}
    counts = dict(PollVote.select(PollVote.option, fn.COUNT(PollVote.id))
                  .where(PollVote.poll.in_(poll_ids)).group_by(PollVote.option).tuples())
    results = {pid: {"id": pid, "question": p.question, "closed": p.closed_at is not None,
                     "total": 0, "options": []} for pid, p in polls.items()}
    for option in (PollOption.select().where(PollOption.poll.in_(poll_ids))
                   .order_by(PollOption.position, PollOption.id)):
        votes = counts.get(option.id, 0)
        result = results[option.poll_id]
        result["options"].append({"id": option.id, "text": option.text, "votes": votes})
        result["total"] += votes
    return results


def my_votes(poll_ids, user_id):
    """{poll_id: option_id} of the polls this user voted in."""
    poll_ids = list(poll_ids)
    if not poll_ids:
        return {}
    return dict(PollVote.select(PollVote.poll, PollVote.option)
                .where(PollVote.poll.in_(poll_ids), PollVote.user == user_id).tuples())


def iso(moment):
    return moment.replace(tzinfo=datetime.timezone.utc).isoformat()


def message_dict(message, polls=None, mine=None):
    """The JSON form of a message (a "message" frame without its type, a history entry)."""
    author = message.author if message.author_id else None
    data = {"id": message.id,
            "author": ({"id": author.id, "name": author.name} if author else None),
            "body": message.body, "created_at": iso(message.created_at)}
    if message.hidden_at is not None:
        # Hidden by a moderator after a report (G-8): the line stays, its words do not.
        from flask_babel import gettext
        data["body"], data["hidden"] = gettext("Hidden by a moderator."), True
    if message.poll_id:
        polls = polls if polls is not None else poll_results([message.poll_id])
        poll = polls.get(message.poll_id)
        if poll is not None:
            poll = dict(poll)
            if mine is not None:
                poll["my_vote"] = mine.get(message.poll_id)
            data["poll"] = poll
    return data


def messages_with_polls(messages, user_id):
    """(polls, mine) for a page of messages: every poll's results and the reader's votes."""
    poll_ids = [m.poll_id for m in messages if m.poll_id]
    return poll_results(poll_ids), my_votes(poll_ids, user_id)


# --- Housekeeping and demo --------------------------------------------------------------------

def purge(days=RETENTION_DAYS, now=None):
    """Delete chat messages and polls older than `days`; return (messages, polls) deleted."""
    cutoff = (now or utcnow()) - datetime.timedelta(days=days)
    with db.atomic():
        old_polls = Poll.select(Poll.id).where(Poll.created_at < cutoff)
        # Votes and options go with their poll (ON DELETE CASCADE), but say it explicitly:
        # the count must not depend on a database's foreign-key setting.
        PollVote.delete().where(PollVote.poll.in_(old_polls)).execute()
        PollOption.delete().where(PollOption.poll.in_(old_polls)).execute()
        messages = ChatMessage.delete().where(
            (ChatMessage.created_at < cutoff) | ChatMessage.poll.in_(old_polls)).execute()
        polls = Poll.delete().where(Poll.created_at < cutoff).execute()
    return messages, polls


def seed_chat(space, people, now=None):
    """Demo lines in a space's chat: a few messages from `people` (User objects, the first a
    teacher of the space) and one poll asked by the first, with votes from the others.
    Returns the poll's ChatMessage."""
    now = now or utcnow()
    teacher, others = people[0], list(people[1:]) or [people[0]]
    lines = [
        (teacher, "Good morning! Today we compare our river measurements."),
        (others[0], "We measured the pH yesterday: 7.4 near the bridge."),
        (others[-1], "Our river is colder than yours, 11 °C this morning."),
        (teacher, "Great work. A quick question for everybody:"),
    ]
    for minutes, (author, body) in zip(range(len(lines) + 1, 1, -1), lines):
        ChatMessage.create(space=space, author=author, body=body,
                           created_at=now - datetime.timedelta(minutes=minutes))
    message = create_poll(space.id, teacher.id, "Which day suits everybody for the next call?",
                          ["Tuesday", "Wednesday", "Thursday"])
    options = list(PollOption.select().where(PollOption.poll == message.poll_id)
                   .order_by(PollOption.position))
    for i, person in enumerate(others):
        vote(space.id, message.poll_id, options[i % 2].id, person.id)
    return message
