"""The report objects ``compile_report`` returns, and their JSON form.

``Report.to_dict()`` is JSON-serialisable and deterministic (the same inputs in any order give an equal dict and
the same ``json.dumps(..., sort_keys=True)`` bytes). Number encoding, chosen once for the whole dict:

- counts — ``n``, ``numerator``, ``n_dont_know``, ``n_missing``, crosstab cells, integer answers — are JSON integers;
- every other number (percentages, means, medians, standard deviations, sums in EUR, changes, reference values)
  is a **string**: the exact ``Decimal`` rounded half-even to 10 decimal places, trailing zeros dropped, never in
  exponent form (``"14.6341463415"``, ``"3.3"``, ``"-0.5"``, ``"1200"``). Strings, because a float would not
  round-trip and would differ between platforms; callers format for display.

Shares are percentages (0–100), never proportions. A figure without data (``n`` = 0) has ``"value": null`` and
``"numerator": null``, and none of its comparisons has a ``change``. Each indicator states its ``base``
(``"denominator"``: ``"answered"`` or ``"counted"``); the report states its ``coverage`` (``null`` when the caller
passed no expected units).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import Any

from .coverage import Coverage
from .indicators import Indicator
from .stats import Crosstab

_PLACES = Decimal("1E-10")
_CTX = Context(prec=400, rounding=ROUND_HALF_EVEN, Emax=999_999, Emin=-999_999)


@lru_cache(maxsize=65536)  # the same percentages and scores recur across thousands of figures
def number_text(value: Decimal | float) -> str:
    """A non-integer-typed number as the dict writes it (see the module docstring)."""
    number = value if isinstance(value, Decimal) else Decimal(repr(value))
    if not number.is_finite():
        return str(number)
    text = format(number.quantize(_PLACES, context=_CTX), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def payload_number(value: Any) -> Decimal | None:
    """A number of the JSON form back as an exact ``Decimal`` (``None`` for no value, a flag, a table, a list of
    modes or anything that is not a number): what pages and charts read."""
    if value is None or isinstance(value, (bool, dict, list)):
        return None
    try:
        return Decimal(str(value))
    except (ArithmeticError, ValueError):
        return None


def plain(value: Any) -> Any:
    """Any value a report holds → its JSON form."""
    kind = type(value)
    if kind is Decimal:
        return number_text(value)
    if value is None or kind is int or kind is str or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (Decimal, float)):
        return number_text(value)
    if isinstance(value, (set, frozenset)):
        return sorted(plain(v) for v in value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Crosstab):
        return {"rows": list(value.rows), "cols": list(value.cols), "counts": [list(r) for r in value.counts],
                "row_totals": list(value.row_totals()), "col_totals": list(value.col_totals()), "n": value.n}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _n(value: Any) -> Any:
    """``plain`` for the values figures hold most (Decimal, int, None), without its dispatch."""
    kind = type(value)
    if kind is Decimal:
        return number_text(value)
    if value is None or kind is int:
        return value
    return plain(value)


@dataclass(frozen=True, slots=True)
class Caveat:
    """A warning that travels with a comparison or a table (both languages)."""

    key: str
    lv: str
    en: str

    def to_dict(self) -> dict[str, str]:
        return {"key": self.key, "lv": self.lv, "en": self.en}


#: ``Comparison.reasons``: why a change was not computed or must be read with care, by code; the English wording
#: is what ``Comparison.note`` says (``{key}``: the reference indicator), the pages word each code in the reader's
#: language.
DEFINED_DIFFERENTLY = "defined_differently"
NO_DATA = "no_data"
NO_DATA_BEFORE = "no_data_before"
CONTEXT_ONLY = "context_only"
WORDS_ONLY = "words_only"
NOT_EXACT = "not_exact"
COUNT_WITHOUT_BASE = "count_without_base"
SIDE_BY_SIDE = "side_by_side"
BASE_NOT_STATED = "base_not_stated"
BASES_DIFFER = "bases_differ"
REASONS: dict[str, str] = {
    DEFINED_DIFFERENTLY: "Reference indicator {key} is defined differently; read with care.",
    NO_DATA: "No data this year (no municipality in the base): nothing to compare.",
    NO_DATA_BEFORE: "No data in the previous year: nothing to compare.",
    CONTEXT_ONLY: "Shown for context only: another question or base, not subtracted.",
    WORDS_ONLY: "Described only in words in the seed report: no number to compare.",
    NOT_EXACT: "The published figure is not exact (a bound, band or approximation): not subtracted.",
    COUNT_WITHOUT_BASE: "A count without a published base is not a percentage: counts are never compared.",
    SIDE_BY_SIDE: "Counts, sums and modes are shown side by side, not subtracted.",
    BASE_NOT_STATED: "The published base (n) is not stated.",
    BASES_DIFFER: "The bases differ: read the change with care.",
}


@dataclass(frozen=True, slots=True)
class Comparison:
    """A figure set against a reference: the 2017 BISS survey, the 2022 survey or the previous reporting year.

    ``change`` is ``current − reference``: percentage points (``change_unit="pp"``) for shares, computed from
    percentages only (a count with a published base becomes a percentage, ``derived=True``; a count without one is
    never compared); a difference in the figure's unit for scores; ``None`` when nothing can honestly be
    subtracted (words only, a bound, counts, another question) — ``note`` says why. Both bases are carried.
    Every comparison with 2017 carries the reform caveat.

    ``note`` is English (kept for the API and older readers). Pages read the same in both languages from
    ``reasons`` — codes of ``REASONS`` (why nothing was subtracted, what to read with care), which the pages
    word in the reader's language — and ``reference_note_lv``/``reference_note_en``, the reference figure's own
    note; ``reference_source_line_end`` closes the seed report's line range.
    """

    against: str  # "biss_2017" | "survey_2022" | "previous_year"
    reference_key: str
    reference_year: int
    reference_value: Any
    reference_unit: str
    reference_percent: Decimal | None
    reference_base_n: int | None
    reference_exact: bool
    reference_source_line: int | None
    current_value: Any
    current_n: int
    change: Decimal | None
    change_unit: str | None
    derived: bool = False
    caveats: tuple[Caveat, ...] = ()
    note: str = ""
    reasons: tuple[str, ...] = ()
    reference_note_lv: str = ""
    reference_note_en: str = ""
    reference_source_line_end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "against": self.against, "reference_key": self.reference_key, "reference_year": self.reference_year,
            "reference_value": _n(self.reference_value), "reference_unit": self.reference_unit,
            "reference_percent": _n(self.reference_percent), "reference_base_n": self.reference_base_n,
            "reference_exact": self.reference_exact, "reference_source_line": self.reference_source_line,
            "current_value": _n(self.current_value), "current_n": self.current_n,
            "change": _n(self.change), "change_unit": self.change_unit, "derived": self.derived,
            "caveats": [c.to_dict() for c in self.caveats] if self.caveats else [], "note": self.note,
            "reasons": list(self.reasons), "reference_note_lv": self.reference_note_lv,
            "reference_note_en": self.reference_note_en, "reference_source_line_end": self.reference_source_line_end,
        }


@dataclass(frozen=True, slots=True)
class Figure:
    """One indicator over one population (the country, a region or a single unit).

    ``value``: percentage (``Decimal``) for shares; ``int`` for counts; ``Decimal`` for means, medians, standard
    deviations, minima, maxima and sums; a sorted tuple for modes; a ``Crosstab``; ``None`` when the base is
    empty ("no data": never a 0, never compared). ``n`` is the base (the units that answered, or every counted
    unit for a ``"counted"`` denominator); ``numerator`` the count behind a share or count (``None`` otherwise and
    when n = 0); ``n_dont_know`` the units that said "hard to say"; ``n_missing`` the counted units without a
    usable answer (blank, or the question not asked that year).
    """

    indicator_key: str
    value: Any
    n: int
    numerator: int | None
    n_dont_know: int
    n_missing: int
    comparisons: tuple[Comparison, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"value": _n(self.value), "n": self.n, "numerator": self.numerator,
                "n_dont_know": self.n_dont_know, "n_missing": self.n_missing,
                "comparisons": [c.to_dict() for c in self.comparisons]}


def find_figure(figures: tuple[Figure, ...], key: str) -> Figure:
    """The figure of indicator ``key`` (``KeyError`` if the report has none)."""
    for f in figures:
        if f.indicator_key == key:
            return f
    raise KeyError(key)


@dataclass(frozen=True)
class ScopeReport:
    """All figures of one scope: ``"national"`` or a planning-region slug (regions with no unit have n = 0), and
    the scope's coverage (``None`` when the report was compiled without expected units)."""

    scope: str
    name: str
    n_units: int
    figures: tuple[Figure, ...]
    coverage: Coverage | None = None

    def figure(self, key: str) -> Figure:
        return find_figure(self.figures, key)


