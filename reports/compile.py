"""``compile_report``: approved returns of one year (+ references, + last year) → a ``Report``.

Pure: plain records in, frozen objects out. The same inputs in any order give an equal report (records are sorted
by unit, every statistic is exact and order-free, every list in the output has a fixed order).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Mapping, Sequence

from . import stats
from .caveats import CAVEATS
from .catalogue import INDICATORS
from .coverage import coverages
from .figures import (
    Core, compare_previous, compare_reference, compute, compute_crosstab, numeric, pick_numbers, share_or_count,
    unit_core,
)
from .indicators import Computation, Indicator
from .labels import codes
from .model import Comparison, Figure, Report, ScopeReport, UnitReport
from .population import Population
from .records import DEFAULT_STATUSES, REGION_SLUGS, UnitRecord
from .reference import NATIONAL, ReferenceFigure
from .tables import build_tables
from .values import Source, sources_of

#: computations shown per unit; the others (median, sd, mode, min, max, crosstab) say nothing about one unit
UNIT_LEVEL = frozenset({Computation.SHARE, Computation.COUNT, Computation.MEAN, Computation.SUM,
                        Computation.SUM_EUR})
_DATASET_ORDER = {"biss_2017": 0, "survey_2022": 1}


def compile_report(
    year: int,
    records: Sequence[UnitRecord],
    *,
    reference: Sequence[ReferenceFigure] = (),
    previous: Sequence[UnitRecord] = (),
    statuses: frozenset[str] = DEFAULT_STATUSES,
    regions: Mapping[str, str] | None = None,
    expected: Mapping[str, str] | None = None,
) -> Report:
    """Compile the report of ``year``.

    ``records``: the year's returns (any status; only ``statuses`` are counted, the others appear in
    ``generated_from``). ``previous``: the previous reporting year's returns (one year, earlier than ``year``),
    counted under the same ``statuses``. ``regions``: region slug → display name (slugs otherwise).
    ``expected``: every unit the year expects a return from (municipality slug → planning-region slug), for the
    report's coverage (national and per region); without it the report's coverage is ``None`` ("not recorded").
    Raises ``ValueError`` for a record of another year or two records of one unit (a municipality files one
    return a year, so a duplicate is a caller bug that would double-count).
    """
    _check(records, year, "records")
    counted = [r for r in records if r.status in statuses]
    previous_year = _previous_year(previous, year)
    previous_counted = [r for r in previous if r.status in statuses]
    sources = _sources(INDICATORS)
    population = Population(counted, sources)
    before = Population(previous_counted, sources) if previous_year is not None else None
    scopes = _scope_order(population, before)
    names = dict(regions or {})
    refs = _index(reference)
    covered = coverages(expected, records, statuses, scopes) if expected is not None else None

    scope_reports = []
    for scope in (None, *scopes):
        figures = tuple(_scope_figure(item, population, before, scope, refs, previous_year) for item in INDICATORS)
        slug = NATIONAL if scope is None else scope
        size = len(population) if scope is None else len(population.members(scope))
        coverage = None if covered is None else covered[0] if scope is None else covered[1][scope]
        scope_reports.append(ScopeReport(slug, names.get(slug, slug), size, figures, coverage))
    national, region_reports = scope_reports[0], tuple(scope_reports[1:])

    units = _unit_reports(population, before, previous_year)
    tables = build_tables(population, national, region_reports, refs)
    return Report(
        year=year,
        statuses=tuple(sorted(statuses)),
        previous_year=previous_year,
        generated_from=tuple(sorted(Counter(r.status for r in records).items())),
        caveats=CAVEATS,
        indicators=INDICATORS,
        national=national,
        regions=region_reports,
        units=units,
        tables=tables,
    )


# ------------------------------------------------------------------------------------------------ inputs

def _check(records: Sequence[UnitRecord], year: int, what: str) -> None:
    seen: set[str] = set()
    for record in records:
        if record.year != year:
            raise ValueError(f"{what}: {record.unit} is a {record.year} return, not {year}")
        if record.unit in seen:
            raise ValueError(f"{what}: two {year} returns for {record.unit}")
        seen.add(record.unit)


def _previous_year(previous: Sequence[UnitRecord], year: int) -> int | None:
    years = {r.year for r in previous}
    if not years:
        return None
    if len(years) > 1 or min(years) >= year:
        raise ValueError(f"previous: expected returns of one year before {year}, got {sorted(years)}")
    found = years.pop()
    _check(previous, found, "previous")
    return found


def _sources(items: Sequence[Indicator]) -> list[Source]:
    out: list[Source] = []
    for item in items:
        extra = (Source(item.restrict_to[0]),) if item.restrict_to is not None else ()
        for source in (*sources_of(item), *extra):
            if source not in out:
                out.append(source)
    return out


def _restricted(item: Indicator) -> bool:
    """Whether the indicator counts only some of the scope's units (statuses or another answer)."""
    return item.base.statuses is not None or item.restrict_to is not None


