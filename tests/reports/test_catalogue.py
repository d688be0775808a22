"""The indicator catalogue: stable keys, real fields and codes, every published figure linked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from forms import DONT_KNOW, get_definition
from reports.catalogue import INDICATORS, NO_ANSWER, Computation, indicator

ROOT = Path(__file__).resolve().parents[2]
DATA = json.loads((ROOT / "monitor" / "data" / "survey-baseline.json").read_text(encoding="utf-8"))
KEY = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")

#: what the brief asks the catalogue to cover, at least
REQUIRED = [
    "remigration_promotion_topicality.very_topical", "remigration_promotion_topicality.rather_topical",
    "remigration_promotion_topicality.very_or_rather_topical", "remigration_promotion_topicality.not_topical",
    "support_programmes_needed.very_or_rather_necessary", "remigration_policy_competence.shared_state_municipal",
    "municipal_role_in_remigration.very_large", "planning_docs_include_remigration_measures.yes",
    "diaspora_involved_in_policy_drafting.yes", "varam_remigration_funding_used.yes",
    "state_support_sufficiency_score.mean", "state_support_sufficiency_score.median",
    "state_support_sufficiency_score.sd", "state_support_sufficiency_score.mode",
    "state_support_sufficiency_score.share_5_or_6", "eu_state_grant_uptake_score.mean",
    "housing_shortage_topicality.very_topical", "plans_measures_next_5y.yes",
    "interest_in_other_municipalities_measures.yes", "info_exchange_with_other_municipalities.yes",
    "regional_coordinator_cooperation.good_or_very_good", "inquiry_routing.specialist_with_remigration_duties",
    "interest_in_other_municipalities_measures.by_info_exchange",
    *[f"measures_5y_count_{t}.{s}" for t in ("business_grants", "job_creation", "housing", "diaspora_ties", "other")
      for s in ("municipalities_without", "mean_count_among_implementers", "sd_count_among_implementers")],
    "budget_lines.spent_eur.total", "budget_lines.spent_eur.varam", "budget_lines.spent_eur.own_budget",
    "returnees_persons.sum",
]

#: published figures no indicator reproduces, and why
NOT_COMPUTED = {
    "grant_uptake_vs_state_support.r_squared": "the scatter table state_support_vs_grant_uptake compares it",
}

#: questions only the 2022 history definition asks (forms/definitions/sections_2022.py)
ONLY_2022 = frozenset({"remigration_budget_change_since_2017", "remigration_budget_eur_2022"})


def test_keys_are_unique_stable_snake_case():
    keys = [i.key for i in INDICATORS]
    assert len(keys) == len(set(keys))
    assert all(KEY.match(k) for k in keys), [k for k in keys if not KEY.match(k)]


@pytest.mark.parametrize("key", REQUIRED)
def test_required_indicators_exist(key):
    assert indicator(key).key == key


def test_unknown_key_raises():
    with pytest.raises(KeyError):
        indicator("no_such.indicator")


@pytest.mark.parametrize("year", [2022, 2025, 2026])
def test_fields_and_codes_exist_in_the_return(year):
    definition = get_definition(year)
    for item in INDICATORS:
        if year != 2022 and ONLY_2022 & {*item.fields, *(item.restrict_to or ())[:1]}:
            continue  # a 2022-only figure: "no data" in other years
        if item.restrict_to is not None:
            restricting = definition.field(item.restrict_to[0])
            assert item.restrict_to[1] <= restricting.choice_codes(), item.key
        for key in item.fields:
            assert definition.has_field(key), (item.key, key)
        field = definition.field(item.fields[0])
        if item.column is not None:
            assert field.is_group and field.child(item.column)
        if item.row_filter is not None:
            assert item.row_filter[1] <= field.child(item.row_filter[0]).choice_codes()
        if item.codes:
            allowed = field.choice_codes() | {DONT_KNOW, NO_ANSWER}
            assert item.codes <= allowed, (item.key, item.codes - allowed)


def test_computations_have_what_they_need():
    for item in INDICATORS:
        if item.computation == Computation.SHARE:
            assert item.codes or item.value_range, item.key
        if item.computation == Computation.CROSSTAB:
            assert len(item.fields) == 2
        assert item.title_lv and item.title_en


def test_bases_follow_the_seed_report():
    assert not indicator("remigration_promotion_topicality.very_topical").base.exclude_dont_know  # 6 of 42
    assert indicator("planning_docs_include_remigration_measures.yes").base.exclude_dont_know  # 15 of 32
    assert not indicator("varam_remigration_funding_used.yes").base.exclude_dont_know  # 16 of 41 = 39 %
    # a tick list with nothing ticked is missing, not "none of these": the study states no base for Att. 32
    assert indicator("measures_5y_types.training_support").base.denominator == "answered"
    # Table 19's "no information" counts the blanks among all municipalities asked
    assert indicator("inquiry_routing.no_information").base.denominator == "counted"
    assert indicator("measures_5y_count_job_creation.mean_count_among_implementers").value_range[0] == 1
    assert all(i.base.statuses is None for i in INDICATORS)  # the report's statuses: approved by default
    largest = indicator("remigration_budget_eur_2022.increased_municipalities")
    assert (largest.computation, largest.restrict_to) == (
        Computation.MAX, ("remigration_budget_change_since_2017", frozenset({"increased"})))


def test_every_published_figure_is_linked_or_explained():
    linked: set[str] = set()
    for item in INDICATORS:
        linked |= set(item.reference_keys) | set(item.context_keys)
        if item.cell_reference:
            linked |= {item.cell_reference.format(row=r, col=c) for r in ("yes", "some", "little", "none",
                                                                          DONT_KNOW) for c in ("yes", "no", DONT_KNOW)}
    published = {e["indicator_key"] for name in ("baseline_2017", "survey_2022") for e in DATA[name]}
    assert published - linked == set(NOT_COMPUTED)


def test_reference_keys_point_at_the_same_question():
    questions = {e["indicator_key"]: e["question_key"] for n in ("baseline_2017", "survey_2022") for e in DATA[n]}
    for item in INDICATORS:
        for key in item.reference_keys:
            if key in questions:
                assert questions[key] == item.fields[0], (item.key, key)


def test_blanks_enter_a_base_only_where_declared():
    """"counted" (blanks inside the base) is declared, never implied: only where the published figure's base is
    every municipality asked, i.e. the count of blanks of Table 19."""
    counted = {i.key for i in INDICATORS if i.base.denominator == "counted"}
    assert counted == {"inquiry_routing.no_information"}
    assert {i.base.denominator for i in INDICATORS} == {"answered", "counted"}


def test_a_base_rule_that_contradicts_itself_is_refused():
    import pytest

    from reports.catalogue import BaseRule, Indicator
    from reports.indicators import NO_ANSWER

    with pytest.raises(ValueError):
        BaseRule(denominator="everyone")
    with pytest.raises(ValueError):
        BaseRule(denominator="counted", exclude_dont_know=True)
    with pytest.raises(ValueError):  # counting blanks over a base without them would always give 0
        Indicator("x.none", "x", "x", ("x",), Computation.COUNT, codes=frozenset({NO_ANSWER}))
    with pytest.raises(ValueError):
        Indicator("x.mean", "x", "x", ("x",), Computation.MEAN, base=BaseRule(denominator="counted"))
