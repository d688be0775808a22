"""Messages: both languages, the field named (and the entry for group rows), form order, drafts vs submission."""

from __future__ import annotations

import string
from decimal import Decimal

import pytest

from forms import Field, FieldType, Issue, Severity, Text, get_definition, validate
from forms.messages import MESSAGES
from forms.validation import DRAFT_TOLERATED, custom_issue
from tests.factories import complete_answers

from .helpers import EN, LV, make_field, mini

T = FieldType

# code → (field, raw answer, submit, previous year's answers)
CASES: dict[str, tuple[Field, object, bool, dict | None]] = {
    "required": (make_field(T.YES_NO_DK, required=True), "", True, None),
    "required_no_dk": (make_field(T.TEXT, required=True), " ", True, None),
    "min_rows": (make_field(T.GROUP, min_rows=2), [{"name": "A"}], True, None),
    "max_rows": (make_field(T.GROUP, max_rows=1), [{"name": "A"}, {"name": "B"}], False, None),
    "not_integer": (make_field(T.INTEGER), "12,5", False, None),
    "not_number": (make_field(T.MONEY), "daudz", False, None),
    "ambiguous_number": (make_field(T.MONEY), "1.500,50", False, None),
    "too_many_decimals": (make_field(T.MONEY), "1,005", False, None),
    "below_min": (make_field(T.INTEGER, min=0), "-1", False, None),
    "above_max": (make_field(T.INTEGER, max=10), "11", False, None),
    "invalid_choice": (make_field(T.SINGLE_CHOICE), "z", False, None),
    "dont_know_exclusive": (make_field(T.MULTI_CHOICE), ["a", "hard_to_say"], False, None),
    "too_long": (make_field(T.TEXT), "x" * 301, False, None),
    "invalid_url": (make_field(T.URL), "www.cesis.lv", False, None),
    "invalid_email": (make_field(T.EMAIL), "ilze@cesis", False, None),
    "invalid_phone": (make_field(T.PHONE), "123", False, None),
    "invalid_date": (make_field(T.DATE), "31.02.2026", False, None),
    "date_out_of_range": (make_field(T.DATE), "01.01.1900", False, None),
    "number_and_dont_know": (make_field(T.MONEY, allow_dont_know=True), ["5", "hard_to_say"], False, None),
    "invalid_value": (make_field(T.TEXT), 5, False, None),
    "growth": (make_field(T.MONEY, warn_growth_factor=10), "1000", False, {"x": Decimal("100")}),
}


def test_every_message_has_a_test_case():
    # "not_applicable" is not an issue but a note of an answer not kept: tests/forms/test_not_kept.py
    assert set(CASES) | {"not_applicable"} == set(MESSAGES)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_templates_exist_in_both_languages_with_the_same_values(code):
    lv, en = MESSAGES[code]
    assert lv.strip() and en.strip() and lv != en

    def names(template: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}

    assert "field" in names(lv) and "field" in names(en)
    assert names(lv) == names(en)
    assert lv.startswith("«{field}»") and en.startswith("“{field}”")


@pytest.mark.parametrize("code", sorted(CASES))
def test_message_names_the_field_in_both_languages(code):
    f, raw, submit, previous = CASES[code]
    result = validate(mini(f), {"x": raw}, submit=submit, previous=previous)
    issue = next(i for i in result.issues if i.code == code)
    assert issue.path == "x"
    assert f"«{LV}»" in issue.lv and EN not in issue.lv
    assert f"“{EN}”" in issue.en and LV not in issue.en
    assert "{" not in issue.lv + issue.en  # every placeholder filled
    assert issue.text("lv") == issue.lv and issue.text("en") == issue.en
    assert issue.severity == (Severity.WARNING if code == "growth" else Severity.ERROR)


ROW_CODES = sorted(c for c in CASES if c not in ("min_rows", "max_rows", "growth"))


