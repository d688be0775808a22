"""Error pages: a plain explanation, never a stack trace. Under ``/api/`` errors are JSON
(``{"error": {"status", "code", "message"[, "details"]}}``, English, stable ``code``s) — the open-data API and the
researchers' report API alike — and a request that needs a login gets 401 there instead of a redirect."""

from __future__ import annotations

from typing import Any, Callable

from flask import Flask, Response, current_app, g, jsonify, redirect, request, session
from flask_babel import force_locale, gettext as _
from flask_login.utils import login_url as make_login_url
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as SATimeoutError
from werkzeug.exceptions import HTTPException, Unauthorized
from werkzeug.http import HTTP_STATUS_CODES

from .database import committed_in_request
from .extensions import db, login_manager
from .waiting import rate_limit_wait_seconds, wait_message

API_PREFIX = "/api/"

#: the English messages of JSON errors (codes and messages are part of the API: keep them stable)
API_MESSAGES = {
    400: "The request has a parameter that cannot be used: see details.",
    401: "Sign in first: this endpoint needs a session login (researchers and administrators).",
    403: "Your role does not allow this.",
    404: "Not found.",
    405: "This method is not allowed here: the API is read-only (GET).",
    429: "Too many requests: wait for the number of seconds in the Retry-After header and try again.",
    500: "Something went wrong; the error has been logged.",
    503: "The database is briefly unavailable: try again after the number of seconds in the Retry-After header.",
}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def api_error(status: int, message: str | None = None, details: Any = None,
              headers: Any = None) -> Response:
    """The JSON error body of every ``/api/`` response with status ``status``."""
    code = HTTP_STATUS_CODES.get(status, "Error").lower().replace(" ", "_").replace("-", "_")
    body: dict[str, Any] = {"status": status, "code": code,
                            "message": message or API_MESSAGES.get(status, HTTP_STATUS_CODES.get(status, "Error"))}
    if details is not None:
        body["details"] = details
    response = jsonify({"error": body})
    response.status_code = status
    for name, value in (headers or []):
        if name.lower() in ("retry-after", "www-authenticate", "allow"):
            response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


def register_error_handlers(app: Flask) -> None:
    @login_manager.unauthorized_handler
    def unauthorized():  # type: ignore[no-untyped-def]
        if is_api_request():
            raise Unauthorized()
        return redirect(make_login_url(login_manager.login_view, next_url=request.url))

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # type: ignore[no-untyped-def]
        if is_api_request():
            return api_error(400, "The form has expired (CSRF token missing or invalid).")
        return error_page(400, lambda: (
            _("The form has expired"),
            _("For your safety the form could only be used for a limited time, or it was sent from "
              "another site. Go back, reload the page and send it again; what you typed may need to be "
              "entered again.")))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        code = exc.code or 500
        if is_api_request():  # (the API's own 400s and 404s with details are built by ``api_error`` directly)
            return api_error(code, headers=exc.get_response().headers.items())
        response = error_page(code, lambda: _http_texts(code))
        for name in ("Retry-After", "Allow"):
            if exc.get_response().headers.get(name):
                response.headers[name] = exc.get_response().headers[name]
        return response

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        unavailable = isinstance(exc, DATABASE_ERRORS)
        if unavailable:
            app.logger.error("database unavailable: %s", exc.__class__.__name__, exc_info=exc)
        else:
            app.logger.exception("unhandled error")
        _rollback_quietly()
        status = 503 if unavailable else 500
        if is_api_request():
            return api_error(status, API_MESSAGES[503] if unavailable else None,
                             headers=[("Retry-After", "30")] if unavailable else None)
        response = error_page(status, lambda: _failure_texts(unavailable))
        if unavailable:
            response.headers["Retry-After"] = "30"
        return response


#: errors that mean the database could not be used (down, restarting, locked, read-only, out of connections)
DATABASE_ERRORS = (OperationalError, InterfaceError, SATimeoutError, DisconnectionError)


def _rollback_quietly() -> None:
    """Roll the session back; with the database gone even that may fail, which must not hide the error page."""
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 — the connection is already broken; the pool discards it
        pass


def _http_texts(code: int) -> tuple[str, str]:
    texts = {
        400: (_("The request could not be understood"), _("Go back and try again.")),
        403: (_("You may not do this"), _("Your role does not allow this action. Ask the administrator if "
                                           "you think it should.")),
        404: (_("Page not found"), _("The page does not exist, or you do not have access to it.")),
        405: (_("Not allowed"), _("This address cannot be used this way.")),
        413: (_("The upload is too large"), _("The file or form is larger than the service accepts.")),
    }
    if code == 429:  # the wait in words, from the number Retry-After carries
        return _("Too many attempts"), wait_message(rate_limit_wait_seconds())
    return texts.get(code, (_("Something went wrong"), _("Please try again later.")))


def _failure_texts(unavailable: bool) -> tuple[str, str]:
    if unavailable:
        return (_("The service is briefly unavailable"),
                _("The database could not be reached. This usually passes within a minute."))
    return _("Something went wrong"), _("The error has been logged.")


def error_locale() -> str:
    """The page's language without asking the database: the language this request already chose, else the one kept
    in the session cookie (set at sign-in and by the language switch), else Latvian."""
    chosen = getattr(g.get("_flask_babel"), "babel_locale", None)
    if chosen is not None and str(chosen) in ("lv", "en"):
        return str(chosen)
    kept = session.get("locale")
    return kept if kept in ("lv", "en") else "lv"


def error_page(code: int, texts: Callable[[], tuple[str, str]]) -> Response:
    """The HTML error page. It never touches the database: no current user, no context processors (Flask-Login's
    loads the user), the language from :func:`error_locale`. When this request has already committed, the page says
    that what was sent is saved — a failure after the commit must not look like a lost save."""
    lang = error_locale()
    with force_locale(lang):
        title, message = texts()
        saved = (_("What you sent was saved. Only showing the next page failed; open the page again to see it.")
                 if committed_in_request() else None)
        if code >= 500:
            retry = (_("It is safe to try again: if you were saving, open the page again first — what was saved "
                       "is shown there.") if saved else
                     _("Nothing was saved from this last step. It is safe to try again."))
        else:
            retry = None
        html = current_app.jinja_env.get_template("errors/error.html").render(
            code=code, title=title, message=message, saved=saved, retry=retry, lang=lang,
            request_id=g.get("request_id"))
    response = Response(html, status=code, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response
