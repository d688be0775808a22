"""Error pages: a plain explanation, never a stack trace."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .extensions import db


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # type: ignore[no-untyped-def]
        return render_template(
            "errors/error.html", code=400, title=_("The form has expired"),
            message=_("For your safety the form could only be used for a limited time, or it was sent from "
                      "another site. Go back, reload the page and send it again; what you typed may need to be "
                      "entered again."),
        ), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        code = exc.code or 500
        texts = {
            400: (_("The request could not be understood"), _("Go back and try again.")),
            403: (_("You may not do this"), _("Your role does not allow this action. Ask the administrator if "
                                               "you think it should.")),
            404: (_("Page not found"), _("The page does not exist, or you do not have access to it.")),
            405: (_("Not allowed"), _("This address cannot be used this way.")),
            413: (_("The upload is too large"), _("The file or form is larger than the service accepts.")),
            429: (_("Too many attempts"), _("Please wait a minute before you try again.")),
        }
        title, message = texts.get(code, (_("Something went wrong"), _("Please try again later.")))
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error")
        db.session.rollback()
        return render_template(
            "errors/error.html", code=500, title=_("Something went wrong"),
            message=_("The error has been logged. Nothing was saved from the last step; please try again."),
        ), 500
