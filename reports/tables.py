"""The seed report's own analyses, rebuilt as named tables from the compiled figures and the counted answers.

Keys: ``topicality_by_region``, ``table_16_measure_counts``, ``table_17_interest_by_info_exchange``,
``table_18_info_exchange_by_region``, ``table_19_inquiry_routing``, ``housing_shortage_by_region_vs_2017``,
``state_support_vs_grant_uptake``, ``plans_next_5y_vs_2017``, ``coordinator_cooperation_by_region``,
``scores_by_region``, then the tables naming municipalities (``tables_named``). Cells hold counts (int), exact
figures (Decimal), or tuples of unit slugs (the caller maps slugs to names). Every table says its base and n; tables
set against 2017 carry the reform caveat. A row whose base is empty holds ``None`` ("no data"), never a 0 count or
a 0 %.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any, Mapping, Sequence

from forms import DONT_KNOW

from . import stats
from .caveats import REFORM_2021, REGIONS_2017, SURVEY_2022
from .catalogue import NO_ANSWER
from .catalogue_data import MEASURE_COUNT_FIELDS, MEASURE_COUNT_TITLES, STEMS
from .labels import codes, label
from .model import Column, Comparison, Figure, Row, ScopeReport, Table
from .population import Population
from .reference import NATIONAL, ReferenceFigure
from .tables_compare import reference_rows, scatter_table
from .tables_named import named_tables
from .values import Source

_NATIONAL_LV, _NATIONAL_EN = "Latvija kopā", "Latvia, total"
_NO_ANSWER_LV, _NO_ANSWER_EN = "Nav atbildes", "No answer"


def _is_zero(answer: Any) -> bool:
    return isinstance(answer, (int, Decimal)) and not isinstance(answer, bool) and answer == 0


def _code_label(field: str, code: str, locale: str) -> str:
    if code == NO_ANSWER:
        return _NO_ANSWER_LV if locale == "lv" else _NO_ANSWER_EN
    return label(field, code, locale)


def _scopes(national: ScopeReport, regions: Sequence[ScopeReport]) -> list[tuple[str | None, str, str, str]]:
    """(population scope, row key, LV label, EN label) for each region, then the country."""
    out: list[tuple[str | None, str, str, str]] = [(r.scope, r.scope, r.name, r.name) for r in regions]
    out.append((None, NATIONAL, _NATIONAL_LV, _NATIONAL_EN))
    return out


def distribution_by_region(key: str, field: str, title_lv: str, title_en: str, population: Population,
                           national: ScopeReport, regions: Sequence[ScopeReport]) -> Table:
    """Counts of each answer by region (and the country), "hard to say" included, with row percentages; a region
    where nobody answered has no counts and no percentages, only its number of blanks."""
    answer_codes = codes(field)
    columns = [Column(c, _code_label(field, c, "lv"), _code_label(field, c, "en")) for c in answer_codes]
    columns += [Column("n", "Atbildējušas pašvaldības (n)", "Municipalities answering (n)"),
                Column("n_missing", "Bez atbildes", "No answer")]
    columns += [Column(f"pct.{c}", f"{_code_label(field, c, 'lv')}, %", f"{_code_label(field, c, 'en')}, %")
                for c in answer_codes]
    rows = []
    for scope, row_key, lv, en in _scopes(national, regions):
        answers = population.answers(Source(field), scope)
        counts = Counter(a for a in answers if isinstance(a, str))
        n = sum(counts[c] for c in answer_codes)
        blank = len(answers) - n
        cells: list[Any] = [counts[c] if n else None for c in answer_codes] + [n, blank]
        cells += [stats.share(counts[c], n) for c in answer_codes]
        rows.append(Row(row_key, lv, en, tuple(cells)))
    return Table(key, title_lv, title_en, "Pašvaldības, kas atbildējušas uz jautājumu",
                 "Municipalities that answered the question", rows[-1].cells[len(answer_codes)], tuple(columns),
                 tuple(rows), source=f"question {field}")


def table_16(population: Population, national: ScopeReport) -> Table:
    """Per measure type: units without measures; mean and sd (n − 1) of the count among units with ≥ 1."""
    columns = (
        Column("units_without", "Pašvaldības bez pasākumiem", "Municipalities without measures"),
        Column("mean_among_implementers", "Vidējais pasākumu skaits 5 gados", "Mean number of measures in 5 years"),
        Column("sd_among_implementers", "Standartnovirze", "Standard deviation"),
        Column("n_implementers", "Īstenotāji (n)", "Implementers (n)"),
        Column("n", "Atbildējušas (n)", "Answered (n)"),
        Column("n_dont_know", "Grūti pateikt", "Hard to say"),
        Column("units_without_list", "Pašvaldības bez pasākumiem (saraksts)", "Municipalities without measures"),
    )
    rows = []
    for field in MEASURE_COUNT_FIELDS:
        without = national.figure(f"{field}.municipalities_without")
        mean = national.figure(f"{field}.mean_count_among_implementers")
        sd = national.figure(f"{field}.sd_count_among_implementers")
        names = tuple(r.unit for r, a in zip(population.members(), population.answers(Source(field)))
                      if _is_zero(a))
        lv, en = MEASURE_COUNT_TITLES[field]
        rows.append(Row(field, lv, en, (without.numerator, mean.value, sd.value, mean.n, without.n,
                                        without.n_dont_know, names)))
    n = max((national.figure(f"{f}.municipalities_without").n for f in MEASURE_COUNT_FIELDS), default=0)
    return Table(
        "table_16_measure_counts", "Pašvaldību veikto remigrāciju veicinošo pasākumu biežums pēdējo piecu gadu laikā",
        "Number of remigration-promoting measures in the last five years",
        "Visas atbildējušās pašvaldības; vidējais un standartnovirze — tikai pašvaldībām ar vismaz vienu pasākumu",
        "All municipalities answering; mean and standard deviation only among those with at least one measure",
        n, columns, tuple(rows), source="seed report Table 16 (L3669–3698)",
        notes=("Standard deviation: sample (divisor n − 1), as SPSS reports it.",),
        notes_lv=("Standartnovirze: izlases (dalītājs n − 1), kā to aprēķina SPSS.",))


def table_17(national: ScopeReport) -> Table:
    """The crosstab of Table 17; when nobody answered both questions, its frame with every cell "no data"."""
    figure = national.figure("interest_in_other_municipalities_measures.by_info_exchange")
    rows_field, cols_field = "interest_in_other_municipalities_measures", "info_exchange_with_other_municipalities"
    table: stats.Crosstab | None = figure.value
    empty = table is None
    if table is None:
        table = stats.crosstab([], codes(rows_field), codes(cols_field))

    def cells(values: tuple[int, ...]) -> tuple[int | None, ...]:
        return (None,) * len(values) if empty else values

    columns = tuple(Column(c, _code_label(cols_field, c, "lv"), _code_label(cols_field, c, "en"))
                    for c in table.cols) + (Column("total", "Kopā", "Total"),)
    rows = [Row(r, _code_label(rows_field, r, "lv"), _code_label(rows_field, r, "en"),
                cells(table.counts[i] + (table.row_totals()[i],))) for i, r in enumerate(table.rows)]
    rows.append(Row("total", "Kopā", "Total", cells(table.col_totals()) + (table.n,)))
    return Table(
        "table_17_interest_by_info_exchange",
        "Pašvaldību krostabulācija pēc intereses par citu pašvaldību pasākumiem un informācijas apmaiņas",
        "Municipalities by interest in other municipalities' measures and by information exchange",
        "Pašvaldības, kas atbildējušas uz abiem jautājumiem", "Municipalities that answered both questions",
        table.n, columns, tuple(rows), comparisons=figure.comparisons, caveats=(SURVEY_2022,),
        source="seed report Table 17 (L3766–3786)")


def table_18(national: ScopeReport, regions: Sequence[ScopeReport]) -> Table:
    field = "info_exchange_with_other_municipalities"
    answer_codes = codes(field)
    scopes = list(regions) + [national]
    columns = tuple(Column(s.scope, s.name if s is not national else _NATIONAL_LV,
                           s.name if s is not national else _NATIONAL_EN) for s in scopes)
    rows = []
    comparisons: list[Comparison] = []
    for code in answer_codes:
        figures = [s.figure(f"{field}.{code}") for s in scopes]
        rows.append(Row(code, _code_label(field, code, "lv"), _code_label(field, code, "en"),
                        tuple(f.numerator for f in figures)))
        comparisons += [c for f in figures for c in f.comparisons if c.against != "previous_year"]
    totals = tuple(s.figure(f"{field}.{answer_codes[0]}").n for s in scopes)
    rows.append(Row("total", "Kopā", "Total", totals))
    return Table(
        "table_18_info_exchange_by_region",
        "Informācijas apmaiņas remigrācijas jautājumos norise ar citām pašvaldībām reģionu griezumā",
        "Information exchange on remigration with other municipalities, by region",
        "Pašvaldības, kas atbildējušas uz jautājumu", "Municipalities that answered the question",
        totals[-1], columns, tuple(rows), comparisons=tuple(comparisons), caveats=(SURVEY_2022,),
        source="seed report Table 18 (L3793–3813)")


def table_19(population: Population, national: ScopeReport) -> Table:
    field = "inquiry_routing"
    answers = population.answers(Source(field))
    members = population.members()
    listed = list(codes(field, with_dont_know=False))
    found = {a for a in answers if isinstance(a, str)}
    row_codes = listed + ([DONT_KNOW] if DONT_KNOW in found else []) + sorted(found - set(listed) - {DONT_KNOW})
    answered = sum(1 for a in answers if isinstance(a, str))
    rows = []
    for code in row_codes + [NO_ANSWER]:
        units = tuple(r.unit for r, a in zip(members, answers)
                      if (a == code if code != NO_ANSWER else not isinstance(a, str)))
        percent = stats.share(len(units), answered) if code != NO_ANSWER else None
        count = len(units) if answered or code == NO_ANSWER else None  # nobody answered: no data, not 0
        rows.append(Row(code, _code_label(field, code, "lv"), _code_label(field, code, "en"),
                        (count, percent, units)))
    comparisons = tuple(c for code in listed + ["no_information"]
                        for c in _figure_or_none(national, f"{field}.{code}") if c.against != "previous_year")
    return Table(
        "table_19_inquiry_routing",
        "Persona, pie kuras pašvaldība sūta gūt atbildi un palīdzību, ja potenciālais remigrants vēršas pašvaldībā",
        "Who a potential remigrant who contacts the municipality is referred to",
        "Pašvaldības, kas atbildējušas uz jautājumu (procenti); bez atbildes — atsevišķi",
        "Municipalities that answered (percentages); no answer listed separately",
        answered, (Column("count", "Skaits", "Count"), Column("percent", "%", "%"),
                   Column("units", "Pašvaldības", "Municipalities")),
        tuple(rows), comparisons=comparisons, caveats=(SURVEY_2022,), source="seed report Table 19 (L3846–3902)")


def _figure_or_none(scope: ScopeReport, key: str) -> tuple[Comparison, ...]:
    try:
        return scope.figure(key).comparisons
    except KeyError:
        return ()


def build_tables(population: Population, national: ScopeReport, regions: Sequence[ScopeReport],
                 refs: Mapping[tuple[str, str], list[ReferenceFigure]]) -> tuple[Table, ...]:
    """Every named table, in a fixed order."""
    return (
        distribution_by_region(
            "topicality_by_region", "remigration_promotion_topicality",
            "Remigrācijas veicināšanas aktualitāte reģionu griezumā",
            "Topicality of promoting remigration, by region", population, national, regions),
        table_16(population, national),
        table_17(national),
        table_18(national, regions),
        table_19(population, national),
        reference_rows(
            "housing_shortage_by_region_vs_2017", "housing_shortage_topicality",
            ("very_topical", "rather_topical", "not_topical", "very_or_rather_topical"),
            "Piemērotu mājokļu trūkuma aktualitāte reģionos, salīdzinot ar 2017. gadu",
            "Topicality of the shortage of suitable housing by region, against 2017", national, regions,
            caveats=(REFORM_2021, REGIONS_2017, SURVEY_2022), source="seed report L3608–3636, Att. 31"),
        scatter_table(population, refs),
        reference_rows(
            "plans_next_5y_vs_2017", "plans_measures_next_5y", ("yes", "no", "hard_to_say"),
            "Pasākumi plānoti tuvākajos piecos gados, salīdzinot ar 2017. gadu",
            "Measures planned for the next five years, against 2017", national, (),
            caveats=(REFORM_2021, SURVEY_2022), source="seed report L3714–3720, Att. 33; 2017: L3370–3371"),
        distribution_by_region(
            "coordinator_cooperation_by_region", "regional_coordinator_cooperation",
            "Sadarbība ar reģionālo remigrācijas koordinatoru reģionu griezumā",
            "Cooperation with the regional remigration coordinator, by region", population, national, regions),
        _scores_by_region(national, regions),
        *named_tables(population),
    )


def _scores_by_region(national: ScopeReport, regions: Sequence[ScopeReport]) -> Table:
    keys = ("state_support_sufficiency_score", "eu_state_grant_uptake_score")
    columns = []
    for key in keys:
        lv, en = STEMS[key]
        columns += [Column(f"{key}.mean", f"{lv}: vidējais", f"{en}: mean"),
                    Column(f"{key}.n", f"{lv}: n", f"{en}: n")]
    rows = []
    comparisons: list[Comparison] = []
    for scope in list(regions) + [national]:
        cells: list[Any] = []
        for key in keys:
            figure: Figure = scope.figure(f"{key}.mean")
            cells += [figure.value, figure.n]
            comparisons += [c for c in figure.comparisons if c.against != "previous_year"]
        name_lv = scope.name if scope is not national else _NATIONAL_LV
        name_en = scope.name if scope is not national else _NATIONAL_EN
        rows.append(Row(scope.scope, name_lv, name_en, tuple(cells)))
    return Table("scores_by_region", "Vidējie vērtējumi (0–10) pēc plānošanas reģioniem",
                 "Mean scores (0–10) by planning region", "Pašvaldības ar skaitlisku vērtējumu",
                 "Municipalities giving a number", national.figure(f"{keys[0]}.mean").n, tuple(columns),
                 tuple(rows), comparisons=tuple(comparisons), caveats=(SURVEY_2022,),
                 source="seed report L3486–3500, Att. 29")


__all__ = ["build_tables", "distribution_by_region"]
