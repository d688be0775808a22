"""The municipality template: its layout, the round trip through Excel, and what the reader refuses or reports."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any, Callable

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms import DONT_KNOW, Field, FieldType, ReturnDefinition, Section, Text, get_definition, validate
from reports.excel import TEMPLATE_FORMAT, TemplateUpload, WorkbookRefused
from reports.excel.template import LISTS_SHEET, META_SHEET, read_template, sheet_titles, write_template
from tests.factories import complete_answers

YEARS = (2025, 2026)
GENERATED = dt.datetime(2026, 11, 20, 9, 14, tzinfo=dt.timezone.utc)


def typed_answers(year: int, **changes: Any) -> dict[str, Any]:
    definition = get_definition(year)
    values = validate(definition, {**complete_answers(year), **changes}).values
    for f in definition.iter_fields():
        if f.is_group:
            for row in values[f.key]:
                row.setdefault("_uid", uuid.uuid4().hex)
    return values


def template(year: int = 2026, values: dict[str, Any] | None = None, *, locale: str = "lv",
             definition: ReturnDefinition | None = None) -> bytes:
    definition = definition or get_definition(year)
    values = typed_answers(year) if values is None else values
    buf = io.BytesIO()
    write_template(buf, definition=definition, municipality_slug="cesis", municipality_name="Cēsu novads",
                   values=values, locale=locale, base_version=7, fingerprints={"has_business_grants": "abc123"},
                   generated_at=GENERATED)
    return buf.getvalue()


def read(data: bytes, year: int = 2026, municipality: str = "cesis") -> TemplateUpload:
    return read_template(data, definitions=get_definition, expected_municipality=municipality, expected_year=year)


def edit(data: bytes, change: Callable[[openpyxl.Workbook], None]) -> bytes:
    """The file as a user would save it after a change (openpyxl keeps styles, validations and hidden sheets)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    change(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row_of(ws: Any, key: str) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value == key:
            return row
    raise KeyError(key)


def set_answer(wb: openpyxl.Workbook, key: str, value: Any, *, locale: str = "lv", quote: bool = False,
               data_type: str | None = None) -> str:
    definition = get_definition(2026)
    ws = wb[sheet_titles(definition, locale)[definition.section_of(key.split("=")[0])]]
    cell = ws.cell(row_of(ws, key), 3)
    cell.value = value
    if data_type:
        cell.data_type = data_type
    cell.quotePrefix = quote
    cell.number_format = "General"
    return cell.coordinate


def roundtrip(values: dict[str, Any], year: int = 2026, locale: str = "lv") -> dict[str, Any]:
    upload = read(template(year, values, locale=locale), year)
    assert upload.problems == []
    result = validate(get_definition(year), upload.raw)
    return result.values


# ---------------------------------------------------------------------------------------------- round trip

@pytest.mark.parametrize("locale", ["lv", "en"])
@pytest.mark.parametrize("year", YEARS)
def test_complete_answers_round_trip(year, locale):
    values = typed_answers(year)
    assert roundtrip(values, year, locale) == values


EDGES = {
    "predecessor_units_note": "=SUM(A1)",
    "support_offered_to_remigrants": "-5 things\nun vēl: āčēģīķļņšūž ĀČĒĢĪĶĻŅŠŪŽ\n\n" + "garš teksts " * 300,
    "respondent_phone": "+371 26123456",
    "business_support_gaps_needs": "@mention and +plus",
    "respondent_role_other": None,
    "ngo_grants_total_eur": "12 500,50",
    "specialist_support_eur": "0",
    "renovation_spend_eur": DONT_KNOW,
    "measures_5y_count_other": 0,
    "measures_5y_count_housing": DONT_KNOW,
    "state_support_sufficiency_score": DONT_KNOW,
    "eu_state_grant_uptake_score": 10,
    "measures_5y_types": ["business_start_support", "housing_support", "other"],
    "reasons_no_remigration_measures": [DONT_KNOW],
    "job_partners": None,
    "extra_latvian_lessons": "yes", "extra_lessons_hours_per_week": "2,5",
    "contacts_confirmed_on": "2026-02-28",
    "contact_persons": [
        {"name": "=HYPERLINK(\"http://x\")", "position": "-", "fte_share": "0,25", "email": "a@cesis.lv",
         "languages": ["lv", "en"], "is_public": "hard_to_say"},
        {"name": "Jānis Ozoliņš", "phone": "+371 26123456", "fte_share": "1", "languages": None},
    ],
    "diaspora_activities": [
        {"activity_type": None, "activity_date": dt.date(2026, 5, 4), "is_online": "no", "country": "Īrija",
         "participants": DONT_KNOW, "activity_note": "Tikšanās Dublinā"},
    ],
    "grant_programmes": [
        {"name": "Konkurss", "kind": "startup_grant", "eligibility": "open_to_all", "max_grant_eur": "5000",
         "total_fund_eur": "30000", "cofinancing_pct": "12.5", "applications_received": 20,
         "applications_evaluated": 15, "applications_supported": 6, "remigrant_extra_points": "yes"},
        {"name": "Otrs", "kind": "other", "eligibility": "remigrants_only", "max_grant_eur": DONT_KNOW},
    ],
    "budget_lines": [],
}


@pytest.mark.parametrize("locale", ["lv", "en"])
def test_edge_values_round_trip(locale):
    values = typed_answers(2026, **EDGES)
    assert values["ngo_grants_total_eur"] == Decimal("12500.50")
    assert values["contact_persons"][0]["fte_share"] == Decimal("0.25")
    assert roundtrip(values, 2026, locale) == values


def _custom_definition() -> ReturnDefinition:
    row = (Field("delta", FieldType.DECIMAL, Text("Izmaiņas", "Change"), min=-100),
           Field("when", FieldType.DATE, Text("Kad", "When")))
    fields = (Field("balance_eur", FieldType.MONEY, Text("Atlikums", "Balance"), min=-1_000_000),
              Field("trend", FieldType.INTEGER, Text("Tendence", "Trend"), min=-10, max=10, allow_dont_know=True),
              Field("changes", FieldType.GROUP, Text("Izmaiņas [tabula]: 1/2", "Changes"), fields=row, max_rows=3))
    return ReturnDefinition(2026, "custom.1", Text("Tests", "Test"), (Section("numbers", Text("Skaitļi", "Numbers"),
                                                                              None, fields),))


def test_negative_numbers_round_trip_where_a_definition_allows_them():
    definition = _custom_definition()
    values = validate(definition, {"balance_eur": "-12 500,50", "trend": -3, "changes": [
        {"delta": "-0,0001", "when": "2026-01-31", "_uid": uuid.uuid4().hex}, {"delta": 0}]}).values
    assert values["balance_eur"] == Decimal("-12500.50") and values["trend"] == -3
    upload = read_template(template(2026, values, definition=definition), definitions=lambda year: definition,
                           expected_municipality="cesis", expected_year=2026)
    assert upload.problems == []
    assert validate(definition, upload.raw).values == values
    assert "Izmaiņas tabula 1 2" in sheet_titles(definition, "lv").values()


def test_empty_return_round_trips():
    definition = get_definition(2025)
    values = validate(definition, {}).values
    assert roundtrip(values, 2025) == values


def test_formula_like_text_is_written_as_quoted_text():
    wb = openpyxl.load_workbook(io.BytesIO(template(2026, typed_answers(2026, **EDGES))))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    risky = [c for c in cells if isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in risky} >= {"=SUM(A1)", "+371 26123456", "=HYPERLINK(\"http://x\")", "-"}
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)


