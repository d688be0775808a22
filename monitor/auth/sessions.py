"""Server-side sign-in sessions: one ``UserSession`` row per signed-in browser.

Flask's session is a signed cookie: without a server-side record, a copy of it stays valid until it expires, even
after signing out. So each sign-in stores a random token in the cookie and its hash in ``user_session``; signing
out ends that row, and the user loader refuses a cookie whose row is ended, unknown or older than
``PERMANENT_SESSION_LIFETIME``.

Why a row per browser and not only ``User.session_version``: bumping the version signs the user out on every
device, so signing out on a shared office computer would also end the session on the official's own laptop, and
each sign-out anywhere would be "sign out everywhere". ``session_version`` stays for what must end every session
at once (a password change, a deactivated account), and it is checked first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, or_, select, update

from ..extensions import db
from ..models_base import utcnow
from .models import User, UserSession

SESSION_TOKEN = "_sid"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _lifetime() -> dt.timedelta:
    return current_app.permanent_session_lifetime


def begin_session(user: User) -> None:
    """Sign ``user`` in on this browser: a fresh cookie (nothing carried over from before) and a new session row."""
    now = utcnow()
    session.clear()
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token), created_at=now))
    # ended and expired rows are of no use any more
    db.session.execute(delete(UserSession).where(
        or_(UserSession.ended_at.is_not(None), UserSession.created_at < now - _lifetime())))
    login_user(user)
    session[SESSION_TOKEN] = token
    session["locale"] = user.locale


def end_session() -> None:
    """Sign out of this browser: the session row is ended, so a copy of the cookie is refused from now on."""
    token = session.get(SESSION_TOKEN)
    if isinstance(token, str):
        db.session.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                                     UserSession.ended_at.is_(None)).values(ended_at=utcnow()))
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale


def end_all_sessions(user: User) -> None:
    """End every session of ``user`` (a password change; the caller begins a new one for this browser)."""
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                       .values(ended_at=utcnow()))


def load_session_user(token: str) -> User | None:
    """Flask-Login's user loader: the user of a live session, or None (signed out)."""
    from .twofactor import two_factor_missing

    user_id, _, version = token.partition(":")
    if not user_id.isdigit() or not version.isdigit() or len(user_id) > 18:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version):
        return None
    sid = session.get(SESSION_TOKEN)
    if not isinstance(sid, str):
        return None
    live = db.session.scalar(select(UserSession.id).where(
        UserSession.token_hash == _hash(sid), UserSession.user_id == user.id, UserSession.ended_at.is_(None),
        UserSession.created_at >= utcnow() - _lifetime()))
    if live is None:
        return None
    if two_factor_missing(user):  # the setting changed while signed in: enrol at the next sign-in
        return None
    return user
