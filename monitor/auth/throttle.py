"""Failed sign-ins counted per (account, source address), with decay and exponential back-off.

A stranger who types wrong passwords for someone's e-mail blocks only the pair (that e-mail, the stranger's
address): the account's owner signs in from any other address as usual. Per pair, the ``LOGIN_MAX_FAILURES``-th
failure within ``LOGIN_FAILURE_WINDOW_SECONDS`` blocks the pair for ``LOGIN_LOCK_SECONDS``, and each further one
(after the block) for twice as long as the one before, at most ``LOGIN_LOCK_MAX_SECONDS``. A pair whose last failure
is older than the window starts again from zero (the counter decays), and a complete sign-in clears it. While a pair
is blocked nothing is checked, so the block cannot be extended by trying.

Unknown e-mails are counted exactly like known ones (by the keyed digest of what was typed), so the answers never
tell whether an account exists. IPv6 addresses count by their /64 network (one household or server gets a whole
/64 and could otherwise step through it). What counts as a failure: a wrong password at sign-in, on the
password-change page and wherever the password confirms a change, and a wrong two-step code.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import math
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from .keys import keyed_digest
from .models import LoginThrottle


@dataclass(frozen=True)
class Attempt:
    """Who is trying: the keyed digests of the account (its normalised e-mail) and of the source network."""

    account_key: str
    source_key: str

    def audit_detail(self) -> dict[str, str]:
        """Short digest prefixes for the audit log: enough to see that attempts come from one place."""
        return {"account": self.account_key[:16], "source": self.source_key[:12]}


def source_network(address: str | None) -> str:
    """The address an attempt is counted under: IPv4 as is, IPv6 as its /64 network."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


def attempt_for(email_key: str, address: str | None) -> Attempt:
    """``email_key`` is the normalised e-mail (``operations.normalise_email``)."""
    return Attempt(keyed_digest("login-account", email_key), keyed_digest("login-source", source_network(address)))


def _row(attempt: Attempt) -> LoginThrottle | None:
    return db.session.scalar(select(LoginThrottle).where(LoginThrottle.account_key == attempt.account_key,
                                                         LoginThrottle.source_key == attempt.source_key))


def _seconds_until(moment: dt.datetime | None, now: dt.datetime) -> int:
    if moment is None or moment <= now:
        return 0
    return math.ceil((moment - now).total_seconds())


def blocked_for(attempt: Attempt, now: dt.datetime) -> int:
    """Seconds this pair must still wait (0: it may try)."""
    row = _row(attempt)
    return _seconds_until(row.blocked_until, now) if row is not None else 0


def record_failure(attempt: Attempt, now: dt.datetime) -> int:
    """Count a failure; returns the seconds the pair is now blocked for (0 while failures are still free)."""
    config = current_app.config
    window = dt.timedelta(seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"])
    _forget_old(now - window, now)
    row = _row(attempt)
    if row is None:
        try:
            with db.session.begin_nested():  # two workers may count the first failure at once
                row = LoginThrottle(account_key=attempt.account_key, source_key=attempt.source_key, failures=0,
                                    last_failure_at=now)
                db.session.add(row)
        except IntegrityError:
            row = _row(attempt)
            assert row is not None
    if row.last_failure_at < now - window:
        row.failures = 0  # decayed: the earlier failures are too old to count
    row.failures += 1
    row.last_failure_at = now
    over = row.failures - config["LOGIN_MAX_FAILURES"]
    if over >= 0:
        seconds = min(config["LOGIN_LOCK_SECONDS"] * 2 ** min(over, 20), config["LOGIN_LOCK_MAX_SECONDS"])
        row.blocked_until = now + dt.timedelta(seconds=seconds)
    db.session.flush()
    return _seconds_until(row.blocked_until, now)


def clear(attempt: Attempt) -> None:
    """Forget the pair's failures (after a complete sign-in)."""
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.account_key == attempt.account_key,
                                                   LoginThrottle.source_key == attempt.source_key))


def _forget_old(before: dt.datetime, now: dt.datetime) -> None:
    """Pairs with no failure in the window and no block left are of no use any more (keeps the table small)."""
    db.session.execute(delete(LoginThrottle).where(
        LoginThrottle.last_failure_at < before,
        or_(LoginThrottle.blocked_until.is_(None), LoginThrottle.blocked_until < now),
    ))