TEXTS = ReturnDefinition(2026, "texts.1", Text("Tests", "Test"), (Section("texts", Text("Teksti", "Texts"), None, (
    Field("note", FieldType.LONG_TEXT, Text("Piezīme", "Note")), Field("name", FieldType.TEXT, Text("Vārds", "Name")),
    Field("rows", FieldType.GROUP, Text("Rindas", "Rows"), fields=(Field("text", FieldType.TEXT, Text("T", "T")),)),
)),))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n=+-@'\"<>&;_x0D"),
               min_size=1, max_size=80))
def test_any_text_round_trips(text):
    values = validate(TEXTS, {"note": text, "name": text, "rows": [{"text": text}]}).values
    upload = read_template(template(2026, values, definition=TEXTS), definitions=lambda year: TEXTS,
                           expected_municipality="cesis", expected_year=2026)
    assert upload.problems == []
    assert validate(TEXTS, upload.raw).values == values


@pytest.mark.parametrize("text", ["_x0041_", "a_x000D_b", "=A1", "\tx", "'quoted", "  spaced  ", "x" * 300])
def test_awkward_texts_round_trip(text):
    test_any_text_round_trips.hypothesis.inner_test(text)


# -------------------------------------------------------------------------------------------------- layout

def test_layout():
    definition = get_definition(2026)
    wb = openpyxl.load_workbook(io.BytesIO(template(2026)))
    titles = sheet_titles(definition, "lv")
    assert wb.sheetnames[0] == "Norādījumi"
    assert wb.sheetnames[-2:] == [LISTS_SHEET, META_SHEET]
    assert wb[META_SHEET].sheet_state == "veryHidden" and wb[LISTS_SHEET].sheet_state == "hidden"
    assert set(titles.values()) < set(wb.sheetnames)
    assert wb.security.lockStructure
    for title in titles.values():
        ws = wb[title]
        assert ws.protection.sheet
        assert len(title) <= 31 and not set(title) & set("[]:*?/\\")
    assert len({t.casefold() for t in titles.values()}) == len(titles)
    ws = wb[titles["budget"]]
    assert [c.value for c in ws[1]] == ["Kods", "Jautājums", "Atbilde", "Piezīmes"]
    row = row_of(ws, "ngo_grants_total_eur")
    assert ws.cell(row, 1).protection.locked and not ws.cell(row, 3).protection.locked
    assert ws.cell(row, 3).number_format == "#,##0.00"
    assert "EUR" in ws.cell(row, 4).value and "Grūti pateikt" in ws.cell(row, 4).value
    url_row = row_of(ws, "spending_results_url")
    assert "Atbildiet tikai tad, ja" in ws.cell(url_row, 4).value and "«Jā»" in ws.cell(url_row, 4).value


