"""Helpers that templates use: the current locale, LV/EN texts of the definition, value formatting."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import Flask
from flask_babel import format_datetime, get_locale, lazy_gettext as _l

from forms import DONT_KNOW, FieldType
from forms.schema import Text

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


def current_locale() -> str:
    return str(get_locale() or "lv")


def tr(text: Text | None) -> str:
    """A definition text (label, help, title) in the current language."""
    return text.get(current_locale()) if text is not None else ""


def report_number(value: Any, places: int = 1) -> str:
    """A number of the report JSON (int, or an exact decimal string) for display, in the current locale."""
    if value is None or isinstance(value, (list, dict, bool)):
        return "—"
    return _formatted(str(value), places, current_locale())


@lru_cache(maxsize=65536)  # report pages format the same stored numbers again and again; babel is slow
def _formatted(text: str, places: int, locale: str) -> str:
    from decimal import Decimal, InvalidOperation

    from babel.numbers import format_decimal

    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return text
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(number, format=pattern, locale=locale)


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
