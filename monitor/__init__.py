"""The Flask application. ``create_app`` is the table of contents: config, extensions, blueprints, CLI, errors.

It does no I/O and starts no scheduler (the scheduler is a process of its own).
"""

from __future__ import annotations

import os
from typing import Any, Mapping

from flask import Flask, request, session
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix

from . import database  # noqa: F401  (engine events: SQLite transactions, broken connections)
from .config import load_config
from .extensions import babel, csrf, db, limiter, login_manager, migrate, talisman


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    instance_path = os.environ.get("MONITOR_INSTANCE_PATH") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "instance"
    )
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    load_config(app.config, app.instance_path, config)
    if app.config["PROXY_FIX_COUNT"]:
        count = int(app.config["PROXY_FIX_COUNT"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)  # type: ignore[method-assign]

    _init_http_edges(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    from .errors import register_error_handlers
    from .templating import register_template_helpers

    register_error_handlers(app)
    register_template_helpers(app)
    return app


def _select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in ("lv", "en"):
        return str(current_user.locale)
    chosen = session.get("locale")
    if chosen in ("lv", "en"):
        return str(chosen)
    return "lv"  # Latvian by default, whatever the browser says: the service is for Latvian municipalities


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (registers every table with the metadata)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)

    @app.before_request  # before CSRF protection reads the form: the upload pages check the file size themselves
    def _upload_size_limits() -> None:
        if request.endpoint == "excel.history":
            request.max_content_length = app.config["IMPORT_MAX_CONTENT_LENGTH"]
        elif request.endpoint == "excel.upload":  # a file just over the limit gets the page's own message
            request.max_content_length = app.config["MAX_CONTENT_LENGTH"] + 512 * 1024

    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, default_translation_directories="translations")

    @app.before_request
    def _choose_locale_first() -> None:
        # the language is settled before any view commits: nothing that can fail (the user's row is read again
        # after a commit) runs between a commit and its answer
        if request.endpoint not in ("static", "health.health"):  # /health loads no user (monitor.edges)
            get_locale()
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "basic"
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        strict_transport_security=app.config["FORCE_HTTPS"],
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        content_security_policy={"default-src": "'self'", "img-src": "'self' data:", "style-src": "'self'",
                                 "script-src": "'self'", "form-action": "'self'", "frame-ancestors": "'none'"},
        frame_options="DENY",
        referrer_policy="same-origin",
        permissions_policy={"geolocation": "()", "camera": "()", "microphone": "()"},
    )

    @login_manager.user_loader
    def load_user(token: str):  # type: ignore[no-untyped-def]
        # ``id:session_version`` plus a live server-side session (signing out ends it): monitor.auth.sessions
        from .auth.sessions import load_session_user

        return load_session_user(token)


def _init_http_edges(app: Flask) -> None:
    """Logs and request ids, bounded ``<int:…>`` in URLs, ``Cache-Control``, ``/health`` (see the modules)."""
    from .edges import init_edges, use_bounded_int_converter
    from .logs import configure_logging, init_request_logging

    configure_logging(app.config["LOG_FORMAT"])
    init_request_logging(app)
    use_bounded_int_converter(app)
    init_edges(app)


def _register_blueprints(app: Flask) -> None:
    from .auth.views import bp as auth_bp
    from .main.views import bp as main_bp
    from .returns.views import bp as returns_bp
    from .mail.views import bp as mail_bp
    from .review.views import bp as review_bp
    from .review.dashboard_views import bp as dashboard_bp
    from .audit.views import bp as audit_bp
    from .jobs.views import bp as jobs_bp
    from .reporting.views import bp as reports_bp
    from .excel.views import bp as excel_bp
    from .public.figures import bp as figures_bp
    from .public.views import bp as public_bp
    from .api.views import bp as api_v1_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(returns_bp)
    app.register_blueprint(mail_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(jobs_bp)
    app.register_blueprint(excel_bp)
    app.register_blueprint(public_bp)
    app.register_blueprint(api_v1_bp)
    app.register_blueprint(figures_bp)


def _register_cli(app: Flask) -> None:
    from .cli import register

    register(app)


__all__ = ["create_app", "db"]
