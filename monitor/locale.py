"""The current locale and numbers written in it, below every area (views, report pages and charts ask it).

Outside a request there is no locale: Flask-Babel's default (Latvian) applies.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask_babel import get_locale


def current_locale() -> str:
    return str(get_locale() or "lv")


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