def _keeps(item: Indicator, record: Any, restricting: Any) -> bool:
    """Whether one unit is in the indicator's population (``restricting``: its normalised answer to the
    ``restrict_to`` question, or None when the indicator has none)."""
    if item.base.statuses is not None and record.status not in item.base.statuses:
        return False
    if item.restrict_to is None:
        return True
    wanted = item.restrict_to[1]
    if isinstance(restricting, frozenset):
        return not restricting.isdisjoint(wanted)
    return isinstance(restricting, str) and restricting in wanted


def _scope_order(population: Population, before: Population | None) -> tuple[str, ...]:
    """The five planning regions always, then any other region slug found in the records (sorted)."""
    found = population.regions() | (before.regions() if before is not None else set())
    return REGION_SLUGS + tuple(sorted(found - set(REGION_SLUGS)))


def _index(reference: Sequence[ReferenceFigure]) -> dict[tuple[str, str], list[ReferenceFigure]]:
    index: dict[tuple[str, str], list[ReferenceFigure]] = {}
    # every field in the key: figures are listed in the same order whatever order the caller passed them in
    ordered = sorted(reference, key=lambda f: (
        _DATASET_ORDER.get(f.dataset, 9), f.dataset, f.indicator_key, f.scope, f.source_line or 0,
        f.source_line_end or 0, f.unit, f.value is None, f.value or 0.0, f.base_n or 0, f.exact, f.qualifier or "",
        f.question_key or "", f.counterpart or "", f.note))
    for ref in ordered:
        index.setdefault((ref.indicator_key, ref.scope), []).append(ref)
    return index


# ----------------------------------------------------------------------------------------------- figures

def _answers(item: Indicator, population: Population, scope: str | None) -> list[list[Any]]:
    columns = [population.answers(s, scope) for s in sources_of(item)]
    if not _restricted(item):
        return columns
    members = population.members(scope)
    restricting = (population.answers(Source(item.restrict_to[0]), scope) if item.restrict_to is not None
                   else [None] * len(members))
    keep = [_keeps(item, r, a) for r, a in zip(members, restricting)]
    return [[v for v, k in zip(column, keep) if k] for column in columns]


def _core(item: Indicator, population: Population, scope: str | None) -> Core:
    if not _restricted(item) and item.computation in (Computation.SHARE, Computation.COUNT):
        return share_or_count(item, population.tally(sources_of(item)[0], scope))
    columns = _answers(item, population, scope)
    if item.computation == Computation.CROSSTAB:
        rows_field, cols_field = item.fields
        return compute_crosstab(item, columns[0], columns[1], codes(rows_field), codes(cols_field))
    if _restricted(item):
        return compute(item, columns[0])
    # mean, median, sd, mode, min and max of one question pick the same numbers: pick them once
    key = ("numbers", sources_of(item)[0], scope, item.value_range)
    picked = population.memo.get(key)
    if picked is None:
        picked = population.memo[key] = pick_numbers(columns[0], item.value_range)
    return numeric(item, picked)


