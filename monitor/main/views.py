"""Start page, language switch (``/health`` is in ``monitor.edges``)."""

from __future__ import annotations

from flask import Blueprint, redirect, request, session, url_for
from flask_login import current_user

from ..auth.operations import set_locale
from ..auth.views import _safe_next
from ..extensions import db

bp = Blueprint("main", __name__)


@bp.route("/")
def home():  # type: ignore[no-untyped-def]
    if not current_user.is_authenticated:  # visitors: the public portal (officials sign in from there)
        from ..public.views import public_home

        return public_home()
    return redirect(url_for("returns.index"))


@bp.route("/language", methods=["POST"])
def language():  # type: ignore[no-untyped-def]
    chosen = request.form.get("locale")
    if chosen in ("lv", "en"):
        session["locale"] = chosen
        if current_user.is_authenticated:
            set_locale(current_user._get_current_object(), chosen)
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")) or url_for("main.home"))

