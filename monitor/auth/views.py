"""Sign in (password, then the code where two-step sign-in is on), sign out, change password.

The account page and the two-step sign-in settings are in ``account_views`` (same blueprint).
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ..extensions import db, limiter
from ..models_base import utcnow
from ..refusals import OperationRefused
from ..waiting import wait_message
from .flow import STEP_CODE, after_password, client_address, finish_sign_in, pending_sign_in, safe_next
from .operations import authenticate, change_password
from .sessions import begin_session, end_all_sessions, end_session
from .throttle import attempt_for
from .twofactor import check_second_factor, recovery_codes_left, required_roles
from .webforms import CodeForm, LoginForm, PasswordForm

bp = Blueprint("auth", __name__)
_safe_next = safe_next  # the name other areas import (main.views: the language switch)


@bp.record_once
def _check_settings(state) -> None:  # type: ignore[no-untyped-def]
    required_roles(state.app.config)  # a misspelt role name stops the start, instead of failing every sign-in


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """Per signed-in user (the session may have been taken to another address); else per address."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"address:{get_remote_address()}"


#: one budget for every page where the signed-in user's password confirms a change (password, two-step settings)
account_limit = limiter.shared_limit(_account_limit, scope="account", key_func=_account_key, methods=["POST"])


def blocked_response(template: str, wait_seconds: int, **context):  # type: ignore[no-untyped-def]
    """A page refused for too many failures: 429 with ``Retry-After``, and the wait in words on the page."""
    error = _("There have been too many failed attempts for this account from your network.") + " " + \
        wait_message(wait_seconds)
    return render_template(template, error=error, **context), 429, {"Retry-After": str(wait_seconds)}


def account_error_response(template: str, exc: OperationRefused, **context):  # type: ignore[no-untyped-def]
    if exc.wait_seconds:
        return blocked_response(template, exc.wait_seconds, **context)
    return render_template(template, error=exc.text(str(get_locale())), **context), 400


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        check = authenticate(form.email.data or "", form.password.data or "", client_address())
        if check.user is not None:
            response = after_password(check.user, safe_next(request.args.get("next")))
            db.session.commit()
            return response
        db.session.commit()  # failed attempts and blocks are recorded too
        if check.wait_seconds:
            return blocked_response("auth/login.html", check.wait_seconds, form=form)
        error = _("The e-mail or password is not right. Try again.")
    elif request.method == "POST":
        error = _("Enter your e-mail address and password.")
    else:
        error = None
    return render_template("auth/login.html", form=form, error=error), 401 if error else 200


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def code():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    pending = pending_sign_in(STEP_CODE)
    if pending is None:
        flash(_("Sign in again: the sign-in was not finished in time."), "info")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    error = None
    if form.validate_on_submit():
        user = pending.user
        check = check_second_factor(user, form.code.data or "", attempt_for(user.email, client_address()), utcnow())
        if check.method is not None:
            finish_sign_in(user, check.method)
            db.session.commit()
            if check.method == "recovery_code":
                flash(_("You signed in with a recovery code; each code works only once. Codes left: %(n)d. "
                        "New codes can be made on the account page.", n=recovery_codes_left(user)), "info")
            return redirect(pending.next_url or url_for("main.home"))
        db.session.commit()
        if check.wait_seconds:
            return blocked_response("auth/code.html", check.wait_seconds, form=form)
        error = _("The code is not right, or it has already been used. Enter the code the app shows now, or an "
                  "unused recovery code.")
    return render_template("auth/code.html", form=form, error=error), 401 if error else 200


@bp.route("/logout", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    end_session()
    db.session.commit()
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@account_limit
def password():  # type: ignore[no-untyped-def]
    form = PasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            change_password(user, form.current.data or "", form.new.data or "", client_address())
        except OperationRefused as exc:
            db.session.commit()  # a wrong current password counts as a failed sign-in
            return account_error_response("auth/password.html", exc, form=form)
        end_all_sessions(user)
        begin_session(user)  # this browser stays signed in; every other session has ended
        db.session.commit()
        flash(_("Your password has been changed. Other sessions have been signed out."), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form, error=None), 400 if form.errors else 200


from . import account_views  # noqa: E402,F401  (registers the account pages on ``bp``)
