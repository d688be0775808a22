"""Sign in, sign out, change password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from .operations import AccountError, authenticate, change_password
from .webforms import LoginForm, PasswordForm

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str | None:
    """Only local paths: never redirect to another site after login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():  # type: ignore[no-untyped-def]
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        user = authenticate(form.email.data or "", form.password.data or "")
        db.session.commit()  # failed attempts and lockouts are recorded too
        if user is not None:
            session.clear()
            login_user(user)
            session["locale"] = user.locale
            return redirect(_safe_next(request.args.get("next")) or url_for("main.home"))
        error = _("The e-mail or password is not right, or the account is locked for a while. Try again.")
    elif request.method == "POST":
        error = _("Enter your e-mail address and password.")
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.route("/logout", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    locale = session.get("locale")
    logout_user()
    session.clear()
    if locale:
        session["locale"] = locale
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():  # type: ignore[no-untyped-def]
    form = PasswordForm()
    error = None
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data or "", form.new.data or "")
        except AccountError as exc:
            error = exc.text(str(get_locale()))
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # session version changed: renew this cookie
            flash(_("Your password has been changed. Other sessions have been signed out."), "success")
            return redirect(url_for("main.home"))
    return render_template("auth/password.html", form=form, error=error), (400 if error else 200)
