"""User text in exports can never become a formula (OWASP "CSV injection"; openpyxl turns any ``"=…"`` string
into a formula). Every writer passes user text through ``safe_text_cell`` / ``set_safe_text`` (xlsx) or
``csv_field`` (CSV).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

#: Texts starting with one of these are formulas (or become one when edited) in Excel and LibreOffice.
RISKY_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: one search finds what needs a closer look: a risky first character, a possible error code ("#N/A"), a control
#: character XML 1.0 forbids
SUSPECT = re.compile(r"^[=+\-@\t\r#]|[\000-\010\013\014\016-\037]")


def is_risky(text: str) -> bool:
    return text.startswith(RISKY_PREFIXES)


def clean_text(value: Any) -> str:
    """A text a worksheet can hold: control characters XML 1.0 forbids (all but tab, LF, CR) are dropped."""
    text = value if type(value) is str else str(value)
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text


def safe_text_cell(ws: Any, value: Any) -> Cell | str:
    """What to append to a write-only sheet for a text.

    A harmless text is returned as it is (openpyxl writes a plain string as an inline string; only ``=…`` would
    become a formula, and "#N/A" and the like an error value). A text starting with ``= + - @`` tab or CR, or an
    error code, becomes a ``WriteOnlyCell`` of type string with Excel's quote prefix, so it stays text in the file
    and when a user edits the cell. Control characters a worksheet cannot hold are dropped.
    """
    text = value if type(value) is str else str(value)
    if SUSPECT.search(text) is None:
        return text
    text = clean_text(text)
    if not text.startswith(RISKY_PREFIXES) and text not in ERROR_CODES:
        return text
    cell = WriteOnlyCell(ws)
    _force_text(cell, text)
    return cell


def set_safe_text(cell: Cell, value: Any) -> None:
    """The same for a cell of a normal (not write-only) worksheet: ``cell.value = value`` made safe."""
    text = clean_text(value)
    if text.startswith(RISKY_PREFIXES) or text in ERROR_CODES:
        _force_text(cell, text)
    else:
        cell.value = text


def _force_text(cell: Cell, text: str) -> None:
    cell.value = text  # "=…" is typed as a formula here …
    cell.data_type = "s"  # … and turned back into a string
    cell.quotePrefix = True


def csv_field(value: Any) -> str:
    """A CSV field: texts starting with ``= + - @`` tab or CR get a leading ``'``; numbers are written as plain
    decimal text with a "." (never an exponent), dates in ISO form, blanks as an empty field."""
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return "'" + value if value.startswith(RISKY_PREFIXES) else value
    if kind is int:
        return str(value)
    if kind is Decimal:
        return format(value, "f")
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    return csv_field(str(value))
