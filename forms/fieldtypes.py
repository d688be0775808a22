"""One table of the field types: for each type of ``forms.schema.FieldType``, how an answer is parsed, which
database column keeps it and how it comes back, how it is shown, and how the Excel template writes and describes it.

Parsing (``forms.validation``), storage (``monitor.returns.storage``), presentation (``monitor.returns.presenters``)
and the Excel template (``reports.excel.template``) all dispatch on :data:`FIELD_TYPES` instead of each branching
on every type: a new type, or a change of one, is one entry here.

This module is pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Callable

from .schema import DONT_KNOW, Field, FieldType

_NUMBER_LIMIT = Decimal("1e12")  # beyond any municipal budget; exact in NUMERIC(18, 4) and in SQLite REAL
_EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*\.[^\s]{2,}$", re.IGNORECASE)
_PHONE_RE = re.compile(r"^\+?[0-9 ()\-./]+$")
_SPACES = re.compile(r"[\s\u00a0\u202f']")
#: control characters (C0, DEL, C1) a person cannot type and a spreadsheet may not hold (tab and line ends are kept);
#: NUL is refused
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_ENDS = re.compile(r"\r\n?")  # Windows and old Mac line ends → "\n" (once and for all: "\r\r\n" too)
DATE_MIN = dt.date(1990, 1, 1)
DATE_MAX = dt.date(2100, 12, 31)


class Invalid(Exception):
    """One answer cannot be read as its type: ``code`` names the message (``forms.messages``), ``values`` fill it."""

    def __init__(self, code: str, **values: Any) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def is_blank(raw: Any) -> bool:
    """No answer: None, white space (or only characters no one can type), or a list of blanks."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return _CONTROL.sub("", raw).strip() == ""
    if isinstance(raw, (list, tuple, set, frozenset)):
        return all(is_blank(r) for r in raw)
    return False


def _parse_decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool):
        raise Invalid("not_number")
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, (int, float)):
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        text = _SPACES.sub("", raw.strip()).replace("−", "-").replace("€", "")
        if text.upper().endswith("EUR"):
            text = text[:-3]
        text = text.rstrip("%")
        if "," in text and "." in text:
            raise Invalid("ambiguous_number")
        text = text.replace(",", ".")
        if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
            raise Invalid("not_number")
        value = Decimal(text)
    else:
        raise Invalid("not_number")
    if not value.is_finite() or abs(value) >= _NUMBER_LIMIT:
        raise Invalid("not_number")
    return value


def _parse_int(raw: Any) -> int:
    if isinstance(raw, bool):
        raise Invalid("not_integer")
    if isinstance(raw, int):
        if abs(raw) >= _NUMBER_LIMIT:  # the same bound as for a number typed as text
            raise Invalid("not_integer")
        return raw
    if isinstance(raw, str) and re.search(r"[.,]\d", raw):
        # "12,000" is 12 000 to one reader and 12 to another: a whole number is written without separators
        raise Invalid("not_integer")
    try:
        value = _parse_decimal(raw)
    except Invalid:
        raise Invalid("not_integer") from None
    if value != value.to_integral_value():
        raise Invalid("not_integer")
    return int(value)


def _parse_date(raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        value = raw.date()
    elif isinstance(raw, dt.date):
        value = raw
    elif isinstance(raw, str):
        text = raw.strip().rstrip(".")
        m_lv = re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", text)
        m_iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
        try:
            if m_lv:
                value = dt.date(int(m_lv[3]), int(m_lv[2]), int(m_lv[1]))
            elif m_iso:
                value = dt.date(int(m_iso[1]), int(m_iso[2]), int(m_iso[3]))
            else:
                raise Invalid("invalid_date")
        except ValueError:
            raise Invalid("invalid_date") from None
    else:
        raise Invalid("invalid_date")
    if not DATE_MIN <= value <= DATE_MAX:
        raise Invalid("date_out_of_range", min=DATE_MIN, max=DATE_MAX)
    return value


def _check_range(f: Field, value: Decimal | int) -> None:
    spec = FIELD_TYPES[f.type]
    low = f.min if f.min is not None else spec.min_default
    high = f.max if f.max is not None else spec.max_default
    if low is not None and value < Decimal(str(low)):
        raise Invalid("below_min", min=low)
    if high is not None and value > Decimal(str(high)):
        raise Invalid("above_max", max=high)


# ------------------------------------------------------------------------------------------ parsing by type

def _parse_whole(f: Field, raw: Any) -> int:
    value = _parse_int(raw)
    _check_range(f, value)
    return value


def _parse_number(f: Field, raw: Any) -> Decimal:
    value = _parse_decimal(raw)
    spec = FIELD_TYPES[f.type]
    places = spec.places or 0
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise Invalid("too_many_decimals", places=places)
    _check_range(f, value)
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) if spec.fixed_places else value