def test_choices_have_drop_downs_from_the_lists_sheet():
    definition = get_definition(2026)
    wb = openpyxl.load_workbook(io.BytesIO(template(2026)))
    ws = wb[sheet_titles(definition, "lv")["attitudes"]]
    cell = ws.cell(row_of(ws, "emigration_active_problem"), 3)
    assert cell.value == "Jā"
    validations = [dv for dv in ws.data_validations.dataValidation if cell.coordinate in dv.sqref]
    assert validations and validations[0].type == "list" and validations[0].formula1.startswith("'_lists'!")
    column = validations[0].formula1.split("!")[1].split(":")[0].replace("$", "")
    lists = wb[LISTS_SHEET]
    col = openpyxl.utils.column_index_from_string("".join(ch for ch in column if ch.isalpha()))
    assert [lists.cell(r, col).value for r in range(2, 5)] == ["Jā", "Nē", "Grūti pateikt"]


def test_multi_choice_is_one_row_per_option():
    values = typed_answers(2026, measures_5y_types=["housing_support"])
    wb = openpyxl.load_workbook(io.BytesIO(template(2026, values, locale="en")))
    ws = wb[sheet_titles(get_definition(2026), "en")["measures"]]
    assert ws.cell(row_of(ws, "measures_5y_types=housing_support"), 3).value == "Yes"
    assert ws.cell(row_of(ws, "measures_5y_types=other"), 3).value == "No"
    assert ws.cell(row_of(ws, "measures_5y_types=other"), 2).value.startswith("Other (e.g.")


