"""The yearly definitions: they build, their keys are sound, the years differ only where they should."""

from __future__ import annotations

import re

import pytest

from forms import (
    DONT_KNOW, Choice, Condition, Field, FieldType, ReturnDefinition, Section, Text, available_years, definition_years,
    get_definition, history_years, validate,
)
from forms.schema import CHOICE_TYPES, path_root, row_path
from tests.factories import complete_answers

from .helpers import all_fields

YEARS = (2025, 2026)
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


def test_available_years():
    assert available_years() == [2025, 2026, 2027]
    assert history_years() == [2022, 2023, 2024]
    assert definition_years() == [2022, 2023, 2024, 2025, 2026, 2027]
    with pytest.raises(KeyError):
        get_definition(2021)


def test_history_years_use_the_first_form():
    first = get_definition(2025)
    for year in history_years():
        d = get_definition(year)
        assert d.year == year and "vēsturiskie dati" in d.title.lv
        if year == 2022:  # the first form plus the 2022 survey's own questions (forms/definitions/sections_2022)
            assert d.version == "2022.h2"
            extra = ["remigration_budget_change_since_2017", "remigration_budget_eur_2022"]
            assert sorted(f.key for f in d.iter_fields()) == sorted([f.key for f in first.iter_fields()] + extra)
        else:
            assert d.version == f"{year}.h1"
            assert [f.key for f in d.iter_fields()] == [f.key for f in first.iter_fields()]


def test_2022_keeps_the_named_plans_and_reasons_of_a_hard_to_say_answer():
    """The study names planned measures and reasons for municipalities that were unsure (L3718–3764)."""
    from forms import validate

    answers = {"plans_measures_next_5y": "hard_to_say", "planned_measures_next_5y": "konsultācijas",
               "reasons_no_planned_measures": ["no_remigrant_demand"]}
    kept = validate(get_definition(2022), answers).values
    assert kept["planned_measures_next_5y"] == "konsultācijas"
    assert kept["reasons_no_planned_measures"] == ["no_remigrant_demand"]
    assert validate(get_definition(2025), answers).values["planned_measures_next_5y"] is None


@pytest.mark.parametrize("year", YEARS)
def test_definition_builds(year):
    d = get_definition(year)
    assert isinstance(d, ReturnDefinition)
    assert d.year == year and d.version == f"{year}.1"
    assert str(year) in d.title.lv and str(year) in d.title.en
    assert get_definition(year) is d  # built once
    assert [s.key for s in d.sections] == [
        "respondent", "attitudes", "planning", "measures", "budget", "business_grants", "jobs", "housing",
        "diaspora", "education", "returnees", "contacts", "cooperation", "public_info", "plans"]
    assert len(d.rules) == 10


@pytest.mark.parametrize("year", YEARS)
def test_keys_unique_and_snake_case(year):
    d = get_definition(year)
    top = [f.key for f in d.iter_fields()]
    assert len(top) == len(set(top))
    assert all(SNAKE.match(k) for k in top)
    assert all(SNAKE.match(s.key) for s in d.sections)
    for f in d.iter_fields():
        children = [c.key for c in f.fields]
        assert len(children) == len(set(children)), f.key
        assert all(SNAKE.match(k) and k != "_uid" for k in children)
        assert all(not c.is_group for c in f.fields)  # no nested groups


@pytest.mark.parametrize("year", YEARS)
def test_every_choice_question_has_codes(year):
    for group, f in all_fields(get_definition(year)):
        if f.type in CHOICE_TYPES:
            codes = [c.code for c in f.choices]
            assert len(codes) >= 2, f.key
            assert len(codes) == len(set(codes)), f.key
            assert all(SNAKE.match(c) for c in codes), f.key
            assert all(c.lv.strip() and c.en.strip() for c in f.choices), f.key
        else:
            assert f.choices == (), f.key
        if f.type == FieldType.YES_NO_DK:
            assert [c.code for c in f.choices] == ["yes", "no", DONT_KNOW]


@pytest.mark.parametrize("year", YEARS)
def test_every_text_is_in_both_languages(year):
    d = get_definition(year)
    for s in d.sections:
        assert s.title.lv.strip() and s.title.en.strip()
    for _, f in all_fields(d):
        assert f.label.lv.strip() and f.label.en.strip(), f.key
        assert f.label.lv != f.label.en or f.label.lv in ("LEADER",), f.key
        for extra in (f.help, f.unit):
            if extra is not None:
                assert extra.lv.strip() and extra.en.strip(), f.key


