"""One indicator over one population of normalised answers, and its comparisons with references.

``compute`` applies the indicator's base rule (see ``indicators``) and returns a ``Core`` (value, n, numerator,
"hard to say" and missing counts). A ``Core`` whose base is empty (n = 0) has no value and no numerator: "no
data", never a 0. ``compare_reference`` and ``compare_previous`` build the ``Comparison`` objects
under the rules of ``model.Comparison``: percentages only for shares, both bases carried, the reform caveat on
every 2017 comparison, nothing subtracted from a figure given only in words or as a bound, nor from a figure
without data on either side.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any, Callable, Iterable, NamedTuple, Sequence

from forms import DONT_KNOW

from . import stats
from .caveats import REFORM_2021, REGIONS_2017, SURVEY_2022
from .indicators import COUNTED, NO_ANSWER, Computation, Indicator
from .model import (BASE_NOT_STATED, BASES_DIFFER, CONTEXT_ONLY, COUNT_WITHOUT_BASE, DEFINED_DIFFERENTLY, NO_DATA,
                    NO_DATA_BEFORE, NOT_EXACT, REASONS, SIDE_BY_SIDE, WORDS_ONLY, Caveat, Comparison)
from .reference import BISS_2017, NATIONAL, ReferenceFigure

_YEARS = {BISS_2017: 2017, "survey_2022": 2022}
_STAT: dict[Computation, Callable[[Sequence[Any]], Any]] = {
    Computation.MEAN: stats.mean, Computation.MEDIAN: stats.median, Computation.SD: stats.stdev,
    Computation.MODE: stats.mode, Computation.MIN: stats.minimum, Computation.MAX: stats.maximum,
    Computation.SUM: stats.total, Computation.SUM_EUR: stats.total,
}
#: computations whose reference figures (scores, means, sd) are compared as a difference in their own unit
_DIFFERENCE = frozenset({Computation.MEAN, Computation.MEDIAN, Computation.SD, Computation.MIN, Computation.MAX})
_ZERO = Decimal(0)
_ABSOLUTE = frozenset({Computation.COUNT, Computation.SUM, Computation.SUM_EUR})  # depend on how many answered


class Core(NamedTuple):
    value: Any  # None when n == 0
    n: int  # the base
    numerator: int | None  # shares and counts; None when n == 0
    n_dont_know: int
    n_missing: int  # blank, not asked or unusable: outside the base unless the denominator is "counted"


def _is_number(value: Any) -> bool:
    kind = type(value)
    return kind is int or kind is Decimal or (isinstance(value, (int, Decimal)) and not isinstance(value, bool))


def _in_range(value: Any, bounds: tuple[Decimal | None, Decimal | None]) -> bool:
    low, high = bounds
    return (low is None or value >= low) and (high is None or value <= high)


def _matches(indicator: Indicator, value: Any) -> bool | None:
    """Whether a (non-blank, non-"hard to say") answer is in the numerator; ``None`` for a wrong-typed answer."""
    if indicator.value_range is not None:
        return _in_range(value, indicator.value_range) if _is_number(value) else None
    if isinstance(value, str):
        return value in indicator.codes
    if isinstance(value, frozenset):
        return not value.isdisjoint(indicator.codes)
    return None


def share_or_count(indicator: Indicator, tally: Iterable[tuple[Any, int]]) -> Core:
    """A share or count from ``(answer, number of units)`` pairs: the result depends only on how many units gave
    each answer, so a population is tallied once per source and every share of that question reads the tally.

    A blank (or an unusable answer) is missing: outside ``n`` unless the indicator's denominator is ``"counted"``,
    and in the numerator only when the indicator counts ``NO_ANSWER``."""
    rule = indicator.base
    counts_blank = NO_ANSWER in indicator.codes
    blank_in_base = rule.denominator == COUNTED
    dk_in_codes = DONT_KNOW in indicator.codes
    n = numerator = dont_know = missing = 0
    for value, count in tally:
        if value is None:
            missing += count
            if blank_in_base:
                n += count
                numerator += count if counts_blank else 0
        elif value == DONT_KNOW:
            dont_know += count
            if dk_in_codes:
                n += count
                numerator += count
            elif not rule.exclude_dont_know:
                n += count
        else:
            hit = _matches(indicator, value)
            if hit is None:  # a caller bug (see ``indicators``): treated exactly like a blank
                missing += count
                if blank_in_base:
                    n += count
            else:
                n += count
                numerator += count if hit else 0
    if not n:
        return Core(None, 0, None, dont_know, missing)
    result = stats.share(numerator, n) if indicator.computation == Computation.SHARE else numerator
    return Core(result, n, numerator, dont_know, missing)


def pick_numbers(values: Sequence[Any], bounds: tuple[Decimal | None, Decimal | None] | None,
                 ) -> tuple[list[Any], int, int]:
    """(the numbers within ``bounds``, "hard to say" count, blank count) — shared by every statistic of a source."""
    picked = []
    dont_know = blank = 0
    for value in values:
        if _is_number(value):
            if bounds is None or _in_range(value, bounds):
                picked.append(value)
        elif value == DONT_KNOW:
            dont_know += 1
        else:
            blank += 1
    return picked, dont_know, blank


def numeric(indicator: Indicator, picked: tuple[list[Any], int, int]) -> Core:
    numbers, dont_know, blank = picked
    if not numbers:
        return Core(None, 0, None, dont_know, blank)
    return Core(_STAT[indicator.computation](numbers), len(numbers), None, dont_know, blank)


def unit_core(indicator: Indicator, value: Any) -> Core:
    """``compute(indicator, [value])`` for one unit's answer, without building a population (the hot path of
    unit sections: one call per unit and indicator)."""
    comp = indicator.computation
    if comp in (Computation.SUM, Computation.SUM_EUR, Computation.MEAN) and _is_number(value):
        bounds = indicator.value_range
        if bounds is None or _in_range(value, bounds):
            return Core(stats.single(value), 1, None, 0, 0)
        return Core(None, 0, None, 0, 0)
    return compute(indicator, (value,))


def compute(indicator: Indicator, values: Sequence[Any]) -> Core:
    """The indicator over normalised answers (one per unit). Crosstabs go through ``compute_crosstab``."""
    if indicator.computation in (Computation.SHARE, Computation.COUNT):
        return share_or_count(indicator, Counter(values).items())
    if indicator.computation == Computation.CROSSTAB:
        raise ValueError("use compute_crosstab for a crosstab")
    return numeric(indicator, pick_numbers(values, indicator.value_range))


def compute_crosstab(indicator: Indicator, rows: Sequence[Any], cols: Sequence[Any],
                     row_codes: Sequence[str], col_codes: Sequence[str]) -> Core:
    """Pairs of single-choice answers; "hard to say" is a row/column of its own; a blank on either side is out."""
    pairs = []
    blank = 0
    for row, col in zip(rows, cols):
        if isinstance(row, str) and isinstance(col, str):
            pairs.append((row, col))
        else:
            blank += 1
    table = stats.crosstab(pairs, row_codes, col_codes)
    return Core(table if table.n else None, table.n, None, 0, blank)


# -------------------------------------------------------------------------------------------- comparisons

def _decimal(value: float | int) -> Decimal:
    return stats.to_decimal(value) or _ZERO


def reference_percent(ref: ReferenceFigure) -> tuple[Decimal | None, bool]:
    """The reference as a percentage and whether it is derived (a count over its published base)."""
    if ref.value is None:
        return None, False
    if ref.unit == "percent":
        return _decimal(ref.value), False
    if ref.unit == "count" and ref.base_n:
        return stats.share(int(ref.value), ref.base_n) if float(ref.value).is_integer() else None, True
    return None, False


def _caveats(ref: ReferenceFigure) -> tuple[Caveat, ...]:
    if ref.dataset == BISS_2017:
        return (REFORM_2021,) if ref.scope == NATIONAL else (REFORM_2021, REGIONS_2017)
    return (SURVEY_2022,)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def compare_reference(indicator: Indicator, core: Core, ref: ReferenceFigure, *, context: bool = False,
                      current_value: Any = None, current_percent: Decimal | None = None) -> Comparison:
    """``core`` against one published figure. ``context``: shown beside, never subtracted.

    ``current_value``/``current_percent`` override the figure's own (crosstab cells compare one cell). A figure
    without data (n = 0) is never compared: ``change`` is ``None`` and the note says so.
    """
    value = core.value if current_value is None else current_value
    mine = core.value if current_percent is None else current_percent
    percent, derived = (None, False)
    change: Decimal | None = None
    change_unit: str | None = None
    reasons: list[str] = []
    if ref.indicator_key != indicator.key and current_percent is None:
        reasons.append(DEFINED_DIFFERENTLY)
    share_like = indicator.computation == Computation.SHARE or current_percent is not None
    if share_like:
        percent, derived = reference_percent(ref)
    if not core.n:
        reasons.append(NO_DATA)
    elif context:
        reasons.append(CONTEXT_ONLY)
    elif ref.value is None:
        reasons.append(WORDS_ONLY)
    elif not ref.exact:
        reasons.append(NOT_EXACT)
    elif share_like:
        if percent is None:
            reasons.append(COUNT_WITHOUT_BASE)
        elif mine is not None:
            change, change_unit = mine - percent, "pp"
    elif indicator.computation in _DIFFERENCE and ref.unit not in ("percent", "count"):
        if mine is not None:
            change, change_unit = mine - _decimal(ref.value), ref.unit
    else:
        reasons.append(SIDE_BY_SIDE)
    if ref.base_n is None:
        reasons.append(BASE_NOT_STATED)
    why = _join(*(REASONS[r].format(key=ref.indicator_key) for r in reasons))
    return Comparison(
        against=ref.dataset, reference_key=ref.indicator_key, reference_year=_YEARS.get(ref.dataset, 0),
        reference_value=None if ref.value is None else _decimal(ref.value), reference_unit=ref.unit,
        reference_percent=percent, reference_base_n=ref.base_n, reference_exact=ref.exact,
        reference_source_line=ref.source_line, current_value=value, current_n=core.n, change=change,
        change_unit=change_unit, derived=derived, caveats=_caveats(ref), note=_join(why, ref.note),
        reasons=tuple(reasons), reference_note_lv=ref.note_lv, reference_note_en=ref.note,
        reference_source_line_end=ref.source_line_end)


def compare_previous(indicator: Indicator, core: Core, previous: Core, previous_year: int) -> Comparison:
    """This year against the previous reporting year (same statuses): pp for shares, differences otherwise; no
    change when either year has no data (n = 0)."""
    change: Decimal | None = None
    change_unit: str | None = None
    note = ""
    reasons: tuple[str, ...] = ()
    comp = indicator.computation
    now, before = core.value, previous.value
    if not core.n or not previous.n:  # an empty base has no value (see ``Core``): nothing to subtract
        note = (f"No data in {previous_year}: nothing to compare." if core.n else
                "No data this year: nothing to compare.")
        reasons = (NO_DATA_BEFORE,) if core.n else (NO_DATA,)
    elif now is not None and before is not None and comp is not Computation.MODE and comp is not Computation.CROSSTAB:
        change = Decimal(now) - Decimal(before)
        change_unit = "pp" if comp is Computation.SHARE else indicator.unit
    if core.n and previous.n and core.n != previous.n and comp in _ABSOLUTE:
        note = f"The bases differ ({core.n} this year, {previous.n} in {previous_year}): read the change with care."
        reasons = (BASES_DIFFER,)
    # positional: this runs once per unit figure that has a previous-year answer
    return Comparison("previous_year", indicator.key, previous_year, before, indicator.unit,
                      before if comp is Computation.SHARE else None, previous.n, True, None, now, core.n, change,
                      change_unit, False, (), note, reasons)