def _parse_code(f: Field, raw: Any) -> str:
    code = raw.strip() if isinstance(raw, str) else raw
    if not isinstance(code, str) or code not in f.choice_codes():
        raise Invalid("invalid_choice")
    return code


def _parse_codes(f: Field, raw: Any) -> list[str]:
    items = [raw] if isinstance(raw, str) else list(raw) if isinstance(raw, (list, tuple, set, frozenset)) else None
    if items is None:
        raise Invalid("invalid_choice")
    if any(not isinstance(i, str) for i in items):
        raise Invalid("invalid_choice")
    codes = {i.strip() for i in items if i.strip()}
    if not codes <= f.choice_codes():
        raise Invalid("invalid_choice")
    if DONT_KNOW in codes and len(codes) > 1:
        raise Invalid("dont_know_exclusive")
    return [c.code for c in f.choices if c.code in codes]


def _parse_day(f: Field, raw: Any) -> dt.date:
    return _parse_date(raw)


def _text_checker(pattern: Callable[[str], bool] | None, code: str) -> Callable[[Field, Any], str]:
    """A text type's parser: clean the text, check its length, then (URL, e-mail, phone) its shape."""
    def parse(f: Field, raw: Any) -> str:
        if not isinstance(raw, str):
            raise Invalid("invalid_value")
        text = _LINE_ENDS.sub("\n", _CONTROL.sub("", raw).strip())
        if "\x00" in text:
            raise Invalid("invalid_value")
        spec = FIELD_TYPES[f.type]
        if not spec.multiline:
            text = " ".join(text.split())
        limit = f.max_length or spec.max_length or 300
        if len(text) > limit:
            raise Invalid("too_long", length=len(text), max_length=limit)
        if pattern is not None and not pattern(text):
            raise Invalid(code)
        return text
    return parse


def _phone(text: str) -> bool:
    return bool(_PHONE_RE.match(text)) and sum(ch.isdigit() for ch in text) >= 8


def _not_an_answer(f: Field, raw: Any) -> Any:
    raise Invalid("invalid_value")  # a repeating group is validated row by row, never as one value


# ---------------------------------------------------------------------------------------------- the table

def normal_decimal(value: Decimal) -> Decimal:
    """A number without trailing zeros, and a whole number without an exponent (``Decimal("1E+3")`` → ``1000``)."""
    normal = value.normalize()
    return normal.quantize(Decimal(1)) if normal == normal.to_integral_value() else normal


_ENCODE: dict[str, Callable[[Any], Any]] = {
    "int_value": int, "num_value": Decimal, "code_value": str, "codes": list, "date_value": lambda v: v,
    "text_value": str,
}