@pytest.mark.parametrize("year", YEARS)
def test_conditions_refer_to_a_choice_in_the_same_scope(year):
    d = get_definition(year)
    for group, f in all_fields(d):
        if f.show_if is None:
            continue
        scope = {c.key: c for c in group.fields} if group else {x.key: x for x in d.iter_fields()}
        controller = scope.get(f.show_if.key)
        assert controller is not None, f.key
        assert controller.type in CHOICE_TYPES, f.key
        assert f.show_if.codes <= controller.choice_codes(), f.key
        assert controller.show_if is None, f.key  # no chains
        if group is None:  # the controller comes first in the form
            order = list(scope)
            assert order.index(controller.key) < order.index(f.key), f.key


@pytest.mark.parametrize("year", YEARS)
def test_numeric_bounds_are_consistent(year):
    for _, f in all_fields(get_definition(year)):
        if f.min is not None and f.max is not None:
            assert f.min < f.max, f.key
        if f.type == FieldType.SCALE:
            assert (f.min, f.max) == (0, 10), f.key
        if f.type == FieldType.INTEGER:
            assert f.min == 0, f.key  # every count is non-negative
        if f.is_group:
            assert 0 <= f.min_rows <= f.max_rows, f.key


def structure(d: ReturnDefinition) -> set[str]:
    return {f"{g.key}.{f.key}" if g else f.key for g, f in all_fields(d)}


def test_2026_adds_only_the_follow_up_field():
    d25, d26 = get_definition(2025), get_definition(2026)
    assert structure(d26) - structure(d25) == {"grant_programmes.firms_operating_after_1y"}
    assert structure(d25) - structure(d26) == set()
    assert d26.field_count() == d25.field_count() + 1
    follow_up = d26.field("grant_programmes").child("firms_operating_after_1y")
    assert follow_up.type == FieldType.INTEGER and follow_up.allow_dont_know
    with pytest.raises(KeyError):
        d25.field("grant_programmes").child("firms_operating_after_1y")
    # everything else is the same field in both years
    for key in structure(d25):
        root, _, child = key.partition(".")
        f25, f26 = d25.field(root), d26.field(root)
        if child:
            assert f25.child(child) == f26.child(child), key
        elif not f25.is_group:
            assert f25 == f26, key


def test_field_count_hand_counted():
    # 2025, counted section by section: 7 + 8 + 10 + 8 + 6 + 3 + 11 + 14 + 6 + 9 + 8 + 8 + 5 + 9 + 4 = 116 top-level
    # questions; 5 of them are groups with 2 + 4 + 12 + 6 + 7 = 31 columns → 111 + 31 = 142 answerable items
    d = get_definition(2025)
    assert [len(s.fields) for s in d.sections] == [7, 8, 10, 8, 6, 3, 11, 14, 6, 9, 8, 8, 5, 9, 4]
    groups = {f.key: len(f.fields) for f in d.iter_fields() if f.is_group}
    assert groups == {"published_documents": 2, "budget_lines": 4, "grant_programmes": 12,
                      "diaspora_activities": 6, "contact_persons": 7}
    assert d.field_count() == 142
    assert get_definition(2026).field_count() == 143


@pytest.mark.parametrize("year", YEARS)
def test_complete_answers_validate(year):
    result = validate(get_definition(year), complete_answers(2026), submit=True)
    assert result.issues == []
    assert result.values["grant_programmes"][0]["applications_supported"] == 6
    assert ("firms_operating_after_1y" in result.values["grant_programmes"][0]) is (year == 2026)


def test_2025_ignores_the_2026_follow_up_answer():
    answers = complete_answers(2026)
    answers["grant_programmes"][0]["firms_operating_after_1y"] = "nav skaitlis"
    assert validate(get_definition(2025), answers, submit=True).issues == []
    result = validate(get_definition(2026), answers, submit=True)
    assert [(i.path, i.code) for i in result.issues] == [
        ("grant_programmes[0].firms_operating_after_1y", "not_integer")]


