"""Authentication and account operations."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select

from ..audit.operations import record_event
from ..extensions import db
from ..models_base import utcnow
from ..refusals import OperationRefused
from ..registry.models import Municipality, PlanningRegion
from .models import Role, User
from .passwords import hash_password, needs_rehash, verify_password
from .throttle import Attempt, attempt_for, blocked_for, clear, record_failure

# a short offline block-list of the passwords people try first (NIST SP 800-63B: reject common passwords)
COMMON_PASSWORDS = frozenset({
    "password", "password123", "parole", "parole123", "123456789012", "qwertyuiop12", "latvija2026",
    "latvija12345", "administrator", "remigracija", "passwordpassword", "123456123456", "qwerty123456",
})


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def check_password_strength(password: str, *, email: str = "", name: str = "") -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise OperationRefused("too_short", f"Parolei jābūt vismaz {minimum} zīmes garai. Der arī vairāku vārdu frāze.",
                           f"The password must be at least {minimum} characters long. A phrase of several words "
                           f"works well.")
    if len(password) > 256:
        raise OperationRefused("too_long", "Parole ir pārāk gara (vairāk nekā 256 zīmes).",
                           "The password is too long (more than 256 characters).")
    low = password.casefold()
    local = normalise_email(email).split("@")[0] if email else ""
    if low in COMMON_PASSWORDS or (local and len(local) >= 4 and local in low) or (name and name.casefold() == low):
        raise OperationRefused("too_common", "Šo paroli ir viegli uzminēt. Izvēlieties citu.",
                           "This password is easy to guess. Choose another one.")


def create_user(
    *, email: str, name: str, password: str, role: Role, municipality: Municipality | None = None,
    region: PlanningRegion | None = None, locale: str = "lv", actor: User | None = None,
    check_strength: bool = True,
) -> User:
    if role == Role.EDITOR and municipality is None:
        raise OperationRefused("scope", "Pašvaldības lietotājam jānorāda pašvaldība.",
                               "An editor needs a municipality.")
    if role == Role.REVIEWER and region is None:
        raise OperationRefused("scope", "Reģiona izvērtētājam jānorāda reģions.", "A reviewer needs a planning region.")
    email_key = normalise_email(email)
    if db.session.scalar(select(User).where(User.email == email_key)) is not None:
        raise OperationRefused("exists", "Lietotājs ar šo e-pastu jau ir.", "A user with this e-mail already exists.")
    if check_strength:
        check_password_strength(password, email=email_key, name=name)
    user = User(
        email=email_key, name=name, password_hash=hash_password(password), role=role.value,
        municipality_id=municipality.id if role == Role.EDITOR and municipality else None,
        region_id=region.id if role == Role.REVIEWER and region else None,
        locale=locale, password_changed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    record_event("user_created", actor, municipality_id=user.municipality_id, detail={"user_id": user.id,
                 "role": role.value})
    return user


@dataclass(frozen=True)
class PasswordCheck:
    """The result of a password check: ``user`` when the password was right and the account usable;
    ``wait_seconds`` > 0 when this account and source address are blocked for that long (see ``throttle``)."""

    user: User | None
    wait_seconds: int = 0


def authenticate(email: str, password: str, address: str | None) -> PasswordCheck:
    """Check an e-mail and password typed at sign-in from ``address``; one generic answer for every failure.

    Unknown e-mails are counted and recorded like known ones, by a keyed digest: what was typed is never stored
    (it is sometimes a password). A right password does not clear the counter: that happens when sign-in is
    complete (``complete_sign_in``), after the second step where there is one.
    """
    email_key = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email_key))
    attempt = attempt_for(email_key, address)
    now = utcnow()
    wait = blocked_for(attempt, now)
    if wait:
        verify_password(None, password)  # the same work as a real check
        record_event("login_locked", user, detail=_detail(user, attempt))
        return PasswordCheck(None, wait)
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok or not user.is_active:
        wait = record_failure(attempt, now)
        record_event("login_failed", user, detail=_detail(user, attempt))
        return PasswordCheck(None, wait)
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return PasswordCheck(user)


def _detail(user: User | None, attempt: Attempt) -> dict[str, str]:
    detail = attempt.audit_detail()
    if user is not None:
        del detail["account"]  # the actor says who
    return detail


def complete_sign_in(user: User, address: str | None, second_factor: str | None = None) -> None:
    """Record a complete sign-in (password, and the second step where there is one) and clear the failures."""
    user.last_login_at = utcnow()
    clear(attempt_for(user.email, address))
    record_event("login", user, detail={"second_factor": second_factor} if second_factor else None)


def confirm_password(user: User, password: str, address: str | None) -> None:
    """The signed-in user's password, typed again to confirm a change. A wrong one counts as a failed sign-in
    from ``address`` (the session may be someone else's), and while that pair is blocked nothing is checked."""
    attempt = attempt_for(user.email, address)
    now = utcnow()
    wait = blocked_for(attempt, now)
    if not wait and verify_password(user.password_hash, password):
        return
    if wait:
        record_event("login_locked", user, detail=_detail(user, attempt))
    else:
        wait = record_failure(attempt, now)
        record_event("password_confirm_failed", user, detail=_detail(user, attempt))
    if wait:  # (the pages say how long to wait: monitor.waiting)
        raise OperationRefused("blocked", "Pārāk daudz nepareizu paroļu.", "Too many wrong passwords.",
                           wait_seconds=wait)
    raise OperationRefused("wrong_current", "Pašreizējā parole nav pareiza.", "The current password is not right.")


def change_password(user: User, current: str, new: str, address: str | None) -> None:
    confirm_password(user, current, address)
    if new == current:
        raise OperationRefused("same", "Jaunajai parolei jāatšķiras no pašreizējās.",
                           "The new password must differ from the current one.")
    check_password_strength(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.session_version += 1  # ends every session; the caller begins a new one for this browser
    record_event("password_changed", user)


def set_locale(user: User, locale: str) -> None:
    """The user's language for pages and e-mail."""
    if locale not in ("lv", "en"):
        raise OperationRefused("locale", "Nezināma valoda.", "Unknown language.")
    user.locale = locale