def test_group_sheet_layout():
    definition = get_definition(2026)
    values = typed_answers(2026)
    wb = openpyxl.load_workbook(io.BytesIO(template(2026, values)))
    ws = wb[sheet_titles(definition, "lv")["contact_persons"]]
    assert ws.title == "Kontaktpersonas (tabula)"
    group = definition.field("contact_persons")
    assert [c.value for c in ws[1]] == ["_uid", *(c.key for c in group.fields)]
    assert ws["A3"].value == values["contact_persons"][0]["_uid"] and ws["A3"].protection.locked
    assert ws["B3"].value == "Ilze Bērziņa" and not ws["B3"].protection.locked
    assert ws.max_row == 2 + group.max_rows and not ws.cell(ws.max_row, 2).protection.locked
    assert ws["B2"].comment is not None


def test_meta_sheet():
    wb = openpyxl.load_workbook(io.BytesIO(template(2026)))
    rows = {r[0]: r[1:] for r in wb[META_SHEET].iter_rows(values_only=True)}
    assert rows["municipality"][0] == "cesis" and rows["year"][0] == "2026"
    assert rows["template_format"][0] == TEMPLATE_FORMAT and rows["definition_version"][0] == "2026.1"
    upload = read(template(2026))
    assert upload.base_version == 7 and upload.fingerprints == {"has_business_grants": "abc123"}
    assert (upload.municipality, upload.year, upload.definition_version) == ("cesis", 2026, "2026.1")


# ---------------------------------------------------------------------------------------------- refusals

def _meta(name: str, value: str) -> Callable[[openpyxl.Workbook], None]:
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[META_SHEET]
        ws.cell(row_of(ws, name), 2).value = value
    return change


def refused(data: bytes, year: int = 2026, municipality: str = "cesis") -> WorkbookRefused:
    with pytest.raises(WorkbookRefused) as caught:
        read(data, year, municipality)
    return caught.value


def test_another_municipality_is_refused_naming_both():
    exc = refused(template(2026), municipality="valmiera")
    assert exc.code == "wrong_municipality" and "cesis" in exc.en and "valmiera" in exc.lv


def test_another_year_is_refused():
    exc = refused(template(2025), year=2026)
    assert exc.code == "wrong_year" and "2025" in exc.lv and "2026" in exc.en


def test_an_older_template_format_is_refused():
    exc = refused(edit(template(2026), _meta("template_format", "0")))
    assert exc.code == "old_template" and "older version" in exc.en


def test_an_older_definition_version_is_refused():
    exc = refused(edit(template(2026), _meta("definition_version", "2026.0")))
    assert exc.code == "old_definition" and "download a new template" in exc.en.lower()


@pytest.mark.parametrize("change", [
    lambda wb: wb.remove(wb[META_SHEET]),
    _meta("format", "something else"),
    _meta("year", "twenty"),
    _meta("locale", "de"),
])
def test_missing_or_garbled_meta_is_not_our_template(change):
    assert refused(edit(template(2026), change)).code == "not_template"


def test_a_plain_workbook_is_not_our_template():
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    assert refused(buf.getvalue()).code == "not_template"


def test_a_renamed_sheet_is_refused_naming_it():
    def rename(wb: openpyxl.Workbook) -> None:
        wb["Budžets un finansējums"].title = "Budžets"
    exc = refused(edit(template(2026), rename))
    assert exc.code == "sheet_missing" and "Budžets un finansējums" in exc.lv


def test_a_deleted_group_sheet_is_refused():
    exc = refused(edit(template(2026), lambda wb: wb.remove(wb["Grantu programmas"])))
    assert exc.code == "sheet_missing" and "Grantu programmas" in exc.en


def test_the_guard_runs_first():
    with pytest.raises(WorkbookRefused) as caught:
        read(b"")
    assert caught.value.code == "empty"
    with pytest.raises(WorkbookRefused) as caught:
        read_template(template(2026), definitions=get_definition, expected_municipality="cesis",
                      expected_year=2026, max_bytes=1000)
    assert caught.value.code == "too_big"


