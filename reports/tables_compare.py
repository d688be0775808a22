"""Tables that set figures against the references: rows with 2017 and 2022 beside this year, and the scatter of
the two 0–10 scores with its coefficient of determination."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping, Sequence

from . import stats
from .caveats import SURVEY_2022
from .catalogue import indicator
from .model import NOT_EXACT, WORDS_ONLY, Caveat, Column, Comparison, Row, ScopeReport, Table
from .population import Population
from .reference import NATIONAL, ReferenceFigure
from .values import Source

X_FIELD = "state_support_sufficiency_score"
Y_FIELD = "eu_state_grant_uptake_score"
R_SQUARED_KEY = "grant_uptake_vs_state_support.r_squared"

_COLUMNS = (
    Column("count", "Skaits", "Count"),
    Column("n", "Bāze (n)", "Base (n)"),
    Column("percent", "%", "%"),
    Column("biss_2017_percent", "2017, %", "2017, %"),
    Column("biss_2017_base_n", "2017, n", "2017, n"),
    Column("change_vs_2017_pp", "Izmaiņas pret 2017, pp", "Change against 2017, pp"),
    Column("survey_2022_percent", "2022, %", "2022, %"),
    Column("survey_2022_base_n", "2022, n", "2022, n"),
    Column("change_vs_2022_pp", "Izmaiņas pret 2022, pp", "Change against 2022, pp"),
)


def _pick(comparisons: Sequence[Comparison], dataset: str) -> Comparison | None:
    """The comparison a table cell shows: the first with a percentage (an exact one if any), else the first."""
    mine = [c for c in comparisons if c.against == dataset]
    for wanted in (lambda c: c.change is not None, lambda c: c.reference_percent is not None, lambda c: True):
        for c in mine:
            if wanted(c):
                return c
    return None


def reference_rows(key: str, field: str, names: Sequence[str], title_lv: str, title_en: str,
                   national: ScopeReport, regions: Sequence[ScopeReport], *, caveats: tuple[Caveat, ...],
                   source: str) -> Table:
    """One row per (scope, share): this year's count, base and %, then 2017 and 2022 with the change in pp.

    A reference given only in words or as a bound shows its percentage (if any) with an empty change; the full
    comparisons, notes included, are in ``Table.comparisons``.
    """
    rows = []
    comparisons: list[Comparison] = []
    for scope in list(regions) + [national]:
        for name in names:
            item = indicator(f"{field}.{name}")
            figure = scope.figure(item.key)
            cells: list[Any] = [figure.numerator, figure.n, figure.value]
            for dataset in ("biss_2017", "survey_2022"):
                chosen = _pick(figure.comparisons, dataset)
                cells += [None, None, None] if chosen is None else [
                    chosen.reference_percent, chosen.reference_base_n, chosen.change]
            comparisons += [c for c in figure.comparisons if c.against != "previous_year"]
            where_lv = "Latvija" if scope is national else scope.name
            where_en = "Latvia" if scope is national else scope.name
            answer_lv, answer_en = item.title_lv.split(": ", 1)[-1], item.title_en.split(": ", 1)[-1]
            rows.append(Row(f"{scope.scope}.{name}", f"{where_lv}: {answer_lv}", f"{where_en}: {answer_en}",
                            tuple(cells)))
    return Table(key, title_lv, title_en, "Pašvaldības, kas atbildējušas uz jautājumu (2017: bāze nav norādīta)",
                 "Municipalities that answered the question (2017: base not stated)", national.n_units,
                 _COLUMNS, tuple(rows), comparisons=tuple(comparisons), caveats=caveats, source=source)


def _r_squared_comparison(ref: ReferenceFigure, value: Decimal | None, n: int) -> Comparison:
    change = None
    note = ref.note
    reasons: tuple[str, ...] = ()
    if ref.value is None or not ref.exact:
        note = f"Not exact or words only: not subtracted. {note}".strip()
        reasons = (WORDS_ONLY if ref.value is None else NOT_EXACT,)
    elif value is not None:
        change = value - (stats.to_decimal(ref.value) or Decimal(0))
    return Comparison(
        against=ref.dataset, reference_key=ref.indicator_key, reference_year=2022 if ref.dataset == "survey_2022"
        else 2017, reference_value=stats.to_decimal(ref.value), reference_unit=ref.unit, reference_percent=None,
        reference_base_n=ref.base_n, reference_exact=ref.exact, reference_source_line=ref.source_line,
        current_value=value, current_n=n, change=change, change_unit=ref.unit if change is not None else None,
        caveats=(SURVEY_2022,), note=note, reasons=reasons, reference_note_lv=ref.note_lv,
        reference_note_en=ref.note, reference_source_line_end=ref.source_line_end)


def scatter_table(population: Population, refs: Mapping[tuple[str, str], list[ReferenceFigure]]) -> Table:
    """Each unit with both scores (x: state-support sufficiency, y: EU/state grant uptake), Pearson r, R² of the
    simple linear regression, the fitted line and n (pairs with a number on both sides)."""
    xs = population.answers(Source(X_FIELD))
    ys = population.answers(Source(Y_FIELD))
    points = [(r, x, y) for r, x, y in zip(population.members(), xs, ys)
              if stats.to_decimal(x) is not None and stats.to_decimal(y) is not None]
    r2 = stats.r_squared(xs, ys)
    fit = stats.linear_fit(xs, ys)
    n = len(points)
    summary = (
        ("intercept", fit[1] if fit else None),
        ("n", n),
        ("n_incomplete", len(population) - n),
        ("r", stats.pearson_r(xs, ys)),
        ("r_squared", r2),
        ("slope", fit[0] if fit else None),
    )
    rows = tuple(Row(r.unit, r.unit, r.unit, (r.region, x, y)) for r, x, y in points)
    comparisons = tuple(_r_squared_comparison(ref, r2, n) for ref in refs.get((R_SQUARED_KEY, NATIONAL), ()))
    return Table(
        "state_support_vs_grant_uptake", "Valsts atbalsta pietiekamība un grantu izmantošana: sakarība",
        "Sufficiency of state support against use of EU and state grants",
        "Pašvaldības ar skaitlisku abu vērtējumu", "Municipalities giving a number for both scores", n,
        (Column("region", "Reģions", "Region"), Column("x", "Valsts atbalsta pietiekamība", "State support"),
         Column("y", "Grantu izmantošana", "Grant uptake")), rows, summary=summary, comparisons=comparisons,
        caveats=(SURVEY_2022,), source="seed report Att. 30, L3503–3515",
        notes=("R² is the coefficient of determination of the least-squares line y = intercept + slope·x (= r²).",),
        notes_lv=("R² ir mazāko kvadrātu taisnes y = brīvais loceklis + slīpums·x determinācijas koeficients (= r²).",))