@pytest.mark.parametrize("code", ROW_CODES)
def test_group_row_message_names_group_entry_and_field(code):
    f, raw, submit, _ = CASES[code]
    g = Field("g", T.GROUP, Text("Aktivitātes", "Activities"),
              fields=(Field("name", T.TEXT, Text("Nosaukums", "Name")), f))
    result = validate(mini(g), {"g": [{"name": "A"}, {"name": "B", "x": raw}]}, submit=submit)
    issue = next(i for i in result.issues if i.code == code and i.path == "g[1].x")
    assert f"«Aktivitātes, 2. ieraksts — {LV}»" in issue.lv
    assert f"“Activities, entry 2 — {EN}”" in issue.en


def test_numbers_in_messages_follow_the_language():
    f = make_field(T.INTEGER, max=1500000)
    issue = validate(mini(f), {"x": "2000000"}).issues[0]
    assert "1\u00a0500\u00a0000" in issue.lv
    assert "1,500,000" in issue.en


def test_growth_message_shows_both_figures_and_the_factor():
    f = make_field(T.MONEY, warn_growth_factor=10)
    issue = validate(mini(f), {"x": "1250"}, previous={"x": Decimal("100")}).issues[0]
    assert issue.code == "growth" and issue.severity == Severity.WARNING
    assert "1\u00a0250" in issue.lv and "12,5 reizes" in issue.lv and "(100)" in issue.lv
    assert "1,250" in issue.en and "12.5 times" in issue.en and "(100)" in issue.en


def test_rule_messages_name_fields_and_entry():
    answers = complete_answers(2026)
    answers["grant_programmes"] = [answers["grant_programmes"][0],
                                   {**answers["grant_programmes"][0], "applications_evaluated": 25}]
    issue = next(i for i in validate(get_definition(2026), answers).issues
                 if i.code == "not_more_than_applications_received")
    assert issue.path == "grant_programmes[1].applications_evaluated"
    assert issue.lv.startswith("Grantu programmas, 2. ieraksts:")
    assert "«Izvērtētie pieteikumi» (25)" in issue.lv and "«Saņemtie pieteikumi» (20)" in issue.lv
    assert issue.en.startswith("Grant programmes, entry 2:")
    assert "“Applications evaluated” (25)" in issue.en and "“Applications received” (20)" in issue.en


# ------------------------------------------------------------------------------------------------ ordering

def test_error_summary_follows_the_form_order():
    d = get_definition(2026)
    answers = complete_answers(2026)
    row = answers["grant_programmes"][0]
    rows = [dict(row) for _ in range(12)]
    rows[2] = {"kind": "innovation", "eligibility": "open_to_all", "max_grant_eur": "x", "applications_received": "x"}
    rows[10] = {**row, "cofinancing_pct": "150"}
    answers.update({
        "contacts_confirmed_on": "31.02.2026",  # contacts section (late in the form)
        "vacant_dwellings_habitable": 401,  # housing: a rule
        "respondent_email": "ilze@",  # first section
        "grant_programmes": rows,
        "ngo_grants_total_eur": "1000",  # a warning
    })
    result = validate(d, answers, submit=True, previous={"ngo_grants_total_eur": Decimal("10")})
    assert [(i.path, i.code) for i in result.issues] == [
        ("respondent_email", "invalid_email"),
        ("grant_programmes[2].name", "required_no_dk"),  # row 3, its fields in form order…
        ("grant_programmes[2].max_grant_eur", "not_number"),
        ("grant_programmes[2].applications_received", "not_integer"),
        ("grant_programmes[10].cofinancing_pct", "above_max"),  # …then row 11 (not sorted as text)
        ("vacant_dwellings_habitable", "not_more_than_municipal_dwellings_total"),
        ("contacts_confirmed_on", "invalid_date"),
        ("ngo_grants_total_eur", "growth"),  # warnings after errors
    ]