def _reference_comparisons(item: Indicator, core: Core, scope: str,
                           refs: Mapping[tuple[str, str], list[ReferenceFigure]]) -> list[Comparison]:
    out = []
    for key in item.reference_keys:
        out.extend(compare_reference(item, core, ref) for ref in refs.get((key, scope), ()))
    for key in item.context_keys:
        out.extend(compare_reference(item, core, ref, context=True) for ref in refs.get((key, scope), ()))
    if item.computation == Computation.CROSSTAB and item.cell_reference and core.n:
        table = core.value
        for i, row in enumerate(table.rows):
            for j, col in enumerate(table.cols):
                key = item.cell_reference.format(row=row, col=col)
                cell = table.counts[i][j]
                percent = stats.share(cell, core.n)
                out.extend(compare_reference(item, core, ref, current_value=cell, current_percent=percent)
                           for ref in refs.get((key, scope), ()))
    return out


def _scope_figure(item: Indicator, population: Population, before: Population | None, scope: str | None,
                  refs: Mapping[tuple[str, str], list[ReferenceFigure]], previous_year: int | None) -> Figure:
    core = _core(item, population, scope)
    comparisons = _reference_comparisons(item, core, NATIONAL if scope is None else scope, refs)
    if before is not None and previous_year is not None:
        comparisons.append(compare_previous(item, core, _core(item, before, scope), previous_year))
    return Figure(item.key, core.value, core.n, core.numerator, core.n_dont_know, core.n_missing,
                  tuple(comparisons))


_NONE = object()  # "no return last year" (distinct from a blank answer last year)


def _unit_reports(population: Population, before: Population | None,
                  previous_year: int | None) -> tuple[UnitReport, ...]:
    """One section per counted unit. A unit figure depends only on (indicator, answer, last year's answer), and
    with thousands of units most of those triples repeat: each distinct one is computed once and its immutable
    ``Figure`` shared."""
    items = [(k, item, population.answers(sources_of(item)[0]),
              before.answers(sources_of(item)[0]) if before is not None else None,
              population.answers(Source(item.restrict_to[0])) if item.restrict_to is not None else None,
              before.answers(Source(item.restrict_to[0])) if item.restrict_to is not None and before is not None
              else None)
             for k, item in enumerate(INDICATORS) if item.computation in UNIT_LEVEL]
    cores: dict[tuple[Any, ...], Core] = {}
    shared: dict[tuple[Any, ...], Figure] = {}

    # Keys hold answers, not their types: for these computations equal answers (5 and Decimal("5")) give equal
    # figures, and every value a key can hold (None, codes, frozensets, finite numbers) is hashable.
    def core(k: int, item: Indicator, value: Any) -> Core:
        key = (k, value)
        found = cores.get(key)
        if found is None:
            found = cores[key] = unit_core(item, value)
        return found

    def make(k: int, item: Indicator, value: Any, old: Any) -> Figure:
        now = core(k, item, value)
        comparisons: tuple[Comparison, ...] = ()
        if old is not _NONE:
            comparisons = (compare_previous(item, now, core(k, item, old), previous_year or 0),)
        return Figure(item.key, now.value, now.n, now.numerator, now.n_dont_know, now.n_missing, comparisons)

    out = []
    for i, record in enumerate(population.records):
        j = before.position.get(record.unit) if before is not None else None
        figures = []
        append = figures.append
        for k, item, column, old_column, restricting, old_restricting in items:  # the hot loop: per unit, indicator
            value = column[i]
            old = old_column[j] if j is not None else _NONE  # type: ignore[index]
            if (item.base.statuses is not None or restricting is not None) and not _keeps(
                    item, record, restricting[i] if restricting is not None else None):
                value, old = None, _NONE  # this indicator does not count the unit's return
            elif old_restricting is not None and j is not None and not _keeps(
                    item, before.records[j], old_restricting[j]):  # type: ignore[union-attr]
                old = _NONE  # last year the unit was outside the indicator's population
            key = (k, value, old)
            figure = shared.get(key)
            if figure is None:
                figure = shared[key] = make(k, item, value, old)
            append(figure)
        out.append(UnitReport(record.unit, record.region, record.status, tuple(figures)))
    return tuple(out)
