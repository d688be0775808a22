"""The codebook and the column layout of the research exports."""

from __future__ import annotations

from forms import Choice, Field, FieldType, ReturnDefinition, Section, Text, get_definition
from reports.excel.codebook import CODEBOOK_COLUMNS, codebook_rows, layout

DEFINITIONS = {2025: get_definition(2025), 2026: get_definition(2026)}


def by_variable(rows):
    return {(r.sheet, r.variable): r for r in rows}


def definition(year: int, *fields: Field, per_year: frozenset[str] = frozenset()) -> ReturnDefinition:
    return ReturnDefinition(year, f"{year}.t", Text("t", "t"), (Section("main", Text("m", "m"), fields=fields),),
                            per_year=per_year)


def f(key: str, kind: FieldType = FieldType.INTEGER, **kw) -> Field:
    return Field(key, kind, Text(f"{key} lv", f"{key} en"), **kw)


def test_identifiers_then_answers_then_each_group():
    rows = codebook_rows(DEFINITIONS)
    assert CODEBOOK_COLUMNS == ("variable", "sheet", "section", "label_lv", "label_en", "type", "unit_lv", "unit_en",
                                "codes", "hard_to_say", "range", "years", "survey_key", "per_year")
    assert [r.variable for r in rows[:6]] == ["municipality", "municipality_name", "region", "region_name", "year",
                                              "status"]
    assert {r.sheet for r in rows[:6]} == {"Data"}
    group = [r for r in rows if r.sheet == "contact_persons"]
    assert [r.variable for r in group] == ["contact_persons", "municipality", "year", "row", "row_id",
                                           "contact_persons.fte_share", "contact_persons.languages",
                                           "contact_persons.is_public"]
    assert group[0].type == "group" and group[0].range == "1–10"


def test_a_variable_line():
    rows = by_variable(codebook_rows(DEFINITIONS))
    topicality = rows[("Data", "remigration_promotion_topicality")]
    assert topicality.section == "attitudes" and topicality.type == "single_choice"
    assert topicality.codes.startswith("very_topical = Ļoti aktuāla / Very topical")
    assert topicality.survey_key == "remigration_promotion_topicality" and topicality.years == "2025, 2026"
    assert topicality.hard_to_say == "code hard_to_say (Grūti pateikt / Hard to say)"
    yes_no = rows[("Data", "emigration_active_problem")]
    assert yes_no.codes == "yes = Jā / Yes; no = Nē / No; hard_to_say = Grūti pateikt / Hard to say"
    money = rows[("Data", "ngo_grants_total_eur")]
    assert (money.unit_lv, money.unit_en, money.per_year) == ("EUR", "EUR", "yes")
    assert money.hard_to_say == "text hard_to_say (Grūti pateikt / Hard to say) in a number column"
    score = rows[("Data", "state_support_sufficiency_score")]
    assert (score.range, score.per_year) == ("0–10", "no")
    pct = rows[("grant_programmes", "grant_programmes.cofinancing_pct")]
    assert (pct.range, pct.unit_en, pct.type) == ("0–100", "%", "percent")
    assert rows[("grant_programmes", "grant_programmes.total_fund_eur")].per_year == "yes"
    assert rows[("Data", "returnees_persons")].range == "≥ 0"


def test_personal_fields_only_on_request():
    public = {r.variable for r in codebook_rows(DEFINITIONS)}
    everything = codebook_rows(DEFINITIONS, include_personal=True)
    assert not public & {"respondent_name", "respondent_email", "respondent_phone", "contact_persons.name",
                         "contact_persons.email", "contact_persons.phone", "contact_persons.position"}
    personal = {r.variable for r in everything if r.personal}
    assert personal == {"respondent_name", "respondent_role", "respondent_role_other", "respondent_email",
                        "respondent_phone", "contact_persons.name", "contact_persons.position",
                        "contact_persons.email", "contact_persons.phone"}
    assert all(not r.personal for r in codebook_rows(DEFINITIONS))


def test_union_of_years_newest_order_first_and_years_asked():
    old = definition(2024, f("a"), f("gone"), f("b"))
    new = definition(2025, f("b"), f("a"), f("fresh"))
    plan = layout({2024: old, 2025: new})
    assert [v.key for v in plan.columns] == ["b", "a", "fresh", "gone"]
    rows = by_variable(codebook_rows({2024: old, 2025: new}))
    assert rows[("Data", "gone")].years == "2024" and rows[("Data", "a")].years == "2024, 2025"


def test_personal_in_any_year_is_personal():
    old = definition(2024, f("phone_no", FieldType.PHONE, is_personal=True))
    new = definition(2025, f("phone_no", FieldType.PHONE))
    assert [v.key for v in layout({2024: old, 2025: new}).columns] == []


def test_group_sheets_names_and_groups_without_public_fields():
    long_key = "a_very_long_group_key_that_excel_cannot_hold"
    people = f("people", FieldType.GROUP, fields=(f("who", FieldType.TEXT, is_personal=True),))
    data = f("data", FieldType.GROUP, fields=(f("n"),))
    long1 = f(long_key, FieldType.GROUP, fields=(f("n"),))
    long2 = f(long_key + "_2", FieldType.GROUP, fields=(f("n"),))
    plan = layout({2025: definition(2025, people, data, long1, long2)})
    assert [(g.key, g.sheet) for g in plan.groups] == [
        ("data", "data~2"), (long_key, long_key[:31]), (long_key + "_2", long_key[:29] + "~2")]
    assert all(len(g.sheet) <= 31 for g in plan.groups)


def test_choice_codes_and_per_year_children():
    grants = f("grants", FieldType.GROUP, fields=(
        f("kind", FieldType.SINGLE_CHOICE, choices=(Choice("a", "A lv", "A en"), Choice("b", "B lv", "B en"))),
        f("amount", FieldType.MONEY, allow_dont_know=True)))
    rows = by_variable(codebook_rows({2025: definition(2025, grants, per_year=frozenset({"grants.amount"}))}))
    assert rows[("grants", "grants.kind")].codes == "a = A lv / A en; b = B lv / B en"
    assert rows[("grants", "grants.kind")].per_year == "no"
    assert rows[("grants", "grants.amount")].per_year == "yes"
    assert rows[("grants", "grants.amount")].unit_en == "EUR"