@dataclass(frozen=True)
class TypeSpec:
    """Everything that depends on a field's type, in one place."""

    type: FieldType
    #: one answer (not blank, not "hard to say") → its typed value; raises :class:`Invalid`
    parse: Callable[[Field, Any], Any]
    #: the column of ``Answer``/``GroupAnswer`` that keeps the typed value (None: a group has rows, not a value)
    column: str | None
    places: int | None = None  # numbers: decimals accepted
    fixed_places: bool = False  # always exactly ``places`` decimals (money: rounded when parsed and stored)
    min_default: int | None = None  # the range when the field sets none
    max_default: int | None = None
    max_length: int | None = None  # texts: the length limit when the field sets none
    multiline: bool = False  # texts: line breaks kept (otherwise runs of white space become one space)
    unit: str = ""  # shown after a number ("EUR", "%")
    #: how the web page shows a number (Babel pattern) and how an Excel answer cell formats it
    display_pattern: str | None = None
    excel_format: str | None = None
    #: what kind of answer the notes of the Excel template ask for (Latvian, English)
    hint: tuple[str, str] | None = None

    @property
    def is_number(self) -> bool:
        return self.column in ("int_value", "num_value")

    @property
    def is_text(self) -> bool:
        return self.column == "text_value"

    @property
    def dont_know_is_a_choice(self) -> bool:
        """Choice types keep "hard to say" as one of their codes; other types keep it as a flag beside no value."""
        return self.column in ("code_value", "codes")

    def encode(self, value: Any) -> dict[str, Any]:
        """The typed value (not None, not "hard to say") → ``{column: stored value}``."""
        assert self.column is not None, "a repeating group is stored as rows"
        return {self.column: _ENCODE[self.column](value)}

    def decode(self, stored: Any) -> Any:
        """The stored column value → the typed value (numbers as parsing gives them: money with its 2 decimals,
        other numbers without trailing zeros)."""
        if stored is None:
            return None
        if self.column == "num_value":
            value = Decimal(stored)
            if self.fixed_places:
                return value.quantize(Decimal(1).scaleb(-(self.places or 0)))
            return normal_decimal(value)
        if self.column == "codes":
            return list(stored)
        return stored


_WHOLE = ("Vesels skaitlis.", "Whole number.")
FIELD_TYPES: dict[FieldType, TypeSpec] = {spec.type: spec for spec in (
    TypeSpec(FieldType.INTEGER, _parse_whole, "int_value", excel_format="0", hint=_WHOLE),
    TypeSpec(FieldType.SCALE, _parse_whole, "int_value", excel_format="0", hint=_WHOLE),
    TypeSpec(FieldType.DECIMAL, _parse_number, "num_value", places=4, display_pattern="#,##0.####",
             hint=("Skaitlis, ne vairāk kā 4 zīmes aiz komata.", "Number, up to 4 decimals.")),
    TypeSpec(FieldType.MONEY, _parse_number, "num_value", places=2, fixed_places=True, min_default=0, unit="EUR",
             display_pattern="#,##0.00", excel_format="#,##0.00",
             hint=("Summa eiro, ne vairāk kā 2 zīmes aiz komata.", "Amount in euros, up to 2 decimals.")),
    TypeSpec(FieldType.PERCENT, _parse_number, "num_value", places=2, min_default=0, max_default=100, unit="%",
             display_pattern="#,##0.####",
             hint=("Procenti, ne vairāk kā 2 zīmes aiz komata.", "Per cent, up to 2 decimals.")),
    TypeSpec(FieldType.YES_NO_DK, _parse_code, "code_value"),
    TypeSpec(FieldType.SINGLE_CHOICE, _parse_code, "code_value"),
    TypeSpec(FieldType.MULTI_CHOICE, _parse_codes, "codes"),
    TypeSpec(FieldType.DATE, _parse_day, "date_value",
             hint=("Datums, piemēram, 02.11.2026.", "Date, e.g. 2026-11-02.")),
    TypeSpec(FieldType.TEXT, _text_checker(None, ""), "text_value", max_length=300),
    TypeSpec(FieldType.LONG_TEXT, _text_checker(None, ""), "text_value", max_length=5000, multiline=True),
    TypeSpec(FieldType.URL, _text_checker(lambda t: bool(_URL_RE.match(t)), "invalid_url"), "text_value",
             max_length=2000, hint=("Tīmekļa adrese (https://…).", "Web address (https://…).")),
    TypeSpec(FieldType.EMAIL, _text_checker(lambda t: bool(_EMAIL_RE.match(t)), "invalid_email"), "text_value",
             max_length=254, hint=("E-pasta adrese.", "E-mail address.")),
    TypeSpec(FieldType.PHONE, _text_checker(_phone, "invalid_phone"), "text_value", max_length=40,
             hint=("Tālruņa numurs.", "Phone number.")),
    TypeSpec(FieldType.GROUP, _not_an_answer, None),
)}
