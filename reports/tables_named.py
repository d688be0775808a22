"""Tables that name the municipalities behind an answer, where the seed report names them.

The study lists municipalities by name for plans in the next five years and the reasons for planning none
(L3714–3764) and describes the budget change since 2017 (L3638–3646). These tables give, per answer code, how
many units gave it and which (slugs, sorted: the caller maps slugs to names), and for the open answer on planned
measures, each unit's own words. Pure and deterministic: they read only the counted population.
"""

from __future__ import annotations

from typing import Any, Sequence

from . import stats
from .indicators import NO_ANSWER
from .labels import codes, label
from .model import Column, Row, Table
from .population import Population
from .values import Source

_NO_ANSWER = ("Nav atbildes", "No answer")
_UNITS_COLUMNS = (Column("count", "Skaits", "Count"), Column("percent", "%", "%"),
                  Column("units", "Pašvaldības", "Municipalities"))


def _gave(answer: Any, code: str) -> bool:
    """Whether a normalised answer is ``code`` (a multi-choice answer: ticks it)."""
    if code == NO_ANSWER:
        return answer is None
    if isinstance(answer, frozenset):
        return code in answer
    return answer == code


def units_by_answer(key: str, field: str, title_lv: str, title_en: str, population: Population, *,
                    answer_codes: Sequence[str] | None = None, asked_when: tuple[str, frozenset[str]] | None = None,
                    source: str = "") -> Table:
    """Per answer code (the field's codes, "hard to say" last, then "no answer"): count, % of the units that
    answered, and the units. A multi-choice unit appears under every code it ticked, so counts may add up to
    more than n. ``asked_when`` (question, codes): the question applies only to units whose answer there is one
    of ``codes`` (or missing: not asked then); the others are not in the table, not even as "no answer". With no
    answers at all the counts are ``None`` (no data), never 0."""
    population.add(Source(field))  # a question no indicator reads is read here (once per population)
    pairs = list(zip(population.members(), population.answers(Source(field))))
    if asked_when is not None:
        population.add(Source(asked_when[0]))
        gate = population.answers(Source(asked_when[0]))
        pairs = [(r, a) for (r, a), g in zip(pairs, gate) if g is None or _gave_any(g, asked_when[1])]
    answered = sum(1 for _, a in pairs if a is not None)
    rows = []
    for code in (*(answer_codes or codes(field)), NO_ANSWER):
        units = tuple(r.unit for r, a in pairs if _gave(a, code))
        lv, en = _NO_ANSWER if code == NO_ANSWER else (label(field, code, "lv"), label(field, code, "en"))
        count = len(units) if answered or code == NO_ANSWER else None
        rows.append(Row(code, lv, en, (count, None if code == NO_ANSWER else stats.share(len(units), answered),
                                       units)))
    return Table(key, title_lv, title_en, "Pašvaldības, kas atbildējušas uz jautājumu (procenti); bez atbildes — "
                 "atsevišķi", "Municipalities that answered (percentages); no answer listed separately", answered,
                 _UNITS_COLUMNS, tuple(rows), source=source or f"question {field}")


def _gave_any(answer: Any, wanted: frozenset[str]) -> bool:
    return any(_gave(answer, code) for code in wanted)


def answers_by_unit(key: str, field: str, title_lv: str, title_en: str, population: Population, *,
                    beside: Column, source: str = "") -> Table:
    """One row per unit that answered the open question ``field`` (sorted by slug): the unit, its answer to
    ``beside`` (a code; the column names that question) and its own words."""
    members = population.members()
    for question in (field, beside.key):
        population.add(Source(question))  # open answers are read by no indicator
    words = population.answers(Source(field))
    context = population.answers(Source(beside.key))
    rows = tuple(Row(r.unit, r.unit, r.unit, ((r.unit,), c, w))
                 for r, c, w in zip(members, context, words) if isinstance(w, str))
    columns = (Column("unit", "Pašvaldība", "Municipality"), beside, Column(field, "Atbilde", "Answer"))
    return Table(key, title_lv, title_en, "Pašvaldības, kas atbildējušas", "Municipalities that answered",
                 len(rows), columns, rows, source=source or f"question {field}")


def named_tables(population: Population) -> tuple[Table, ...]:
    """The tables that name municipalities, in a fixed order."""
    return (
        units_by_answer(
            "plans_next_5y_units", "plans_measures_next_5y",
            "Pašvaldības pēc tā, vai tuvākajos piecos gados plānoti remigrācijas pasākumi",
            "Municipalities by whether remigration measures are planned for the next five years", population,
            source="seed report L3714–3720, Att. 33"),
        answers_by_unit(
            "planned_measures_next_5y_by_unit", "planned_measures_next_5y",
            "Nākamajos piecos gados plānotie pasākumi pa pašvaldībām",
            "Measures planned for the next five years, by municipality", population,
            beside=Column("plans_measures_next_5y", "Plāni (atbildes kods)", "Plans (answer code)"),
            source="seed report L3720–3754"),
        units_by_answer(
            "reasons_no_planned_measures_units", "reasons_no_planned_measures",
            "Iemesli, kāpēc pasākumi netiek plānoti, un pašvaldības, kas tos minējušas",
            "Reasons for planning no measures, and the municipalities that gave them", population,
            asked_when=("plans_measures_next_5y", frozenset({"no", "hard_to_say"})), source="seed report L3756–3764"),
        units_by_answer(
            "budget_change_since_2017_units", "remigration_budget_change_since_2017",
            "Remigrācijas budžeta izmaiņas 2017–2022 un pašvaldības",
            "Change of the remigration budget 2017–2022, and the municipalities", population,
            source="seed report L3638–3646"),
    )


__all__ = ["answers_by_unit", "named_tables", "units_by_answer"]