# ---------------------------------------------------------------------------------------------- problems

def problems_after(change: Callable[[openpyxl.Workbook], Any]) -> TemplateUpload:
    return read(edit(template(2026), change))


@pytest.mark.parametrize(("value", "kwargs"), [
    ("=1+1", {}),
    ("+1", {"data_type": "s"}),
    ("-1", {"data_type": "s"}),
    ("@SUM(1)", {"data_type": "s"}),
])
def test_formulas_and_formula_like_text_are_reported(value, kwargs):
    where: dict[str, str] = {}
    upload = problems_after(lambda wb: where.setdefault("cell", set_answer(wb, "joint_activities", value, **kwargs)))
    [p] = upload.problems
    assert p.code == ("formula" if value == "=1+1" else "risky_text")
    assert p.ref.sheet == "Sadarbība" and p.ref.cell == where["cell"]
    assert "Sadarbība" in p.lv and where["cell"] in p.en and "formula" in p.en.lower()
    assert upload.raw["joint_activities"] is None


def test_formula_like_text_with_a_quote_prefix_is_accepted():
    upload = problems_after(lambda wb: set_answer(wb, "joint_activities", "-5 things", quote=True))
    assert upload.problems == [] and upload.raw["joint_activities"] == "-5 things"


def test_an_edited_key_column_is_reported():
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Budžets un finansējums"]
        ws.cell(row_of(ws, "ngo_grants_total_eur"), 1).value = "ngo_grants"
    [p] = problems_after(change).problems
    assert p.code == "key_changed" and p.ref.cell.startswith("A") and "ngo_grants_total_eur" in p.en


def test_an_extra_row_is_reported():
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Sadarbība"]
        ws.cell(ws.max_row + 2, 1).value = "invented_question"
    [p] = problems_after(change).problems
    assert p.code == "unknown_key" and "invented_question" in p.lv


def test_an_unknown_choice_names_the_allowed_values():
    upload = problems_after(lambda wb: set_answer(wb, "emigration_active_problem", "Varbūt"))
    [p] = upload.problems
    assert p.code == "unknown_choice" and "Varbūt" in p.lv and "Grūti pateikt" in p.lv and "Hard to say" in p.en


def test_codes_and_labels_of_either_language_are_accepted():
    def change(wb: openpyxl.Workbook) -> None:
        set_answer(wb, "emigration_active_problem", "No")
        set_answer(wb, "remigration_promotion_topicality", "rather_topical")
        set_answer(wb, "measures_5y_count_housing", "hard to say")
        set_answer(wb, "state_support_sufficiency_score", 7.0)
        set_answer(wb, "ngo_grants_total_eur", 12500.5)
        set_answer(wb, "measures_5y_types=housing_support", "x")
        set_answer(wb, "measures_5y_types=other", "Yes")
    upload = problems_after(change)
    assert upload.problems == []
    values = validate(get_definition(2026), upload.raw).values
    assert values["emigration_active_problem"] == "no"
    assert values["remigration_promotion_topicality"] == "rather_topical"
    assert values["measures_5y_count_housing"] == DONT_KNOW
    assert values["state_support_sufficiency_score"] == 7
    assert values["ngo_grants_total_eur"] == Decimal("12500.50")
    assert values["measures_5y_types"] == ["housing_support", "other"]


def test_a_wrong_option_answer_is_reported():
    [p] = problems_after(lambda wb: set_answer(wb, "job_partners=liaa", "varbūt")).problems
    assert p.code == "unknown_choice" and "Jā; Nē" in p.lv


def test_a_changed_group_header_is_reported():
    def change(wb: openpyxl.Workbook) -> None:
        wb["Kontaktpersonas (tabula)"]["C1"].value = "role"
    [p] = problems_after(change).problems
    assert p.code == "header_changed" and p.ref.cell == "C1" and "position" in p.en


