"""The yearly return definitions, one per reporting year.

A year's definition never changes once returns exist for it; a change means a new ``version`` string, and the
re-validation job (scheduler) checks drafts against it.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from ..rules import group_sum_growth, not_more_than, one_of_required, ordered_counts, required_when, row_needs
from ..schema import ReturnDefinition, Section, Text
from .sections_2022 import budget_2022, plans_2022
from .sections_2027 import REPLACED
from .sections_context import attitudes, budget, budget_lines, measures, planning, respondent
from .sections_people import contact_persons, contacts, cooperation, plans, public_info, returnees
from .sections_support import business_section, diaspora, education, housing, jobs


def _rules(business: Section, plans_section: Section = plans) -> tuple:
    grants = business.fields[1]
    plan_field = plans_section.fields[0]
    reasons = plans_section.fields[2]
    h = {f.key: f for f in housing.fields}
    r = {f.key: f for f in returnees.fields}
    return (
        ordered_counts(grants, ("applications_received", "applications_evaluated", "applications_supported")),
        one_of_required(contact_persons, ("email", "phone")),
        row_needs(budget_lines, "source", ("planned_eur", "spent_eur"),
                  Text("summām jānorāda, no kura avota nauda nāk", "amounts must say where the money comes from")),
        required_when(reasons, plan_field, frozenset({"no"}),
                      Text("ja pasākumi netiek plānoti, atzīmējiet vismaz vienu iemeslu.",
                           "if no measures are planned, tick at least one reason.")),
        not_more_than(h["vacant_dwellings_habitable"], h["municipal_dwellings_total"]),
        not_more_than(h["vacant_dwellings_need_repair"], h["municipal_dwellings_total"]),
        not_more_than(r["returnees_families"], r["returnees_persons"]),
        not_more_than(r["returnees_children"], r["returnees_persons"]),
        group_sum_growth(budget_lines, "spent_eur", 10),
        group_sum_growth(grants, "total_fund_eur", 10),
    )


def _build(year: int, version: str, *, follow_up: bool, public_profile: bool = False) -> ReturnDefinition:
    """``public_profile`` (from 2027): the questions the public profiles need (see ``sections_2027``)."""
    business = business_section(follow_up)
    sections = (respondent, attitudes, planning, measures, budget, business, jobs, housing, diaspora,
                education, returnees, contacts, cooperation, public_info, plans)
    if public_profile:
        sections = tuple(REPLACED.get(s.key, s) for s in sections)
    return ReturnDefinition(
        year=year,
        version=version,
        title=Text(f"Pašvaldības gada pārskats par remigrācijas atbalstu, {year}",
                   f"Municipal yearly return on remigration support, {year}"),
        sections=sections,
        rules=_rules(business),
        per_year=PER_YEAR,
    )


# flows of the reporting year: not copied by "start from last year"
PER_YEAR = frozenset({
    "budget_lines", "ngo_grants_total_eur",
    "grant_programmes.total_fund_eur", "grant_programmes.applications_received",
    "grant_programmes.applications_evaluated", "grant_programmes.applications_supported",
    "grant_programmes.jobs_created", "grant_programmes.firms_operating_after_1y",
    "specialists_attracted", "specialist_support_eur", "job_fairs_count", "jobs_without_latvian",
    "flats_renovated", "renovation_spend_eur", "housing_requests_from_remigrants",
    "diaspora_activities", "remigrant_children_served", "kindergarten_queue",
    "returnees_persons", "returnees_families", "returnees_children", "remigrant_enquiries",
    "remigration_benefits_count", "remigration_benefits_eur",
    "staff_trained_count", "specialist_meetings_attended", "contacts_confirmed_on",
    "remigrant_survey_held",
})

_BUILDERS = {
    2025: lambda: _build(2025, "2025.1", follow_up=False),
    2026: lambda: _build(2026, "2026.1", follow_up=True),
    # a new year, not "2026.2": see the docstring of sections_2027
    2027: lambda: _build(2027, "2027.1", follow_up=True, public_profile=True),
}


#: Years before the service existed. Nobody fills in a return for them: an administrator may load their answers
#: (e.g. the 2022 survey) with the bulk import, in the layout of the first yearly form (2025).
HISTORY_YEARS = (2022, 2023, 2024)


def _history(year: int) -> ReturnDefinition:
    base = _build(year, f"{year}.h1", follow_up=False)
    base = replace(base, title=Text(f"{base.title.lv} (vēsturiskie dati)", f"{base.title.en} (historical data)"),
                   gates_may_be_unasked=True)
    return _with_survey_2022(base) if year == SURVEY_YEAR else base


#: The year of the municipal survey whose every reported question the history definition carries.
SURVEY_YEAR = 2022


def _with_survey_2022(base: ReturnDefinition) -> ReturnDefinition:
    """The 2022 definition: the yearly layout plus the survey's budget questions after the budget section, and
    the plans section whose conditions keep what the study names (see ``sections_2022``). A new version string:
    the 2022 form is no longer the plain 2025 layout."""
    sections: list[Section] = []
    for section in base.sections:
        sections.append(plans_2022 if section is plans else section)
        if section is budget:
            sections.append(budget_2022)
    business = next(s for s in base.sections if s.key == "business_grants")
    return replace(base, version=f"{base.year}.h2", sections=tuple(sections), rules=_rules(business, plans_2022))


def available_years() -> list[int]:
    """The reporting years collected through the service (each gets a reporting period)."""
    return sorted(_BUILDERS)


def history_years() -> list[int]:
    """Past years whose answers can only be imported."""
    return list(HISTORY_YEARS)


def definition_years() -> list[int]:
    """Every year with a definition: past years for imports and the reporting years."""
    return sorted({*HISTORY_YEARS, *_BUILDERS})


@cache
def get_definition(year: int) -> ReturnDefinition:
    """The definition of a year; ``KeyError`` if the year has none."""
    if year in HISTORY_YEARS:
        return _history(year)
    return _BUILDERS[year]()
