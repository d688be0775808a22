"""Helpers that templates use: the current locale, LV/EN texts of the definition, value formatting."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_babel import format_datetime, lazy_gettext as _l

from forms import DONT_KNOW, FieldType
from forms.schema import Text

from .locale import current_locale, report_number
from .returns import presenters

STATUS_LABELS = {
    "not_started": _l("Not started"),
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "returned": _l("Returned for correction"),
    "resubmitted": _l("Resubmitted"),
    "approved": _l("Approved"),
}
DECISION_LABELS = {
    "return_returned": _l("Returned for correction"),
    "return_approved": _l("Approved"),
    "return_reopened": _l("Reopened"),
}
ROLE_LABELS = {
    "admin": _l("Administrator"),
    "reviewer": _l("Planning region reviewer"),
    "editor": _l("Municipality editor"),
    "researcher": _l("Researcher"),
}


def tr(text: Text | None) -> str:
    """A definition text (label, help, title) in the current language."""
    return text.get(current_locale()) if text is not None else ""


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def helpers() -> dict[str, Any]:
        return {
            "locale": current_locale,
            "tr": tr,
            "anchor": presenters.anchor,
            "display": lambda f, v: presenters.display(f, v, current_locale()),
            "input_text": lambda f, v: presenters.input_text(f, v, current_locale()),
            "selected_codes": presenters.selected_codes,
            "status_label": lambda s: STATUS_LABELS.get(s, s),
            "role_label": lambda r: ROLE_LABELS.get(r, r),
            "decision_label": lambda a: DECISION_LABELS.get(a, a),
            "num": report_number,
            "when": lambda d: format_datetime(d, format="dd.MM.yyyy HH:mm") if d else "—",
            "FieldType": FieldType,
            "DONT_KNOW": DONT_KNOW,
        }