def test_a_damaged_uid_is_reported():
    def change(wb: openpyxl.Workbook) -> None:
        wb["Kontaktpersonas (tabula)"]["A3"].value = "not-a-uid"
    upload = problems_after(change)
    [p] = upload.problems
    assert p.code == "bad_uid" and p.ref.cell == "A3"
    assert "_uid" not in upload.raw["contact_persons"][0]


def test_group_rows_added_in_excel_and_blank_rows_between():
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["Kontaktpersonas (tabula)"]
        ws["B6"].value = "Pēteris Kalniņš"
        ws["E6"].value = "not an e-mail"
        ws["H6"].value = "Nē"
        ws["G6"].value = "Latviešu; angļu"
    upload = problems_after(change)
    assert upload.problems == []
    rows = upload.raw["contact_persons"]
    assert len(rows) == 2 and "_uid" not in rows[1] and rows[1]["languages"] == ["lv", "en"]
    result = validate(get_definition(2026), upload.raw)
    [issue] = [i for i in result.errors if i.path.startswith("contact_persons")]
    assert issue.path == "contact_persons[1].email"
    assert upload.cells[issue.path].cell == "E6" and upload.cells[issue.path].sheet == "Kontaktpersonas (tabula)"
    assert upload.cells["contact_persons[1]"].cell == "B6"


def test_issue_paths_map_to_cells():
    def change(wb: openpyxl.Workbook) -> None:
        set_answer(wb, "returnees_persons", "daudzi")
        set_answer(wb, "measures_5y_types=other", "Jā")
        set_answer(wb, "measures_5y_types=hard_to_say", "Jā")
    upload = problems_after(change)
    result = validate(get_definition(2026), upload.raw)
    paths = {i.path for i in result.errors}
    assert {"returnees_persons", "measures_5y_types"} <= paths
    for path in paths:
        ref = upload.cells[path]
        assert ref.sheet and ref.cell and ref.label
    assert upload.cells["returnees_persons"].label == "Atgriezušies iedzīvotāji (personas)" or \
        upload.cells["returnees_persons"].label == get_definition(2026).field("returnees_persons").label.lv


def test_every_field_and_group_has_a_cell():
    upload = read(template(2026))
    definition = get_definition(2026)
    assert {f.key for f in definition.iter_fields()} <= set(upload.cells)
    assert set(upload.raw) == {f.key for f in definition.iter_fields()}


def test_a_percent_typed_with_a_percent_sign_is_per_cent():
    def change(wb: openpyxl.Workbook) -> None:
        cell = wb["Grantu programmas"]["H3"]  # cofinancing_pct
        cell.value = 0.125
        cell.number_format = "0.0%"
    upload = problems_after(change)
    assert upload.cells["grant_programmes[0].cofinancing_pct"].cell == "H3"
    programme = validate(get_definition(2026), upload.raw).values["grant_programmes"][0]
    assert programme["cofinancing_pct"] == Decimal("12.5")


@pytest.mark.parametrize("text", ["#N/A", "#DIV/0!", "a\x0bb\x01c"])
def test_error_codes_and_control_characters_in_text(text):
    values = validate(TEXTS, {"note": text, "name": "x"}).values
    upload = read_template(template(2026, values, definition=TEXTS), definitions=lambda year: TEXTS,
                           expected_municipality="cesis", expected_year=2026)
    assert upload.problems == []
    assert upload.raw["note"] == text.replace("\x0b", "").replace("\x01", "")


@pytest.mark.parametrize("cell", ["A1048576", "XFD1"])
def test_a_cell_far_outside_the_template_is_refused_before_the_sheet_is_walked(cell):
    """One stray cell would make a reader create a million cells: the used range is bounded first."""
    data = edit(template(), lambda wb: wb.worksheets[3].__setitem__(cell, "x"))
    with pytest.raises(WorkbookRefused) as caught:
        read(data)
    assert caught.value.code == "too_far" and cell.strip("A1") in caught.value.en  # "1048576" / "XFD"
