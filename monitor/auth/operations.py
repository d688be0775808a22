"""Authentication and account operations."""

from __future__ import annotations

import datetime as dt
import unicodedata

from flask import current_app
from sqlalchemy import select

from ..audit.operations import record_event
from ..extensions import db
from ..models_base import utcnow
from ..registry.models import Municipality, PlanningRegion
from .models import Role, User
from .passwords import hash_password, needs_rehash, verify_password

# a short offline block-list of the passwords people try first (NIST SP 800-63B: reject common passwords)
COMMON_PASSWORDS = frozenset({
    "password", "password123", "parole", "parole123", "123456789012", "qwertyuiop12", "latvija2026",
    "latvija12345", "administrator", "remigracija", "passwordpassword", "123456123456", "qwerty123456",
})


class AccountError(Exception):
    def __init__(self, code: str, lv: str, en: str) -> None:
        super().__init__(code)
        self.code, self.lv, self.en = code, lv, en

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv


def normalise_email(email: str) -> str:
    return unicodedata.normalize("NFKC", email.strip()).casefold()


def check_password_strength(password: str, *, email: str = "", name: str = "") -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        raise AccountError("too_short", f"Parolei jābūt vismaz {minimum} zīmes garai. Der arī vairāku vārdu frāze.",
                           f"The password must be at least {minimum} characters long. A phrase of several words "
                           f"works well.")
    if len(password) > 256:
        raise AccountError("too_long", "Parole ir pārāk gara (vairāk nekā 256 zīmes).",
                           "The password is too long (more than 256 characters).")
    low = password.casefold()
    local = normalise_email(email).split("@")[0] if email else ""
    if low in COMMON_PASSWORDS or (local and len(local) >= 4 and local in low) or (name and name.casefold() == low):
        raise AccountError("too_common", "Šo paroli ir viegli uzminēt. Izvēlieties citu.",
                           "This password is easy to guess. Choose another one.")


def create_user(
    *, email: str, name: str, password: str, role: Role, municipality: Municipality | None = None,
    region: PlanningRegion | None = None, locale: str = "lv", actor: User | None = None,
    check_strength: bool = True,
) -> User:
    if role == Role.EDITOR and municipality is None:
        raise AccountError("scope", "Pašvaldības lietotājam jānorāda pašvaldība.", "An editor needs a municipality.")
    if role == Role.REVIEWER and region is None:
        raise AccountError("scope", "Reģiona izvērtētājam jānorāda reģions.", "A reviewer needs a planning region.")
    email_key = normalise_email(email)
    if db.session.scalar(select(User).where(User.email == email_key)) is not None:
        raise AccountError("exists", "Lietotājs ar šo e-pastu jau ir.", "A user with this e-mail already exists.")
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


def authenticate(email: str, password: str) -> User | None:
    """The user if the credentials are right and the account is usable; otherwise None (one generic answer)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        verify_password(None, password)  # same work as a real check
        record_event("login_locked", user)
        return None
    ok = verify_password(user.password_hash if user else None, password)
    if user is None:
        record_event("login_failed", None, detail={"email": normalise_email(email)[:254]})
        return None
    if not ok or not user.is_active:
        user.failed_login_count += 1
        limit = current_app.config["LOGIN_MAX_FAILURES"]
        if user.failed_login_count >= limit:
            # doubling, but capped at 16 minutes: a stranger typing wrong passwords must not lock a user out for days
            doublings = min(user.failed_login_count - limit, 4)
            user.locked_until = now + dt.timedelta(seconds=current_app.config["LOGIN_LOCK_SECONDS"] * 2 ** doublings)
        record_event("login_failed", user)
        return None
    user.failed_login_count = 0
    user.locked_until = None
    user.last_login_at = now
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    record_event("login", user)
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("wrong_current", "Pašreizējā parole nav pareiza.", "The current password is not right.")
    if new == current:
        raise AccountError("same", "Jaunajai parolei jāatšķiras no pašreizējās.",
                           "The new password must differ from the current one.")
    check_password_strength(new, email=user.email, name=user.name)
    user.password_hash = hash_password(new)
    user.password_changed_at = utcnow()
    user.session_version += 1  # logs out every other session
    record_event("password_changed", user)


def set_locale(user: User, locale: str) -> None:
    """The user's language for pages and e-mail."""
    if locale not in ("lv", "en"):
        raise AccountError("locale", "Nezināma valoda.", "Unknown language.")
    user.locale = locale
