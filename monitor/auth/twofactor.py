"""Two-step sign-in: a time-based code (TOTP, RFC 6238, as authenticator apps make) after the password, with
one-time recovery codes for a lost phone.

The TOTP secret is stored encrypted (``keys.encrypt``) and shown only while enrolling. A code is accepted for the
current 30-second step and the one before and after it (clock drift), and only for a step later than the last
accepted one: a code seen over someone's shoulder cannot be used again. Recovery codes are shown once, right after
they are made, and stored as keyed digests (HMAC-SHA-256 under a key derived from ``SECRET_KEY``, which is not in
the database): Argon2 would be the choice for a person's password, but with 10 codes to check it made one wrong
code cost ~18 s of CPU with the production profile (benchmarks/bench_signin.py), and a random code of ~49 bits
needs no stretching when the key is not stored with it. Which roles must use it: ``TWO_FACTOR_REQUIRED_ROLES`` (see
``required_roles``).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass
from typing import Any, Mapping

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, func, select

from ..audit.operations import record_event
from ..extensions import db
from ..refusals import OperationRefused
from .keys import decrypt, encrypt, keyed_digest, keyed_digests, reencrypt
from .models import RecoveryCode, Role, User
from .throttle import Attempt, blocked_for, record_failure

ISSUER = "Remigrācijas monitorings"
RECOVERY_CODE_COUNT = 10
# no 0/o, 1/l/i: recovery codes are read off paper; 10 characters of 31 ≈ 49 bits each
_RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_TOTP_SHAPE = re.compile(r"\d{6}")
#: the roles that must use two-step sign-in when the setting is not given (outside the demo)
DEFAULT_REQUIRED_ROLES = frozenset({Role.ADMIN.value, Role.REVIEWER.value})


def required_roles(config: Mapping[str, Any]) -> frozenset[str]:
    """The roles that must use two-step sign-in: ``TWO_FACTOR_REQUIRED_ROLES`` (names separated by commas or
    spaces, "" for none). Not set: administrators and reviewers, except in the demo, where nobody must (its users
    sign in with the printed password; anyone may still turn it on). An unknown role name is an error."""
    value = config.get("TWO_FACTOR_REQUIRED_ROLES")
    if value is None:
        return frozenset() if config.get("MONITOR_DEMO") else DEFAULT_REQUIRED_ROLES
    if not isinstance(value, str) and isinstance(value, (list, tuple, set, frozenset)):
        names = [str(v) for v in value]
    else:
        names = re.split(r"[\s,]+", str(value).strip())
    roles = frozenset(name.strip().lower() for name in names if name.strip()) - {"none"}
    unknown = roles - {role.value for role in Role}
    if unknown:
        raise ValueError(f"TWO_FACTOR_REQUIRED_ROLES: unknown role(s) {', '.join(sorted(unknown))}; "
                         f"use {', '.join(role.value for role in Role)} or nothing")
    return roles


def two_factor_required(user: User) -> bool:
    return user.role in required_roles(current_app.config)


def two_factor_missing(user: User) -> bool:
    """The user's role requires two-step sign-in but it is not set up."""
    return not user.has_two_factor and two_factor_required(user)


# --- enrolment ---------------------------------------------------------------------------------------------------

def start_enrolment(user: User) -> None:
    """Give ``user`` a new secret to enrol with (kept while enrolment is unfinished, so a reload shows the same)."""
    if user.has_two_factor:
        raise OperationRefused("already", "Divpakāpju pieslēgšanās jau ir ieslēgta.", "Two-step sign-in is already on.")
    if user.totp_secret is None or decrypt(user.totp_secret) is None:
        user.totp_secret = encrypt(pyotp.random_base32())