def test_group_level_issue_comes_before_its_rows():
    d = get_definition(2026)
    answers = complete_answers(2026)
    person = answers["contact_persons"][0]
    answers["contact_persons"] = [dict(person) for _ in range(10)] + [{**person, "email": "bad"}]
    result = validate(d, answers, submit=True)
    assert [(i.path, i.code) for i in result.issues] == [
        ("contact_persons", "max_rows"),
        ("contact_persons[10].email", "invalid_email"),
        ("contact_persons[10].email", "one_of_required"),
    ]


def test_same_issue_reported_once():
    f = make_field(T.INTEGER)

    def twice(values, _previous):
        issue = custom_issue("x", "odd", "Nepāra skaitlis", "Odd number")
        return [issue, issue] if values["x"] is not None and values["x"] % 2 else []

    result = validate(mini(f, rules=(twice,)), {"x": "3"})
    assert [(i.path, i.code) for i in result.issues] == [("x", "odd")]


def test_a_failing_rule_is_reported_not_raised():
    f = make_field(T.INTEGER, min=0)

    def broken(values, _previous):
        return [1 / 0]

    result = validate(mini(f, rules=(broken,)), {"x": "-5"})
    assert [(i.path, i.code) for i in result.issues] == [("", "rule_failed"), ("x", "below_min")]
    assert "ZeroDivisionError" in result.issues[0].en and "ZeroDivisionError" in result.issues[0].lv
    assert not result.can_submit


# ------------------------------------------------------------------------------------------ drafts and submit

def test_draft_tolerated_codes():
    assert DRAFT_TOLERATED == {"required", "required_no_dk", "min_rows", "one_of_required"}


@pytest.mark.parametrize(("code", "severity", "blocks"), [
    ("required", Severity.ERROR, False),
    ("required_no_dk", Severity.ERROR, False),
    ("min_rows", Severity.ERROR, False),
    ("one_of_required", Severity.ERROR, False),  # a contact person may be saved before the e-mail is known
    ("needs_source", Severity.ERROR, False),  # a budget row may be saved before its source is chosen
    ("max_rows", Severity.ERROR, True),
    ("invalid_email", Severity.ERROR, True),
    ("not_more_than_returnees_persons", Severity.ERROR, True),
    ("growth", Severity.WARNING, False),
    ("growth_spent_eur", Severity.WARNING, False),
])
def test_blocks_draft(code, severity, blocks):
    assert Issue("x", code, severity, "lv", "en").blocks_draft is blocks


def test_draft_tolerates_missing_answers_but_not_wrong_ones():
    d = get_definition(2026)
    empty_submit = validate(d, {}, submit=True)
    assert empty_submit.errors and not empty_submit.can_submit
    assert empty_submit.can_save_draft  # everything missing, nothing wrong
    assert {i.code for i in empty_submit.issues} == {"required", "required_no_dk", "min_rows"}

    empty_draft = validate(d, {})
    assert empty_draft.issues == []  # a draft does not list missing answers at all
    assert empty_draft.can_save_draft

    wrong = validate(d, {"respondent_email": "nav e-pasta"})
    assert [(i.path, i.code) for i in wrong.issues] == [("respondent_email", "invalid_email")]
    assert not wrong.can_save_draft and not wrong.can_submit


def test_warnings_never_block():
    d = get_definition(2026)
    answers = complete_answers(2026)
    answers["renovation_spend_eur"] = "50000"
    result = validate(d, answers, submit=True, previous={"renovation_spend_eur": Decimal("5000")})
    assert [(i.path, i.code, i.severity) for i in result.issues] == [
        ("renovation_spend_eur", "growth", Severity.WARNING)]
    assert result.errors == [] and len(result.warnings) == 1
    assert result.can_submit and result.can_save_draft


def test_complete_return_can_be_submitted():
    result = validate(get_definition(2026), complete_answers(2026), submit=True)
    assert result.issues == []
    assert result.can_submit and result.can_save_draft


def test_for_path():
    result = validate(get_definition(2026), {"respondent_email": "x", "respondent_phone": "1"})
    assert [i.code for i in result.for_path("respondent_phone")] == ["invalid_phone"]
    assert result.for_path("respondent_name") == []