@dataclass(frozen=True)
class UnitReport:
    """One municipality's figures: n is 1 (its answer is in the base) or 0 (no answer: no data, ``n_missing`` 1
    unless it said "hard to say"); a share is 100 or 0 with numerator 1 or 0; a previous-year comparison when the
    unit has a counted return for that year. Only shares, counts, means and sums: a median, sd, mode, minimum or
    maximum of one answer says nothing more (or is undefined)."""

    unit: str
    region: str
    status: str
    figures: tuple[Figure, ...]

    def figure(self, key: str) -> Figure:
        return find_figure(self.figures, key)

    def to_dict(self, memo: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
        """``memo`` (figure id → its dict) lets identical shared figures share one dict (see ``Report.to_dict``)."""
        if memo is None:
            memo = {}
        figures = {}
        for f in self.figures:
            found = memo.get(id(f))
            if found is None:
                found = memo[id(f)] = f.to_dict()
            figures[f.indicator_key] = found
        return {"unit": self.unit, "region": self.region, "status": self.status, "figures": figures}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label_lv: str
    label_en: str


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label_lv: str
    label_en: str
    cells: tuple[Any, ...]  # one per column: int, Decimal, str, tuple of unit slugs, or None


@dataclass(frozen=True)
class Table:
    """A named analysis table (the seed report's tables, by-region splits, the score scatter)."""

    key: str
    title_lv: str
    title_en: str
    base_lv: str
    base_en: str
    n: int
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    summary: tuple[tuple[str, Any], ...] = ()
    comparisons: tuple[Comparison, ...] = ()
    caveats: tuple[Caveat, ...] = ()
    notes: tuple[str, ...] = ()  # English
    source: str = ""
    notes_lv: tuple[str, ...] = ()  # the same notes in Latvian

    def cell(self, row: str, column: str) -> Any:
        index = [c.key for c in self.columns].index(column)
        for r in self.rows:
            if r.key == row:
                return r.cells[index]
        raise KeyError(row)

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "title_lv": self.title_lv, "title_en": self.title_en, "base_lv": self.base_lv,
            "base_en": self.base_en, "n": self.n, "source": self.source,
            "columns": [{"key": c.key, "label_lv": c.label_lv, "label_en": c.label_en} for c in self.columns],
            "rows": [{"key": r.key, "label_lv": r.label_lv, "label_en": r.label_en,
                      "cells": [plain(v) for v in r.cells]} for r in self.rows],
            "summary": {k: plain(v) for k, v in self.summary},
            "comparisons": [c.to_dict() for c in self.comparisons],
            "caveats": [c.to_dict() for c in self.caveats], "notes": list(self.notes),
            "notes_lv": list(self.notes_lv),
        }