def enrolment_secret(user: User) -> str | None:
    """The secret to show while enrolling; None once enrolled (it is never shown again) or before ``start``."""
    if user.has_two_factor or user.totp_secret is None:
        return None
    return decrypt(user.totp_secret)


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI (the page's CSP allows ``img-src data:``; nothing leaves
    the server to draw it)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=4, dark="#000", light="#fff")


def confirm_enrolment(user: User, code: str, now: dt.datetime) -> list[str]:
    """Turn two-step sign-in on once a code from the app matches; returns the new recovery codes (to show once)."""
    secret = enrolment_secret(user)
    if secret is None:
        raise OperationRefused("not_started", "Sāciet iestatīšanu no jauna.", "Start the set-up again.")
    step = _matching_step(secret, code, after=None, now=now)
    if step is None:
        raise OperationRefused("wrong_code", "Kods nav pareizs. Ievadiet kodu, ko lietotne rāda tagad.",
                           "The code is not right. Enter the code the app shows now.")
    user.totp_enabled_at = now
    user.totp_last_step = step
    codes = new_recovery_codes(user)
    record_event("two_factor_enabled", user)
    return codes


def disable_two_factor(user: User, actor: User | None) -> None:
    """Turn two-step sign-in off: the secret and every recovery code are deleted. ``actor`` is None for the
    command line (an operator's reset)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_event("two_factor_disabled", actor, detail={"user_id": user.id})


def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with ``RECOVERY_CODE_COUNT`` new ones; returns them for showing once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        db.session.add(RecoveryCode(user_id=user.id, code_hash=keyed_digest("recovery-code", code)))
    db.session.flush()
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def renew_recovery_codes(user: User) -> list[str]:
    """New recovery codes at the user's request (the old ones stop working)."""
    codes = new_recovery_codes(user)
    record_event("recovery_codes_renewed", user)
    return codes


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


# --- signing in --------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SecondFactorCheck:
    method: str | None  # "totp" or "recovery_code" when accepted
    wait_seconds: int = 0  # > 0: blocked for that long (the code was not checked)


def check_second_factor(user: User, code: str, attempt: Attempt, now: dt.datetime) -> SecondFactorCheck:
    """Accept a code from the app or an unused recovery code. A wrong code counts as a failed sign-in of the
    pair ``attempt`` (so codes cannot be guessed without end) and is recorded in the audit log."""
    wait = blocked_for(attempt, now)
    if wait:
        record_event("login_locked", user, detail={"step": "code", **attempt.audit_detail()})
        return SecondFactorCheck(None, wait)
    typed = re.sub(r"[\s-]+", "", code).lower()
    secret = decrypt(user.totp_secret) if user.totp_secret else None
    if secret is not None and _TOTP_SHAPE.fullmatch(typed):
        step = _matching_step(secret, typed, after=user.totp_last_step, now=now)
        if step is not None:
            user.totp_last_step = step
            user.totp_secret = reencrypt(user.totp_secret or "")  # after a key rotation: the current key
            return SecondFactorCheck("totp")
    elif len(typed) == 10 and _use_recovery_code(user, typed, now):
        return SecondFactorCheck("recovery_code")
    wait = record_failure(attempt, now)
    record_event("two_factor_failed", user, detail=attempt.audit_detail())
    return SecondFactorCheck(None, wait)


def _matching_step(secret: str, code: str, *, after: int | None, now: dt.datetime) -> int | None:
    """The time step (of now ± 1) whose code is ``code`` and which is later than ``after``; None if none."""
    typed = re.sub(r"\s+", "", code)
    if not _TOTP_SHAPE.fullmatch(typed):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current - 1, current, current + 1):
        if (after is None or step > after) and secrets.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def _use_recovery_code(user: User, typed: str, now: dt.datetime) -> bool:
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None),
        RecoveryCode.code_hash.in_(keyed_digests("recovery-code", typed))))
    if row is None:
        return False
    row.used_at = now
    db.session.flush()
    record_event("recovery_code_used", user, detail={"left": recovery_codes_left(user)})
    return True
