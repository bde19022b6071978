"""Fixed lists the platform is built on: countries, subjects, pupil age ranges, languages.

Codes are stored in the database; names are shown in the reader's language. Country names come
from the CLDR data that Babel ships, so every interface language has them without our catalogue.
"""
from babel import Locale
from flask_babel import lazy_gettext as _l

# The countries taking part in eTwinning: the EU member states, the other Erasmus+ programme
# countries, and the partner countries of its neighbourhood. ISO 3166-1 alpha-2 codes.
COUNTRY_CODES = (
    "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR",
    "GE", "GR", "HR", "HU", "IE", "IS", "IT", "JO", "LB", "LI", "LT", "LU", "LV", "MD", "MK",
    "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "TN", "TR", "UA",
)

SUBJECTS = {
    "art": _l("Art"),
    "biology": _l("Biology"),
    "chemistry": _l("Chemistry"),
    "citizenship": _l("Citizenship"),
    "computing": _l("Computing"),
    "cross_curricular": _l("Cross-curricular"),
    "economics": _l("Economics"),
    "environment": _l("Environmental education"),
    "foreign_languages": _l("Foreign languages"),
    "geography": _l("Geography"),
    "history": _l("History"),
    "home_language": _l("Home language and literature"),
    "maths": _l("Mathematics"),
    "music": _l("Music"),
    "physical_education": _l("Physical education"),
    "physics": _l("Physics"),
    "pre_school": _l("Pre-school education"),
    "religion_ethics": _l("Religion and ethics"),
    "special_needs": _l("Special needs education"),
    "technology": _l("Technology"),
    "vocational": _l("Vocational training"),
}

AGE_RANGES = {
    "0-5": _l("Up to 5 years"),
    "6-11": _l("6 to 11 years"),
    "12-15": _l("12 to 15 years"),
    "16-19": _l("16 to 19 years"),
    "20+": _l("20 years and over"),
}

# Interface languages with a complete catalogue, each named in its own language.
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT_LANGUAGE = "en"


def country_name(code, locale="en"):
    """Return the name of a country in the given interface language."""
    return Locale.parse(locale).territories.get(code, code)


def country_choices(locale="en"):
    """Return (code, name) pairs sorted by name in the given language."""
    pairs = [(code, country_name(code, locale)) for code in COUNTRY_CODES]
    return sorted(pairs, key=lambda pair: pair[1])


# CLDR territories that are not countries (groupings, pseudo-locales, outlying parts).
_NOT_COUNTRIES = {"AC", "CP", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}


def other_country_choices(locale="en"):
    """(code, name) pairs, sorted by name, of the countries NOT taking part: those whose
    teachers a space adds by hand (T-12), since they cannot register themselves."""
    names = Locale.parse(locale).territories
    pairs = [(code, name) for code, name in names.items()
             if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
             and code not in COUNTRY_CODES]
    return sorted(pairs, key=lambda pair: pair[1].casefold())


ROLE_NAMES = {
    "teacher": _l("Teacher"),
    "student": _l("Pupil"),
    "visitor": _l("Guest"),
    "nss": _l("National support staff"),
    "css": _l("Central support staff"),
}


# Languages a project, a publication or an event may be in: the EU's official languages and
# those of the other countries taking part. ISO 639-1 codes; names from CLDR.
CONTENT_LANGUAGES = (
    "ar", "az", "bg", "bs", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
    "hu", "hy", "is", "it", "ka", "lt", "lv", "mk", "mt", "nl", "no", "pl", "pt", "ro", "sk",
    "sl", "sq", "sr", "sv", "tr", "uk",
)


def language_name(code, locale="en"):
    """Return the name of a language in the given interface language."""
    return Locale.parse(locale).languages.get(code, code)


def language_choices(locale="en"):
    pairs = [(code, language_name(code, locale)) for code in CONTENT_LANGUAGES]
    return sorted(pairs, key=lambda pair: pair[1].casefold())

TESTIMONIAL_ROLES = {
    "teacher": _l("Teacher"),
    "head": _l("Head teacher"),
    "staff": _l("Support staff"),
    "authority": _l("Education authority"),
}

EVENT_KINDS = {
    "workshop": _l("Workshop"),
    "learning_event": _l("Learning event"),
}

# What a teacher does at school, the "role in the community" people search by (L-2).
COMMUNITY_ROLES = {
    "teacher": _l("Teacher"),
    "head_teacher": _l("Head teacher"),
    "librarian": _l("School librarian"),
    "ict_coordinator": _l("ICT coordinator"),
    "counsellor": _l("School counsellor"),
    "teacher_trainer": _l("Teacher trainer"),
}

# Colour schemes of a space (T-15); each keeps white text on its colours at AA contrast.
SPACE_THEMES = {
    "blue": _l("Blue"),
    "green": _l("Green"),
    "purple": _l("Purple"),
    "red": _l("Red"),
    "teal": _l("Teal"),
}

SPACE_ROLES = {
    "admin": _l("Teacher who runs the space"),
    "teacher": _l("Teacher"),
    "student": _l("Pupil"),
    "visitor": _l("Guest"),
    "moderator": _l("Moderator"),
    "member": _l("Member"),
}
