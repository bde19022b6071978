"""The one place that answers "may this user see or change this?".

Views call these rules (through web.require or directly) before doing anything; templates may
ask them only to decide whether to show a button. Each rule takes the user first.

The rules live in modules by area — people, the portal and Live (people.py); a space, shared
by every kind of space (spaces.py); its materials, consent and files (materials.py); groups
and netiquette reports (groups.py) — and are all reached as `permissions.<rule>` from here.
"""
from services.permissions.people import *  # noqa: F401,F403
from services.permissions.spaces import *  # noqa: F401,F403
from services.permissions.materials import *  # noqa: F401,F403
from services.permissions.groups import *  # noqa: F401,F403
