"""Reading one unit's answer for an indicator, normalised so that every computation sees the same shapes.

A normalised answer is one of:
- ``None`` — blank (``None``, ``""``, an empty list, no matching group row), or a value of the wrong type
  (records carry validated typed values, so that means a caller bug; it is kept out of every base, like a blank);
- ``DONT_KNOW`` — "hard to say" (also a multi-choice list that holds only "hard to say");
- a code (``str``) or a ``frozenset`` of codes (multi-choice; "hard to say" beside real codes is dropped);
- a number: ``int`` or finite ``Decimal`` (floats are read at their printed digits).

Indicators that read the same answer share a ``Source``, so each record is read once per source.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Iterable, Mapping, NamedTuple

from forms import DONT_KNOW

from .indicators import Indicator


class Source(NamedTuple):
    """Where an answer comes from: a top-level field, or a repeating group's column over some rows."""

    field: str
    column: str | None = None
    row_filter: tuple[str, frozenset[str]] | None = None

    @property
    def key(self) -> str:
        """``field``, ``field.column`` or ``field.column[source=varam]`` (stable; used in unit sections)."""
        if self.column is None:
            return self.field
        if self.row_filter is None:
            return f"{self.field}.{self.column}"
        name, codes = self.row_filter
        return f"{self.field}.{self.column}[{name}={','.join(sorted(codes))}]"


def sources_of(indicator: Indicator) -> tuple[Source, ...]:
    if indicator.column is not None:
        return (Source(indicator.fields[0], indicator.column, indicator.row_filter),)
    return tuple(Source(field) for field in indicator.fields)


def _number(raw: Any) -> int | Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, Decimal):
        return raw if raw.is_finite() else None
    if isinstance(raw, float):
        return Decimal(repr(raw)) if math.isfinite(raw) else None
    return None


def normalise(raw: Any) -> Any:
    """One scalar or multi-choice answer → its normalised form (see the module docstring)."""
    kind = type(raw)  # exact types first: this runs once per record and source
    if kind is str:
        return raw.strip() or None  # codes are stored stripped; "" is a blank
    if kind is int or (kind is Decimal and raw.is_finite()):
        return raw
    if raw is None:
        return None
    if isinstance(raw, str):
        return raw.strip() or None
    if isinstance(raw, (list, tuple, set, frozenset)):
        codes = frozenset(c for c in raw if isinstance(c, str) and c)
        if not codes:
            return None
        if codes == {DONT_KNOW}:
            return DONT_KNOW
        return codes - {DONT_KNOW}
    return _number(raw)  # None for dates, dicts, bools, NaN…: not an answer any indicator reads


def group_amount(rows: Any, column: str, row_filter: tuple[str, frozenset[str]] | None) -> Any:
    """The sum of ``column`` over the rows that pass ``row_filter``.

    ``None`` when no row counts (nothing reported); ``DONT_KNOW`` when any counted row's amount is blank or
    "hard to say" (a partial sum would look like a complete one).
    """
    if not isinstance(rows, (list, tuple)):
        return None
    total: int | Decimal = 0
    counted = 0
    unknown = False
    for row in rows:
        if not isinstance(row, dict) and not isinstance(row, Mapping):  # dict first: the ABC check is slow
            continue
        if row_filter is not None and row.get(row_filter[0]) not in row_filter[1]:
            continue
        counted += 1
        amount = _number(row.get(column))
        if amount is None:
            unknown = True
        else:
            total += amount
    if not counted:
        return None
    return DONT_KNOW if unknown else total


def read(source: Source, values: Mapping[str, Any]) -> Any:
    """The normalised answer of one record for one source."""
    if source.column is None:
        return normalise(values.get(source.field))
    return group_amount(values.get(source.field), source.column, source.row_filter)


def read_all(sources: Iterable[Source], values: Mapping[str, Any]) -> dict[Source, Any]:
    return {source: read(source, values) for source in sources}
