"""Failed log-ins (P-6), counted so that guessing is slow but nobody can lock a teacher out.

Only failures count, and against two keys:
- the account as typed *and* the client's address (LOGIN_FAILURES_PER_ACCOUNT): someone
  guessing Ana's password from elsewhere does not stop Ana logging in from her school;
- the client's address alone, whatever the account (LOGIN_FAILURES_PER_ADDRESS, larger:
  a school network shares one address).
The account key also names the account's current password, so setting a new one (the
password-reset link) starts its count afresh everywhere. A successful log-in clears the
count of that account from that address.

The counts live in the rate limiter's storage (RATELIMIT_STORAGE_URI: Redis when REDIS_URL is
set), so every server process sees the same numbers.
"""
import hashlib
import math
import time

from flask import current_app
from limits import parse

from extensions import limiter
from models import User
from services import accounts


class Attempts:
    """The failure counts a log-in of `identifier` from `address` is checked against."""

    def __init__(self, identifier, address):
        self.enabled = bool(current_app.config.get("RATELIMIT_ENABLED"))
        if not self.enabled:
            return
        typed = (identifier or "").strip().lower()[:254]
        user = User.by_login(typed)
        account = hashlib.sha256(
            f"{typed}\n{accounts.password_fingerprint(user) if user else '-'}".encode()
        ).hexdigest()[:32]
        config = current_app.config
        prefix = config.get("RATELIMIT_KEY_PREFIX") or "opentwin"
        address = address or "-"
        self.keys = [(parse(config["LOGIN_FAILURES_PER_ACCOUNT"]),
                      (prefix, "login-failed", "account", account, address)),
                     (parse(config["LOGIN_FAILURES_PER_ADDRESS"]),
                      (prefix, "login-failed", "address", address))]

    def wait(self):
        """Seconds to wait before the next try (0: go ahead)."""
        if not self.enabled:
            return 0
        wait = 0
        for item, ids in self.keys:
            if not limiter.limiter.test(item, *ids):
                reset_at = limiter.limiter.get_window_stats(item, *ids).reset_time
                wait = max(wait, reset_at - time.time(), 1)
        return math.ceil(wait)

    def failed(self):
        """Count one failed log-in."""
        if self.enabled:
            for item, ids in self.keys:
                limiter.limiter.hit(item, *ids)

    def succeeded(self):
        """Forget the failures of this account from this address (the owner got in)."""
        if self.enabled:
            item, ids = self.keys[0]
            limiter.limiter.clear(item, *ids)
