"""The steps of signing in: password → (code, or setting two-step sign-in up when the role requires it) → signed in.

Between the steps the browser holds a *pending* sign-in in its session: the user id, the session version, the step,
when the password was accepted, and where to go afterwards. It is not a sign-in: no page but the next step
accepts it, and it lapses after ``TWO_FACTOR_PENDING_SECONDS`` or when the password changes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, redirect, request, session, url_for
from werkzeug.wrappers import Response

from ..extensions import db
from .models import User
from .operations import complete_sign_in
from .sessions import begin_session
from .twofactor import start_enrolment, two_factor_required

PENDING = "_pending_sign_in"
STEP_CODE, STEP_ENROL = "code", "enrol"


@dataclass(frozen=True)
class Pending:
    user: User
    step: str
    next_url: str | None


def safe_next(target: str | None) -> str | None:
    """Only local paths: never redirect to another site after login. Any control character (CR/LF, a tab)
    anywhere, or a backslash (browsers read ``/\\host`` as ``//host``), makes the whole target ignored."""
    if not target or any(c < " " or c in "\x7f\\" for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def client_address() -> str | None:
    """The address failures are counted under (ProxyFix has put the client's address here)."""
    return request.remote_addr


def after_password(user: User, next_url: str | None) -> Response:
    """The password was right: go on to the code, to the set-up the role requires, or sign in."""
    if user.has_two_factor:
        return _pend(user, STEP_CODE, next_url, "auth.code")
    if two_factor_required(user):
        start_enrolment(user)
        return _pend(user, STEP_ENROL, next_url, "auth.setup")
    finish_sign_in(user, None)
    return redirect(next_url or url_for("main.home"))


def _pend(user: User, step: str, next_url: str | None, endpoint: str) -> Response:
    session.pop(PENDING, None)
    session[PENDING] = {"user": user.id, "version": user.session_version, "step": step, "at": int(time.time()),
                        "next": next_url}
    return redirect(url_for(endpoint))


def pending_sign_in(step: str) -> Pending | None:
    """The pending sign-in at ``step``, if there is one still in time."""
    data = session.get(PENDING)
    if not isinstance(data, dict) or data.get("step") != step:
        return None
    if time.time() - float(data.get("at", 0)) > current_app.config["TWO_FACTOR_PENDING_SECONDS"]:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, int(data.get("user", 0)))
    if user is None or not user.is_active or user.session_version != data.get("version"):
        return None
    return Pending(user, step, safe_next(data.get("next")))


def finish_sign_in(user: User, second_factor: str | None) -> None:
    """Signed in: recorded, failures cleared, a new server-side session (the pending state goes with the old)."""
    complete_sign_in(user, client_address(), second_factor)
    begin_session(user)
