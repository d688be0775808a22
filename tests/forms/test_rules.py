"""Cross-field rules, conditional questions and year-on-year warnings, on hand-made answers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from forms import DONT_KNOW, Severity, get_definition, validate
from tests.factories import complete_answers

YEARS = (2025, 2026)


def run(answers: dict[str, Any], *, year: int = 2026, submit: bool = True, previous: dict | None = None):
    return validate(get_definition(year), answers, submit=submit, previous=previous)


def pairs(result) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in result.issues]


@pytest.fixture
def answers() -> dict[str, Any]:
    return complete_answers(2026)


# ---------------------------------------------------------------------- grants: supported ≤ evaluated ≤ received

def grant_row(received, evaluated, supported, **extra) -> dict[str, Any]:
    return {"name": "Konkurss", "kind": "startup_grant", "eligibility": "open_to_all",
            "applications_received": received, "applications_evaluated": evaluated,
            "applications_supported": supported, **extra}


@pytest.mark.parametrize(("counts", "expected"), [
    ((20, 15, 6), []),
    ((10, 10, 10), []),  # equal is fine
    ((0, 0, 0), []),
    ((10, 12, 6), [("grant_programmes[0].applications_evaluated", "not_more_than_applications_received")]),
    ((20, 15, 16), [("grant_programmes[0].applications_supported", "not_more_than_applications_evaluated")]),
    ((5, 6, 7), [("grant_programmes[0].applications_evaluated", "not_more_than_applications_received"),
                 ("grant_programmes[0].applications_supported", "not_more_than_applications_evaluated")]),
    ((None, 15, 16), [("grant_programmes[0].applications_supported", "not_more_than_applications_evaluated")]),
    ((5, None, 6), [("grant_programmes[0].applications_supported", "not_more_than_applications_received")]),
    ((5, None, 5), []),
    ((DONT_KNOW, 15, 6), []),
    ((DONT_KNOW, 15, 16), [("grant_programmes[0].applications_supported", "not_more_than_applications_evaluated")]),
    ((5, DONT_KNOW, 6), [("grant_programmes[0].applications_supported", "not_more_than_applications_received")]),
    ((None, None, 6), []),
    (("5", "6", ""), [("grant_programmes[0].applications_evaluated", "not_more_than_applications_received")]),
])
@pytest.mark.parametrize("year", YEARS)
def test_applications_ordered(answers, counts, expected, year):
    answers["grant_programmes"] = [grant_row(*counts)]
    assert pairs(run(answers, year=year)) == expected


def test_applications_checked_per_row(answers):
    answers["grant_programmes"] = [grant_row(20, 15, 6), grant_row(3, 2, 1), grant_row(3, 4, 1)]
    result = run(answers)
    assert pairs(result) == [("grant_programmes[2].applications_evaluated", "not_more_than_applications_received")]
    assert "3. ieraksts" in result.issues[0].lv and "entry 3" in result.issues[0].en
    assert not result.can_save_draft  # a wrong figure is not saved, even in a draft
    assert not run(answers, submit=False).can_save_draft


# ------------------------------------------------------------------------------ contact person: e-mail or phone

@pytest.mark.parametrize(("contact", "expected"), [
    ({"email": "a@b.lv"}, []),
    ({"phone": "+371 26 123 456"}, []),
    ({"email": "a@b.lv", "phone": "26123456"}, []),
    ({}, [("contact_persons[0].email", "one_of_required")]),
    ({"email": "  ", "phone": ""}, [("contact_persons[0].email", "one_of_required")]),
    ({"email": "nav"}, [("contact_persons[0].email", "invalid_email"), ("contact_persons[0].email", "one_of_required")]),
])
def test_contact_person_needs_email_or_phone(answers, contact, expected):
    answers["contact_persons"] = [{"name": "Ilze", "position": "Vadītāja", "is_public": "no", **contact}]
    result = run(answers)
    assert pairs(result) == expected
    for issue in result.issues:
        if issue.code == "one_of_required":
            assert "«E-pasts» vai «Tālrunis»" in issue.lv and "“E-mail” or “Phone”" in issue.en
            assert "Kontaktpersonas, 1. ieraksts" in issue.lv


def test_second_contact_person_checked_too(answers):
    answers["contact_persons"] = answers["contact_persons"] + [{"name": "Jānis", "position": "Speciālists",
                                                                "is_public": "yes"}]
    assert pairs(run(answers)) == [("contact_persons[1].email", "one_of_required")]


# --------------------------------------------------------------------------------- budget rows need a source

@pytest.mark.parametrize(("row", "expected"), [
    ({"source": "own_budget", "planned_eur": "100"}, []),
    ({"planned_eur": "100"}, [("budget_lines[0].source", "needs_source")]),
    ({"spent_eur": "50,50"}, [("budget_lines[0].source", "needs_source")]),
    ({"spent_eur": "0"}, [("budget_lines[0].source", "needs_source")]),  # zero is an amount; blank is not
    ({"spent_eur": "hard_to_say"}, [("budget_lines[0].source", "needs_source")]),
    ({"purpose": "Salidojums"}, []),  # no amount: nothing to attribute
    ({"source": "varam"}, []),
    ({"source": "nav", "planned_eur": "100"}, [("budget_lines[0].source", "invalid_choice"),
                                               ("budget_lines[0].source", "needs_source")]),
])
def test_budget_amount_needs_source(answers, row, expected):
    answers["budget_lines"] = [row]
    result = run(answers)
    assert pairs(result) == expected
    for issue in result.issues:
        if issue.code == "needs_source":
            assert "«Avots»" in issue.lv and "“Source”" in issue.en and "1. ieraksts" in issue.lv


# ------------------------------------------------------------------- reasons when no measures are planned

def test_reasons_required_when_no_measures_planned(answers):
    answers.update(plans_measures_next_5y="no")
    del answers["planned_measures_next_5y"]
    result = run(answers)
    assert pairs(result) == [("reasons_no_planned_measures", "required")]
    assert result.issues[0].lv.startswith("«Kāpēc pasākumi netiek plānoti?»:")
    assert result.issues[0].en.startswith("“Why are no measures planned?”:")
    assert result.can_save_draft and not result.can_submit
    assert run(answers, submit=False).issues == []  # only on submit

    answers["reasons_no_planned_measures"] = ["lack_of_funding", "no_housing_stock"]
    result = run(answers)
    assert result.issues == []
    assert result.values["reasons_no_planned_measures"] == ["lack_of_funding", "no_housing_stock"]


@pytest.mark.parametrize("plan", ["yes", "hard_to_say"])
def test_reasons_not_required_otherwise(answers, plan):
    answers.update(plans_measures_next_5y=plan)
    assert run(answers).issues == []


def test_reasons_dropped_when_measures_are_planned(answers):
    answers.update(reasons_no_planned_measures=["lack_of_funding"], reasons_no_planned_measures_other="Cits")
    result = run(answers)
    assert result.issues == []
    assert result.values["reasons_no_planned_measures"] is None
    assert result.values["reasons_no_planned_measures_other"] is None


# ----------------------------------------------------------------------------------------- housing, returnees

@pytest.mark.parametrize(("total", "habitable", "repair", "expected"), [
    (400, 12, 30, []),
    (400, 400, 400, []),
    (400, 401, 0, [("vacant_dwellings_habitable", "not_more_than_municipal_dwellings_total")]),
    (10, 5, 11, [("vacant_dwellings_need_repair", "not_more_than_municipal_dwellings_total")]),
    (0, 1, 1, [("vacant_dwellings_habitable", "not_more_than_municipal_dwellings_total"),
               ("vacant_dwellings_need_repair", "not_more_than_municipal_dwellings_total")]),
    (None, 401, 401, []),  # total unknown: nothing to compare with
    (DONT_KNOW, 401, 401, []),
    (400, DONT_KNOW, None, []),
])
def test_vacant_dwellings_not_more_than_total(answers, total, habitable, repair, expected):
    answers.update(municipal_dwellings_total=total, vacant_dwellings_habitable=habitable,
                   vacant_dwellings_need_repair=repair)
    result = run(answers)
    assert pairs(result) == expected
    if expected:
        issue = result.issues[0]
        assert "«Pašvaldības dzīvokļi kopā»" in issue.lv and "“Municipal dwellings, total”" in issue.en


def test_vacant_dwellings_message_has_both_figures(answers):
    answers.update(municipal_dwellings_total="1 200", vacant_dwellings_habitable="1 500")
    issue = run(answers).issues[0]
    assert "(1\u00a0500)" in issue.lv and "(1\u00a0200)" in issue.lv
    assert "(1,500)" in issue.en and "(1,200)" in issue.en


@pytest.mark.parametrize(("persons", "families", "children", "expected"), [
    (25, 8, 9, []),
    (25, 25, 25, []),
    (25, 26, 9, [("returnees_families", "not_more_than_returnees_persons")]),
    (25, 8, 26, [("returnees_children", "not_more_than_returnees_persons")]),
    (0, 1, 1, [("returnees_families", "not_more_than_returnees_persons"),
               ("returnees_children", "not_more_than_returnees_persons")]),
    (None, 100, 100, []),
])
def test_returnee_families_and_children_not_more_than_persons(answers, persons, families, children, expected):
    answers.update(returnees_persons=persons, returnees_families=families, returnees_children=children)
    assert pairs(run(answers)) == expected


def test_returnee_counts_dropped_when_not_tracked(answers):
    answers.update(tracks_returnee_information="no", returnees_persons=1, returnees_families=5,
                   returnees_children="abc", returnee_count_source="csp")
    result = run(answers)
    assert result.issues == []
    assert [result.values[k] for k in ("returnees_persons", "returnees_families", "returnees_children",
                                       "returnee_count_source")] == [None, None, None, None]


# -------------------------------------------------------------------------------------- conditional questions

def test_planning_docs_url_only_when_measures_in_the_documents(answers):
    answers.update(planning_docs_include_remigration_measures="no", planning_docs_url="nav saites")
    result = run(answers)
    assert result.issues == []
    assert result.values["planning_docs_url"] is None

    answers.update(planning_docs_include_remigration_measures="yes")
    assert pairs(run(answers)) == [("planning_docs_url", "invalid_url")]

    answers.update(planning_docs_url="https://www.cesis.lv/attistibas-programma")
    result = run(answers)
    assert result.issues == []
    assert result.values["planning_docs_url"] == "https://www.cesis.lv/attistibas-programma"


@pytest.mark.parametrize("has_grants", ["no", "hard_to_say", None])
def test_grant_programmes_cleared_unless_grants_ran(answers, has_grants, ):
    answers.update(has_business_grants=has_grants)
    answers["grant_programmes"] = [grant_row(1, 2, 3, max_grant_eur="daudz")]
    result = run(answers, submit=False)
    assert result.values["grant_programmes"] == []
    assert result.issues == []


def test_grant_programmes_kept_when_grants_ran(answers):
    answers["grant_programmes"] = [grant_row(5, 4, 3, max_grant_eur="5 000")]
    result = run(answers)
    assert result.issues == []
    row = result.values["grant_programmes"][0]
    assert row["max_grant_eur"] == Decimal("5000.00")
    assert (row["applications_received"], row["applications_evaluated"], row["applications_supported"]) == (5, 4, 3)


@pytest.mark.parametrize(("role", "kept"), [("other_delegated", "Domes sekretāre"), ("executive_director", None)])
def test_other_role_only_for_other(answers, role, kept):
    answers.update(respondent_role=role, respondent_role_other="Domes sekretāre")
    assert run(answers).values["respondent_role_other"] == kept


@pytest.mark.parametrize(("online", "country"), [("no", "Īrija"), ("hard_to_say", "Īrija"), ("yes", None),
                                                 (None, None)])
def test_diaspora_activity_country_only_for_in_person(answers, online, country):
    answers["diaspora_activities"] = [{"activity_type": "reunion", "is_online": online, "country": "Īrija"}]
    result = run(answers)
    assert result.issues == []
    assert result.values["diaspora_activities"][0]["country"] == country


def test_hidden_required_questions_are_not_demanded(answers):
    # every follow-up hidden: still submittable, and hidden answers are gone
    answers.update(relocation_handbook="no", relocation_handbook_english="yes", emigrant_database="no",
                   emigrant_contacts_count=5, extra_latvian_lessons="no", extra_lessons_hours_per_week="100")
    result = run(answers)
    assert result.issues == []
    assert result.values["relocation_handbook_english"] is None
    assert result.values["emigrant_contacts_count"] is None
    assert result.values["extra_lessons_hours_per_week"] is None


# ---------------------------------------------------------------------------------------- year-on-year warnings

@pytest.mark.parametrize(("now", "before", "warned"), [
    ("1000", Decimal("100"), True),  # exactly 10×
    ("1000", Decimal("100.01"), False),
    ("999,99", Decimal("100"), False),
    ("5000", Decimal("1"), True),
    ("5000", Decimal("0"), False),  # nothing last year: no ratio
    ("5000", None, False),
    ("5000", DONT_KNOW, False),
    (DONT_KNOW, Decimal("1"), False),
    ("", Decimal("1"), False),
    ("1000", 100, True),  # last year's value may come as an int
    ("1000", Decimal("0.01"), True),
    ("1000", Decimal("0.001"), False),  # less than a cent: nothing to compare with
    ("1000", Decimal("1E-30"), False),
    ("1000", Decimal("NaN"), False),  # PostgreSQL NUMERIC can hold NaN: no warning, and no exception
    ("1000", Decimal("sNaN"), False),
    ("1000", Decimal("Infinity"), False),
    ("1000", 1000.0, False),  # a float is no stored figure
])
def test_growth_warning_on_money_field(answers, now, before, warned):
    answers["ngo_grants_total_eur"] = now
    result = run(answers, previous={"ngo_grants_total_eur": before})
    expected = [("ngo_grants_total_eur", "growth")] if warned else []
    assert pairs(result) == expected
    assert all(i.severity == Severity.WARNING for i in result.issues)
    assert result.can_submit and result.can_save_draft


def test_no_growth_warning_without_previous_year(answers):
    answers["ngo_grants_total_eur"] = "1000000"
    assert run(answers).issues == []
    assert run(answers, previous={}).issues == []


def test_growth_fields_are_the_yearly_money_flows():
    d = get_definition(2026)
    assert {f.key: f.warn_growth_factor for f in d.iter_fields() if f.warn_growth_factor} == {
        "ngo_grants_total_eur": 10, "specialist_support_eur": 10, "renovation_spend_eur": 10,
        "remigration_benefits_eur": 10}


def test_budget_spent_sum_growth(answers):
    previous = {"budget_lines": [{"source": "own_budget", "spent_eur": Decimal("400")},
                                 {"source": "varam", "spent_eur": Decimal("100")}]}
    answers["budget_lines"] = [{"source": "own_budget", "spent_eur": "4200"},
                               {"source": "varam", "spent_eur": "800"}]  # 5000 = 10 × 500
    result = run(answers, previous=previous)
    assert pairs(result) == [("budget_lines", "growth_spent_eur")]
    issue = result.issues[0]
    assert issue.severity == Severity.WARNING and result.can_submit
    assert "«Izlietots gadā»" in issue.lv and "5\u00a0000 EUR" in issue.lv and "10 reizes" in issue.lv
    assert "“Spent in the year”" in issue.en and "EUR 5,000" in issue.en and "EUR 500)" in issue.en

    answers["budget_lines"][1]["spent_eur"] = "799,99"
    assert run(answers, previous=previous).issues == []


@pytest.mark.parametrize("previous_rows", [[], [{"spent_eur": Decimal("0")}], [{"spent_eur": None}],
                                           [{"spent_eur": DONT_KNOW}], None, [{"spent_eur": Decimal("NaN")}],
                                           [{"spent_eur": Decimal("1E-40")}], ["not a row"]])
def test_budget_growth_needs_last_years_spending(answers, previous_rows):
    answers["budget_lines"] = [{"source": "own_budget", "spent_eur": "1000000"}]
    assert run(answers, previous={"budget_lines": previous_rows}).issues == []


def test_grant_fund_sum_growth(answers):
    answers["grant_programmes"] = [grant_row(1, 1, 1, total_fund_eur="300000")]
    result = run(answers, previous={"grant_programmes": [{"total_fund_eur": Decimal("30000")}]})
    assert pairs(result) == [("grant_programmes", "growth_total_fund_eur")]
    assert result.can_submit


def test_warnings_and_errors_together(answers):
    answers.update(renovation_spend_eur="1000", returnees_families=26)
    result = run(answers, previous={"renovation_spend_eur": Decimal("1")})
    assert pairs(result) == [("returnees_families", "not_more_than_returnees_persons"),
                             ("renovation_spend_eur", "growth")]
    assert len(result.errors) == 1 and len(result.warnings) == 1
    assert not result.can_submit