def test_per_year_keys_exist():
    d25, d26 = get_definition(2025), get_definition(2026)
    assert d25.per_year == d26.per_year
    for d, allowed_missing in ((d26, set()), (d25, {"grant_programmes.firms_operating_after_1y"})):
        missing = set()
        for key in d.per_year:
            root, _, child = key.partition(".")
            if not d.has_field(root):
                missing.add(key)
            elif child and child not in {c.key for c in d.field(root).fields}:
                missing.add(key)
        assert missing == allowed_missing


def test_carries_over():
    d = get_definition(2026)
    assert d.carries_over("respondent_name")
    assert d.carries_over("has_business_grants")
    assert not d.carries_over("budget_lines")  # the whole group is a flow
    assert not d.carries_over("budget_lines", "source")
    assert not d.carries_over("ngo_grants_total_eur")
    assert not d.carries_over("returnees_persons")
    assert d.carries_over("grant_programmes")  # the programmes stay …
    assert d.carries_over("grant_programmes", "name")
    assert d.carries_over("grant_programmes", "eligibility")
    assert not d.carries_over("grant_programmes", "total_fund_eur")  # … their yearly figures do not
    assert not d.carries_over("grant_programmes", "applications_received")
    assert not d.carries_over("grant_programmes", "firms_operating_after_1y")
    assert d.carries_over("contact_persons", "email")
    assert not d.carries_over("contacts_confirmed_on")


def test_personal_fields():
    d = get_definition(2026)
    personal = {f"{g.key}.{f.key}" if g else f.key for g, f in all_fields(d) if f.is_personal}
    assert personal == {"respondent_name", "respondent_role", "respondent_role_other", "respondent_email",
                        "respondent_phone", "contact_persons.name",
                        "contact_persons.position", "contact_persons.email", "contact_persons.phone"}


def test_section_of_and_paths():
    d = get_definition(2026)
    assert d.section_of("grant_programmes[2].name") == "business_grants"
    assert d.section_of("grant_programmes") == "business_grants"
    assert d.section_of("contacts_confirmed_on") == "contacts"
    assert path_root("budget_lines[10].spent_eur") == "budget_lines"
    assert row_path("budget_lines", 3, "source") == "budget_lines[3].source"
    assert row_path("budget_lines", 0) == "budget_lines[0]"
    assert d.section("plans").fields[0].key == "plans_measures_next_5y"
    with pytest.raises(KeyError):
        d.section("nope")
    with pytest.raises(KeyError):
        d.field("nope")
    assert not d.has_field("nope") and d.has_field("plans_measures_next_5y")


# ------------------------------------------------------------------------------------------ schema guards

def test_schema_refuses_bad_definitions():
    label = Text("a", "b")
    with pytest.raises(ValueError, match="snake_case"):
        Field("Bad-Key", FieldType.TEXT, label)
    with pytest.raises(ValueError, match="no choices"):
        Field("c", FieldType.SINGLE_CHOICE, label)
    with pytest.raises(ValueError, match="no choices"):
        Field("c", FieldType.MULTI_CHOICE, label)
    with pytest.raises(ValueError, match="no fields"):
        Field("g", FieldType.GROUP, label)
    with pytest.raises(ValueError, match="duplicate choice"):
        Field("c", FieldType.SINGLE_CHOICE, label, choices=(Choice("a", "A", "A"), Choice("a", "B", "B")))
    with pytest.raises(ValueError, match="snake_case"):
        Section("Sadaļa", label)
    one = Field("a", FieldType.TEXT, label)
    with pytest.raises(ValueError, match="duplicate field key"):
        ReturnDefinition(2000, "v", label, (Section("s1", label, None, (one,)), Section("s2", label, None, (one,))))


def test_condition_holds():
    c = Condition("k", frozenset({"yes", "hard_to_say"}))
    assert c.holds({"k": "yes"}) and c.holds({"k": ["no", "hard_to_say"]})
    assert not c.holds({"k": "no"}) and not c.holds({}) and not c.holds({"k": None}) and not c.holds({"k": []})


def test_text_and_choice_locale():
    assert Text("lv", "en").get("en") == "en" and Text("lv", "en").get("lv") == "lv"
    assert Text("lv", "en").get("de") == "lv"  # Latvian is the default
    assert Choice("c", "lv", "en").label("en") == "en" and Choice("c", "lv", "en").label("ru") == "lv"
