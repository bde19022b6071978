"""What every search index shares (services/search.py, search_index.py, group_search.py): the
folding of text into plain tokens, the filter tags and bits, and the database helpers that
speak to SQLite's FTS5 or PostgreSQL's tsvector."""
import os
import re
import unicodedata

from babel.support import NullTranslations, Translations
from peewee import PostgresqlDatabase

from models import db
from services.reference import AGE_RANGES, COMMUNITY_ROLES, COUNTRY_CODES, SUBJECTS

# The search index's own tables (migrations 0003, 0015): not models, rebuilt from them.
INDEX_TABLES = ("teacher_search", "school_search", "project_search", "group_search")

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TRANSLATIONS_DIR = os.path.join(HERE, "translations")

MAX_KEYWORD_CHARS = 200
MAX_TOKENS = 8
MAX_TOKEN_CHARS = 40
MAX_DOC_TOKEN_CHARS = 60
PREFIX_MIN = 2            # shorter tokens match whole words only
MAX_PER_PAGE = 100
OPERATORS = {"AND", "OR", "NOT", "NEAR"}
COUNT_CAP = 1000          # results counted and paged at most; beyond: "more than", id order
BATCH = 5000              # rows per id range when reindexing

SUBJECT_BITS = {code: 1 << i for i, code in enumerate(SUBJECTS)}
AGE_BITS = {code: 1 << i for i, code in enumerate(AGE_RANGES)}
COUNTRY_BITS = {code: 1 << i for i, code in enumerate(COUNTRY_CODES)}
SUBJECT_TAGS = {code: f"zzs{i}" for i, code in enumerate(SUBJECTS)}
AGE_TAGS = {code: f"zza{i}" for i, code in enumerate(AGE_RANGES)}
PUBLIC_TAG = "zzpublic"
ROLE_TAGS = {code: f"zzr{i}" for i, code in enumerate(COMMUNITY_ROLES)}
MEMBER_TAG = "zzmember"


def _country_tag(code):
    return "zzc" + code.lower()


# --- Text folding and keyword parsing -------------------------------------------------------

_EXTRA_FOLDS = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                              "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th",
                              "Þ": "th", "ð": "d", "Ð": "d", "ı": "i", "ħ": "h", "Ħ": "h"})
_WORD = re.compile(r"[^\W_]+")


def fold(text):
    """Lower-case `text` and strip accents: "Alcalá" -> "alcala", "Øre" -> "ore"."""
    text = (text or "").translate(_EXTRA_FOLDS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.casefold()


def tokens(text):
    """The folded word tokens of a text (each cut to MAX_DOC_TOKEN_CHARS)."""
    return [t[:MAX_DOC_TOKEN_CHARS] for t in _WORD.findall(fold(text))]


def document(*parts):
    """One indexable text: folded tokens separated by spaces (what both backends index)."""
    return " ".join(t for part in parts if part for t in tokens(part))


def keyword_tokens(keyword):
    """Safe query tokens: words only, no operators, at most MAX_TOKENS, deduplicated."""
    keyword = (keyword or "")[:MAX_KEYWORD_CHARS]
    result = []
    for raw in _WORD.findall(keyword):
        if raw in OPERATORS:
            continue
        for token in tokens(raw):
            token = token[:MAX_TOKEN_CHARS]
            if token not in result:
                result.append(token)
    return result[:MAX_TOKENS]


def sort_key(text):
    return document(text)[:120]


_subject_labels = None


def _is_pg():
    return isinstance(db.obj, PostgresqlDatabase)


def _sql(sql):
    """Our SQL is written with '?' placeholders; PostgreSQL's driver wants '%s'."""
    return sql.replace("?", "%s") if _is_pg() else sql


def _fetch(sql, params=()):
    return db.execute_sql(_sql(sql), params).fetchall()


def _executemany(sql, rows):
    if not rows:
        return
    if _is_pg():
        from psycopg2.extras import execute_values
        with db.cursor() as cursor:
            execute_values(cursor, sql, rows, page_size=1000)
    else:
        db.cursor().executemany(sql, rows)


def _spanish():
    """The Spanish catalogue: the compiled .mo, else the .po (a fresh checkout has no .mo)."""
    translations = Translations.load(TRANSLATIONS_DIR, ["es"])
    if type(translations) is not NullTranslations:
        return translations
    po = os.path.join(TRANSLATIONS_DIR, "es", "LC_MESSAGES", "messages.po")
    if not os.path.exists(po):
        return translations
    from babel.messages.pofile import read_po
    with open(po, "rb") as fh:
        catalog = read_po(fh, locale="es")

    class _Catalog:
        def gettext(self, msgid):
            message = catalog.get(msgid)
            return message.string if message is not None and message.string else msgid
    return _Catalog()


def subject_labels():
    """Every subject code's names to index: English and Spanish, whatever the request."""
    global _subject_labels
    if _subject_labels is None:
        translations = _spanish()
        labels = {}
        for code, lazy in SUBJECTS.items():
            # The English msgid, whatever the locale of a request that may be under way.
            english = lazy._args[0] if getattr(lazy, "_args", None) else str(lazy)
            labels[code] = document(english, translations.gettext(english))
        _subject_labels = labels
    return _subject_labels


# --- Result pages --------------------------------------------------------------------------
