"""The account page and two-step sign-in: set it up (also as a step of signing in, when the role requires it),
make new recovery codes, turn it off. Every change is confirmed with the password (a wrong one counts as a failed
sign-in) and the pages share one rate limit per user (``ACCOUNT_RATE_LIMIT``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models_base import utcnow
from ..refusals import OperationRefused
from .flow import STEP_ENROL, client_address, finish_sign_in, pending_sign_in
from .models import User
from .operations import confirm_password
from .twofactor import (
    confirm_enrolment, disable_two_factor, enrolment_secret, provisioning_uri, qr_data_uri,
    recovery_codes_left, renew_recovery_codes, start_enrolment, two_factor_required,
)
from .views import account_error_response, account_limit, bp
from .webforms import ConfirmPasswordForm, SetupForm


def _account_page(error: str | None = None, status: int = 200):  # type: ignore[no-untyped-def]
    user = current_user._get_current_object()
    return render_template(
        "auth/account.html", user=user, required=two_factor_required(user), codes_left=recovery_codes_left(user),
        form=ConfirmPasswordForm(), error=error,
    ), status


def _codes_page(codes: list[str], continue_url: str):  # type: ignore[no-untyped-def]
    """The recovery codes, shown this once (not cached anywhere)."""
    return render_template("auth/recovery_codes.html", codes=codes, continue_url=continue_url), 200, \
        {"Cache-Control": "no-store"}


@bp.route("/account")
@login_required
def account():  # type: ignore[no-untyped-def]
    return _account_page()


@bp.route("/account/two-factor/start", methods=["POST"])
@login_required
def start():  # type: ignore[no-untyped-def]
    try:
        start_enrolment(current_user._get_current_object())
    except OperationRefused:
        return redirect(url_for("auth.account"))
    db.session.commit()
    return redirect(url_for("auth.setup"))


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@account_limit
def setup():  # type: ignore[no-untyped-def]
    """Signed in: turning it on from the account page. Not signed in: the set-up step of a pending sign-in."""
    pending = None
    if current_user.is_authenticated:
        user: User = current_user._get_current_object()
    else:
        pending = pending_sign_in(STEP_ENROL)
        if pending is None:
            flash(_("Sign in again: the sign-in was not finished in time."), "info")
            return redirect(url_for("auth.login"))
        user = pending.user
    secret = enrolment_secret(user)
    if secret is None:  # already on, or not started from the account page
        return redirect(url_for("auth.account"))
    form = SetupForm()
    context = {"form": form, "secret": secret, "qr": qr_data_uri(provisioning_uri(user, secret)),
               "signed_in": pending is None, "required": two_factor_required(user)}
    if form.validate_on_submit():
        try:
            if pending is None:
                confirm_password(user, form.password.data or "", client_address())
            codes = confirm_enrolment(user, form.code.data or "", utcnow())
        except OperationRefused as exc:
            db.session.commit()
            return account_error_response("auth/setup.html", exc, **context)
        if pending is not None:
            finish_sign_in(user, "totp")
        db.session.commit()
        return _codes_page(codes, (pending.next_url or url_for("main.home")) if pending else url_for("auth.account"))
    return render_template("auth/setup.html", error=None, **context), 400 if form.errors else 200


@bp.route("/account/two-factor/recovery-codes", methods=["POST"])
@login_required
@account_limit
def recovery_codes():  # type: ignore[no-untyped-def]
    user = current_user._get_current_object()
    if not user.has_two_factor:
        return redirect(url_for("auth.account"))
    refusal = _password_refusal(user)
    if refusal is not None:
        return refusal
    codes = renew_recovery_codes(user)
    db.session.commit()
    return _codes_page(codes, url_for("auth.account"))


@bp.route("/account/two-factor/disable", methods=["POST"])
@login_required
@account_limit
def disable():  # type: ignore[no-untyped-def]
    user = current_user._get_current_object()
    if not user.has_two_factor:
        return redirect(url_for("auth.account"))
    if two_factor_required(user):
        return _account_page(_("Two-step sign-in is required for your role and cannot be turned off."), 400)
    refusal = _password_refusal(user)
    if refusal is not None:
        return refusal
    disable_two_factor(user, user)
    db.session.commit()
    flash(_("Two-step sign-in is off."), "success")
    return redirect(url_for("auth.account"))


def _password_refusal(user: User):  # type: ignore[no-untyped-def]
    """None when the form carries the user's password; else the account page saying why not (a wrong password is
    recorded as a failed sign-in, and committed)."""
    form = ConfirmPasswordForm()
    if not form.validate_on_submit():
        return _account_page(_("Enter your password."), 400)
    try:
        confirm_password(user, form.password.data or "", client_address())
    except OperationRefused as exc:
        db.session.commit()
        return account_error_response("auth/account.html", exc, user=user, required=two_factor_required(user),
                                      codes_left=recovery_codes_left(user), form=form)
    return None
