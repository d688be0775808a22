"""Error pages: a plain explanation, never a stack trace. Under ``/api/`` errors are JSON
(``{"error": {"status", "code", "message"[, "details"]}}``, English, stable ``code``s) — the open-data API and the
researchers' report API alike — and a request that needs a login gets 401 there instead of a redirect."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, redirect, render_template, request
from flask_babel import gettext as _
from flask_login.utils import login_url as make_login_url
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, Unauthorized
from werkzeug.http import HTTP_STATUS_CODES

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
        return render_template(
            "errors/error.html", code=400, title=_("The form has expired"),
            message=_("For your safety the form could only be used for a limited time, or it was sent from "
                      "another site. Go back, reload the page and send it again; what you typed may need to be "
                      "entered again."),
        ), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        code = exc.code or 500
        if is_api_request():  # (the API's own 400s and 404s with details are built by ``api_error`` directly)
            return api_error(code, headers=exc.get_response().headers.items())
        texts = {
            400: (_("The request could not be understood"), _("Go back and try again.")),
            403: (_("You may not do this"), _("Your role does not allow this action. Ask the administrator if "
                                               "you think it should.")),
            404: (_("Page not found"), _("The page does not exist, or you do not have access to it.")),
            405: (_("Not allowed"), _("This address cannot be used this way.")),
            413: (_("The upload is too large"), _("The file or form is larger than the service accepts.")),
        }
        title, message = texts.get(code, (_("Something went wrong"), _("Please try again later.")))
        if code == 429:  # the wait in words, from the number Retry-After carries
            title, message = _("Too many attempts"), wait_message(rate_limit_wait_seconds())
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error")
        db.session.rollback()
        if is_api_request():
            return api_error(500)
        return render_template(
            "errors/error.html", code=500, title=_("Something went wrong"),
            message=_("The error has been logged. Nothing was saved from the last step; please try again."),
        ), 500
