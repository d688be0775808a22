"""What the writer puts in a cell: values in the answer column, styles, drop-down lists and the notes column
(type, range, unit, "hard to say", "answer only if …")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Callable

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from forms import DONT_KNOW, Field, FieldType
from forms.fieldtypes import FIELD_TYPES
from forms.schema import CHOICE_TYPES
from forms.validation import format_number

from ..upload import RISKY_STARTS
from .layout import LISTS_SHEET, ui


_DATE_FORMATS = {"lv": "dd.mm.yyyy", "en": "yyyy-mm-dd"}

_GREY = PatternFill("solid", fgColor="EDEDED")
_HEADER = PatternFill("solid", fgColor="D9E1F2")
_ANSWER = PatternFill("solid", fgColor="FFF2CC")
_BOLD, _SMALL = Font(bold=True), Font(color="595959", size=9)
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


def _pair(pair: tuple[str, str], locale: str) -> str:
    return pair[1 if locale == "en" else 0]


# ----------------------------------------------------------------------------------------- cell helpers

def put_text(cell: Any, text: str) -> None:
    """Write text that can never become a formula or an error value (and that Excel keeps as text when it is
    edited). Control characters a worksheet cannot hold (XML 1.0) are dropped."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(RISKY_STARTS + ("\t", "\r")) or text in ERROR_CODES:
        cell.quotePrefix = True


def _label(f: Field, code: str, locale: str) -> str:
    if code == DONT_KNOW and not f.choice(code):
        return ui("dk", locale)
    c = f.choice(code)
    return c.label(locale) if c else code


def put_value(cell: Any, f: Field, value: Any, locale: str) -> None:
    """A typed answer into an answer cell: labels for choices, numbers as numbers, dates as dates."""
    spec = FIELD_TYPES[f.type]
    if spec.is_text:
        cell.number_format = "@"
    elif f.type == FieldType.DATE:
        cell.number_format = _DATE_FORMATS.get(locale, "yyyy-mm-dd")
    elif spec.excel_format is not None:
        cell.number_format = spec.excel_format
    if value is None or value == []:
        return
    if isinstance(value, list):
        put_text(cell, "; ".join(_label(f, code, locale) for code in value))
    elif isinstance(value, str):
        put_text(cell, _label(f, value, locale) if f.type in CHOICE_TYPES or value == DONT_KNOW else value)
    elif isinstance(value, (int, Decimal, dt.date)) and not isinstance(value, bool):
        cell.value = value
    else:
        put_text(cell, str(value))


def _style(cell: Any, *, fill: PatternFill | None = None, font: Font | None = None, unlocked: bool = False) -> None:
    cell.alignment = _WRAP
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    if unlocked:
        cell.protection = _UNLOCKED


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights may be changed
    ws.protection.formatRows = False


class _Lists:
    """The drop-down lists: one column of the hidden ``_lists`` sheet each."""

    def __init__(self) -> None:
        self.columns: dict[str, list[str]] = {}

    def ref(self, name: str, labels: list[str]) -> str:
        self.columns.setdefault(name, labels)
        col = get_column_letter(list(self.columns).index(name) + 1)
        return f"{quote_sheetname(LISTS_SHEET)}!${col}$2:${col}${len(self.columns[name]) + 1}"

    def write(self, ws: Worksheet) -> None:
        for col, (name, labels) in enumerate(self.columns.items(), start=1):
            put_text(ws.cell(1, col), name)
            for row, label in enumerate(labels, start=2):
                put_text(ws.cell(row, col), label)
        ws.sheet_state = "hidden"
        _protect(ws)


def _validation(ws: Worksheet, lists: _Lists, name: str, labels: list[str], *, strict: bool = True
                ) -> DataValidation:
    dv = DataValidation(type="list", formula1=lists.ref(name, labels), allow_blank=True,
                        showErrorMessage=strict, showDropDown=False)
    ws.add_data_validation(dv)
    return dv


def _choice_labels(f: Field, locale: str) -> list[str]:
    return [c.label(locale) for c in f.choices]


# ----------------------------------------------------------------------------------------------- notes

def notes(f: Field, locale: str, scope: Callable[[str], Field | None], *, in_group: bool = False) -> str:
    """Column D (or a group column's comment): what the answer should look like, and when to give it."""
    parts = [ui("required", locale)] if f.required else []
    if f.type == FieldType.MULTI_CHOICE:
        labels = "; ".join(_choice_labels(f, locale))
        parts.append(ui("multi_cell", locale).format(labels) if in_group else ui("multi", locale))
    elif f.type in CHOICE_TYPES:
        parts.append(ui("pick", locale))
    elif FIELD_TYPES[f.type].hint is not None:
        parts.append(_pair(FIELD_TYPES[f.type].hint, locale))
    parts += _range_notes(f, locale)
    if f.allow_dont_know:
        parts.append(ui("dk_allowed", locale))
    if f.unit is not None:
        parts.append(ui("unit", locale).format(f.unit.get(locale)))
    if f.show_if is not None:
        parts.append(_condition_note(f, locale, scope))
    if f.help is not None:
        parts.append(f.help.get(locale))
    return "\n".join(parts)


def _range_notes(f: Field, locale: str) -> list[str]:
    spec = FIELD_TYPES[f.type]
    if spec.is_text:
        return [ui("max_length", locale).format(f.max_length)] if f.max_length else []
    if not spec.is_number:
        return []
    low = f.min if f.min is not None else spec.min_default
    high = f.max if f.max is not None else spec.max_default
    low_text, high_text = (format_number(Decimal(str(v)), locale) if v is not None else None for v in (low, high))
    if low_text is not None and high_text is not None:
        return [ui("range", locale).format(low_text, high_text)]
    if low_text is not None:
        return [ui("min", locale).format(low_text)]
    return [ui("max", locale).format(high_text)] if high_text is not None else []


def _condition_note(f: Field, locale: str, scope: Callable[[str], Field | None]) -> str:
    assert f.show_if is not None
    other = scope(f.show_if.key)
    if other is None:
        return ui("only_if", locale).format(f.show_if.key, ", ".join(sorted(f.show_if.codes)))
    codes = [c.code for c in other.choices if c.code in f.show_if.codes] or sorted(f.show_if.codes)
    values = ui("or", locale).join(f"«{_label(other, code, locale)}»" if locale != "en"
                                   else f"“{_label(other, code, locale)}”" for code in codes)
    return ui("only_if", locale).format(other.label.get(locale), values)