def indicator_dict(item: Indicator) -> dict[str, Any]:
    return {
        "key": item.key, "title_lv": item.title_lv, "title_en": item.title_en, "fields": list(item.fields),
        "computation": item.computation.value, "unit": item.unit, "codes": sorted(item.codes),
        "value_range": None if item.value_range is None else [plain(v) for v in item.value_range],
        "column": item.column,
        "row_filter": None if item.row_filter is None else [item.row_filter[0], sorted(item.row_filter[1])],
        "base": {"statuses": None if item.base.statuses is None else sorted(item.base.statuses),
                 "exclude_dont_know": item.base.exclude_dont_know, "denominator": item.base.denominator},
        "reference_keys": list(item.reference_keys), "context_keys": list(item.context_keys), "note": item.note,
        "note_lv": item.note_lv,
        "restrict_to": None if item.restrict_to is None else [item.restrict_to[0], sorted(item.restrict_to[1])],
    }


@dataclass(frozen=True)
class Report:
    """A compiled yearly report. Figures are in catalogue order; regions in the seed report's order; units sorted."""

    year: int
    statuses: tuple[str, ...]
    previous_year: int | None
    generated_from: tuple[tuple[str, int], ...]  # (status, number of records passed in), sorted
    caveats: tuple[Caveat, ...]
    indicators: tuple[Indicator, ...]
    national: ScopeReport
    regions: tuple[ScopeReport, ...]
    units: tuple[UnitReport, ...]
    tables: tuple[Table, ...]

    def scope(self, scope: str) -> ScopeReport:
        if scope == "national":
            return self.national
        for r in self.regions:
            if r.scope == scope:
                return r
        raise KeyError(scope)

    def figure(self, key: str, scope: str = "national") -> Figure:
        return self.scope(scope).figure(key)

    @property
    def coverage(self) -> Coverage | None:
        """The national coverage (each region's is on its ``ScopeReport``)."""
        return self.national.coverage

    def unit(self, slug: str) -> UnitReport:
        for u in self.units:
            if u.unit == slug:
                return u
        raise KeyError(slug)

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    def to_dict(self) -> dict[str, Any]:
        """The whole report as plain JSON data (see the module docstring for the number encoding).

        Unit figures that ``compile_report`` shares between units (same indicator, answer and previous answer)
        are written once and the same dict object appears under each unit: the result is for serialising or
        reading — deep-copy it before mutating one unit's entry.
        """
        memo: dict[int, dict[str, Any]] = {}
        indicators = []
        for position, item in enumerate(self.indicators):
            entry = indicator_dict(item)
            entry["national"] = self.national.figures[position].to_dict()
            entry["regions"] = {r.scope: r.figures[position].to_dict() for r in self.regions}
            indicators.append(entry)
        return {
            "year": self.year,
            "statuses": list(self.statuses),
            "previous_year": self.previous_year,
            "generated_from": dict(self.generated_from),
            "n_units": self.national.n_units,
            "caveats": [c.to_dict() for c in self.caveats],
            "regions": [{"slug": r.scope, "name": r.name, "n_units": r.n_units} for r in self.regions],
            "coverage": None if self.national.coverage is None else {
                **self.national.coverage.to_dict(),
                "regions": {r.scope: r.coverage.to_dict() for r in self.regions if r.coverage is not None}},
            "indicators": indicators,
            "tables": [t.to_dict() for t in self.tables],
            "units": [u.to_dict(memo) for u in self.units],
        }
