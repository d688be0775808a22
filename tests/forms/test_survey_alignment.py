"""The questions asked again from the 2022 survey keep its keys and codes (comparability with 2017/2022)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from forms import DONT_KNOW, FieldType, get_definition
from forms.definitions.survey_questions import SURVEY_QUESTIONS

from .helpers import all_fields

REFERENCE = Path(__file__).parents[3] / "shared" / "reference" / "survey-baseline.json"
YEARS = (2022, 2025, 2026)

#: survey questions the 2022 history definition leaves out on purpose, with the reason
NOT_IN_2022 = {
    "referral_contacts": "an interviewer's request for other people's names and contacts: personal data about "
                         "third parties, and the study reports nothing from it (L351–353)",
}

#: extra codes a definition may add to a survey's multiple-choice list
ALLOWED_EXTRAS = {DONT_KNOW, "other"}

#: which field types can carry a question of each survey type
COMPATIBLE = {
    "single_choice": {FieldType.SINGLE_CHOICE, FieldType.YES_NO_DK},
    "single_choice_with_other": {FieldType.SINGLE_CHOICE},
    "yes_no": {FieldType.YES_NO_DK},
    "multi_choice": {FieldType.MULTI_CHOICE},
    "integer_scale": {FieldType.SCALE},
    "integer": {FieldType.INTEGER},
    "currency_eur": {FieldType.MONEY},
    "open_text": {FieldType.TEXT, FieldType.LONG_TEXT, FieldType.MULTI_CHOICE},  # coded open answers
    "open_list": {FieldType.GROUP, FieldType.LONG_TEXT},
}


@pytest.fixture(scope="module")
def questions() -> dict[str, dict[str, Any]]:
    if not REFERENCE.is_file():
        pytest.skip(f"survey reference not found at {REFERENCE} (shared/ is laid beside the repository)")
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    return {q["key"]: q for q in data["questions"]}


def survey_codes(question: dict[str, Any]) -> list[str]:
    values = question.get("values")
    if not isinstance(values, list):  # scales, integers and lists describe themselves with a mapping
        return []
    return [v["code"] for v in values if isinstance(v, dict)]


def survey_fields(year: int):
    return [(g, f) for g, f in all_fields(get_definition(year)) if f.survey_key]


def test_reference_is_readable(questions):
    assert len(questions) >= 30
    assert "plans_measures_next_5y" in questions


def test_copy_has_the_same_keys_in_the_same_order(questions):
    assert list(SURVEY_QUESTIONS) == list(questions)


def test_copy_has_the_same_codes(questions):
    for key, q in questions.items():
        _, choices = SURVEY_QUESTIONS[key]
        assert [c.code for c in choices] == survey_codes(q), key


def test_copy_has_the_same_wording(questions):
    for key, q in questions.items():
        text, choices = SURVEY_QUESTIONS[key]
        assert (text.lv, text.en) == (q["lv"], q["en"]), key
        for choice, value in zip(choices, [v for v in q["values"] if isinstance(v, dict)]):
            # the copy capitalises the first letter of the answer labels, nothing else
            assert choice.lv == value["lv"][:1].upper() + value["lv"][1:], (key, choice.code)
            assert choice.en == value["en"][:1].upper() + value["en"][1:], (key, choice.code)


@pytest.mark.parametrize("year", YEARS)
def test_survey_keys_exist_and_match_the_field_key(questions, year):
    fields = survey_fields(year)
    assert len(fields) >= 30
    for group, f in fields:
        assert f.survey_key in questions, f.key
        if not f.is_group:  # a question keeps the survey's key; a repeating group names the survey's list
            assert f.key == f.survey_key, f.key
    used = [f.survey_key for _, f in fields]
    assert len(used) == len(set(used))  # no survey question asked twice


def test_2022_asks_every_survey_question_the_study_reports_on(questions):
    asked = {f.survey_key for _, f in survey_fields(2022)}
    for key, q in questions.items():
        if key in NOT_IN_2022:
            assert not q["reported_2022"] and key not in asked, key
        else:
            assert key in asked, key
    assert {"remigration_budget_change_since_2017", "remigration_budget_eur_2022"} <= asked


def test_budget_questions_are_2022_only():
    for year in (2023, 2024, 2025, 2026):
        d = get_definition(year)
        assert not d.has_field("remigration_budget_change_since_2017") and not d.has_field(
            "remigration_budget_eur_2022"), year


@pytest.mark.parametrize("year", YEARS)
def test_field_types_fit_the_survey(questions, year):
    for _, f in survey_fields(year):
        q = questions[f.survey_key]
        assert f.type in COMPATIBLE[q["type"]], (f.key, q["type"], f.type)


@pytest.mark.parametrize("year", YEARS)
def test_single_choice_codes_are_the_survey_codes(questions, year):
    checked = 0
    for _, f in survey_fields(year):
        if f.type not in (FieldType.SINGLE_CHOICE, FieldType.YES_NO_DK):
            continue
        expected = survey_codes(questions[f.survey_key])
        if not expected:  # the survey's scale is unknown: the definition chose yes / no / hard to say
            assert f.type == FieldType.YES_NO_DK, f.key
            continue
        assert [c.code for c in f.choices] == expected, f.key
        checked += 1
    assert checked == (19 if year == 2022 else 18)  # 2022 also asks the budget change since 2017


@pytest.mark.parametrize("year", YEARS)
def test_multi_choice_codes_extend_the_survey_codes(questions, year):
    checked = 0
    for _, f in survey_fields(year):
        if f.type != FieldType.MULTI_CHOICE:
            continue
        expected = survey_codes(questions[f.survey_key])
        codes = [c.code for c in f.choices]
        assert codes[: len(expected)] == expected, f.key  # every survey code, in the survey's order
        extras = codes[len(expected):]
        assert set(extras) <= ALLOWED_EXTRAS, (f.key, extras)
        assert not (set(extras) & set(expected)), f.key
        checked += 1
    assert checked == 3


def test_multi_choice_extras_hand_checked():
    d = get_definition(2026)
    extras = {k: [c.code for c in d.field(k).choices][-1] for k in
              ("measures_5y_types", "reasons_no_remigration_measures", "reasons_no_planned_measures")}
    assert extras == {"measures_5y_types": DONT_KNOW, "reasons_no_remigration_measures": DONT_KNOW,
                      "reasons_no_planned_measures": "other"}


@pytest.mark.parametrize("year", YEARS)
def test_scales_and_counts_keep_the_survey_bounds(questions, year):
    for _, f in survey_fields(year):
        values = questions[f.survey_key].get("values")
        if not isinstance(values, dict):
            continue
        if "min" in values:
            assert f.min == values["min"], f.key
        if "max" in values:
            assert f.max == values["max"], f.key


@pytest.mark.parametrize("year", YEARS)
def test_single_choice_with_other_has_its_follow_up(questions, year):
    d = get_definition(year)
    for _, f in survey_fields(year):
        if questions[f.survey_key]["type"] != "single_choice_with_other":
            continue
        other = d.field(f"{f.key}_other")
        assert other.type == FieldType.TEXT
        assert other.show_if is not None and other.show_if.key == f.key
        assert other.show_if.codes == {f.choices[-1].code}  # the survey's "other" answer is its last
