"""Reading many municipalities' returns from one workbook in the benchmark layout (Data sheet and group sheets)."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from decimal import Decimal
from typing import Any, Callable, Iterable

import openpyxl
import pytest

from forms import DONT_KNOW, Field, FieldType, definition_years, get_definition, validate
from reports.excel import BulkUpload, UnitResolution, WorkbookRefused
from reports.excel.bulk import read_bulk
from tests.factories import complete_answers

UNITS = {"cesis", "valmiera", "ludza"}
FIXED = ["municipality", "municipality_name", "region", "region_name", "year", "status"]


def typed(year: int, **changes: Any) -> dict[str, Any]:
    definition = get_definition(year)
    values = validate(definition, {**complete_answers(min(max(year, 2025), 2026)), **changes}).values
    for f in definition.iter_fields():
        if f.is_group:
            for row in values[f.key]:
                row["_uid"] = uuid.uuid4().hex
    return values


def put(cell: Any, value: Any) -> None:
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"
        if value.startswith(("=", "+", "-", "@")):
            cell.quotePrefix = True
    else:
        cell.value = value


def shown(f: Field, value: Any, labels: bool) -> Any:
    """A typed value as the benchmark writer shows it: codes (or labels), ``;``-separated lists."""
    if value is None:
        return None
    if f.type in (FieldType.YES_NO_DK, FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE) or value == DONT_KNOW:
        codes = value if isinstance(value, list) else [value]
        if labels:
            codes = [f.choice(c).lv if f.choice(c) else "Grūti pateikt" for c in codes]
        return ";".join(codes)
    return value


def bulk_workbook(units: Iterable[tuple[str, int, dict[str, Any]]], *, labels: bool = False,
                  change: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    units = list(units)
    definitions = {year: get_definition(year if year in definition_years() else 2025) for _, year, _ in units}
    keys = list(dict.fromkeys(f.key for d in definitions.values() for f in d.iter_fields()
                              if not f.is_group and not f.is_personal))[::-1]  # any order
    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = "README"
    readme["A1"] = "=1+1"  # ignored sheets are not read
    wb.create_sheet("Codebook")["A1"] = "@anything"
    data = wb.create_sheet("Data")
    for col, key in enumerate(FIXED + keys, start=1):
        put(data.cell(1, col), key)
    groups: dict[str, Any] = {}
    for row, (slug, year, values) in enumerate(units, start=2):
        d = definitions[year]
        for col, value in enumerate([slug, f"{slug.title()} novads", "vidzeme", "Vidzeme", year, "approved"], 1):
            put(data.cell(row, col), value)
        for col, key in enumerate(keys, start=len(FIXED) + 1):
            if d.has_field(key):
                put(data.cell(row, col), shown(d.field(key), values.get(key), labels))
        for g in (f for f in d.iter_fields() if f.is_group):
            ws = groups.get(g.key) or _group_sheet(wb, groups, g, definitions.values())
            for number, entry in enumerate(values.get(g.key) or [], start=1):
                line = [slug, year, number, entry.get("_uid")] + [shown(c, entry.get(c.key), labels) for c in g.fields]
                ws.append([None] * len(line))
                for col, value in enumerate(line, start=1):
                    put(ws.cell(ws.max_row, col), value)
    wb.create_sheet("Indicators")
    if change:
        change(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _group_sheet(wb: openpyxl.Workbook, groups: dict[str, Any], g: Field, definitions: Iterable[Any]) -> Any:
    children = list(dict.fromkeys(c.key for d in definitions for c in d.field(g.key).fields))
    ws = wb.create_sheet(g.key[:31])
    ws.append(["municipality", "year", "row", "row_id", *children])
    groups[g.key] = ws
    return ws


def read(data: bytes, year: int | None = None) -> BulkUpload:
    return read_bulk(data, definitions=get_definition, known_units=UNITS, year=year)


def without_personal(year: int, values: dict[str, Any], *, children: bool = False) -> dict[str, Any]:
    """The answers a research export holds: no personal fields (nor, with ``children``, personal group columns)."""
    definition = get_definition(year)
    kept = {k: v for k, v in values.items() if definition.has_field(k) and not definition.field(k).is_personal}
    if children:
        for f in definition.iter_fields():
            personal = {c.key for c in f.fields if c.is_personal}
            if f.is_group and personal:  # nor their row ids, which would follow a person from year to year
                kept[f.key] = [{k: v for k, v in row.items() if k not in personal and k != "_uid"}
                               for row in kept.get(f.key, [])]
    return validate(definition, kept).values


def codes(upload: BulkUpload) -> list[str]:
    return [p.code for p in upload.problems]


# ---------------------------------------------------------------------------------------------- round trip

@pytest.mark.parametrize("labels", [False, True])
def test_bulk_workbook_round_trips(labels):
    units = [("cesis", 2025, typed(2025)), ("valmiera", 2025, typed(2025, has_business_grants="no",
                                                                     grant_programmes=[], returnees_persons=DONT_KNOW)),
             ("cesis", 2026, typed(2026, measures_5y_types=["housing_support", "other"],
                                   ngo_grants_total_eur="12 500,50", predecessor_units_note="=SUM(A1)"))]
    upload = read(bulk_workbook(units, labels=labels))
    assert upload.problems == []
    assert [(r.unit, r.year) for r in upload.rows] == [("cesis", 2025), ("valmiera", 2025), ("cesis", 2026)]
    for row, (_, year, values) in zip(upload.rows, units):
        assert validate(get_definition(year), row.raw).values == without_personal(year, values)


def test_a_history_year_round_trips_and_group_rows_follow_their_row_number():
    values = typed(2022, contact_persons=[{"name": "A", "email": "a@cesis.lv"}, {"name": "B", "email": "b@cesis.lv"}])

    def shuffle(wb: openpyxl.Workbook) -> None:
        ws = wb["contact_persons"]
        first, second = ([c.value for c in ws[r]] for r in (2, 3))
        for col, value in enumerate(second, 1):
            ws.cell(2, col).value = value
        for col, value in enumerate(first, 1):
            ws.cell(3, col).value = value
    upload = read(bulk_workbook([("ludza", 2022, values)], change=shuffle), year=2022)
    assert upload.problems == []
    got = validate(get_definition(2022), upload.rows[0].raw).values
    assert [r["name"] for r in got["contact_persons"]] == ["A", "B"]
    assert got == without_personal(2022, values)


def test_cells_map_issue_paths_to_the_sheet_rows():
    values = typed(2026, contact_persons=[{"name": "A", "email": "a@cesis.lv"}, {"name": "B", "email": "b@x.lv"}])

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["contact_persons"]
        ws.insert_rows(3)  # a blank row between the two entries
        ws["H4"].value = "not an e-mail"  # column H: email
        data = wb["Data"]
        col = [c.value for c in data[1]].index("returnees_persons") + 1
        data.cell(2, col).value = "many"
    upload = read(bulk_workbook([("cesis", 2026, values)], change=change))
    [row] = upload.rows
    assert upload.problems == []
    result = validate(get_definition(2026), row.raw)
    paths = {i.path for i in result.errors}
    assert {"contact_persons[1].email", "returnees_persons"} <= paths
    assert row.cells["contact_persons[1].email"].cell == "H4" and row.cells["contact_persons[1].email"].sheet == \
        "contact_persons"
    assert row.cells["returnees_persons"].sheet == "Data" and row.cells["municipality"].cell == "A2"


# ---------------------------------------------------------------------------------------------- problems

def _data_cell(wb: openpyxl.Workbook, row: int, key: str) -> Any:
    ws = wb["Data"]
    return ws.cell(row, [c.value for c in ws[1]].index(key) + 1)


def test_rows_that_cannot_be_imported_are_reported():
    units = [("cesis", 2025, typed(2025)), ("riga-x", 2025, typed(2025)), ("valmiera", 2026, typed(2026)),
             ("cesis", 2025, typed(2025)), ("ludza", 2019, typed(2025))]
    upload = read(bulk_workbook(units), year=2025)
    assert [(r.unit, r.year) for r in upload.rows] == [("cesis", 2025)]
    # rows of other years are not read, and are not problems either: they are said, one line per year
    assert codes(upload) == ["unknown_unit", "duplicate_row"]
    assert [(p.code, p.ref.cell) for p in upload.skipped] == [("other_year", "E6"), ("other_year", "E4")]
    assert "the rows of 2019 were not read (rows: 6) — 2025 is being imported" in upload.skipped[0].en
    upload = read(bulk_workbook(units))
    assert "no_definition" in codes(upload) and "wrong_year" not in codes(upload)
    assert [p for p in upload.problems if p.code == "no_definition"][0].ref.cell == "E6"


def test_group_rows_without_a_data_row_are_reported():
    def change(wb: openpyxl.Workbook) -> None:
        wb["contact_persons"].append(["valmiera", 2026, 1, None, "Anna", None, None, "anna@valmiera.lv"])
    upload = read(bulk_workbook([("cesis", 2026, typed(2026))], change=change))
    assert codes(upload) == ["orphan_group_row"]
    assert "valmiera" in upload.problems[0].en and upload.problems[0].ref.sheet == "contact_persons"


@pytest.mark.parametrize(("value", "code"), [("=1+1", "formula"), ("+1", "risky_text"), ("-1", "risky_text"),
                                             ("@SUM(1)", "risky_text")])
def test_formulas_and_formula_like_text_are_reported(value, code):
    def change(wb: openpyxl.Workbook) -> None:
        cell = _data_cell(wb, 2, "joint_activities")
        cell.value = value
        if value != "=1+1":
            cell.data_type = "s"
    upload = read(bulk_workbook([("cesis", 2026, typed(2026))], change=change))
    assert codes(upload) == [code]
    assert upload.problems[0].ref.sheet == "Data" and "Data" in upload.problems[0].lv
    assert upload.rows[0].raw["joint_activities"] is None


def test_unknown_columns_and_sheets_are_reported():
    def change(wb: openpyxl.Workbook) -> None:
        data = wb["Data"]
        data.cell(1, data.max_column + 1).value = "invented_variable"
        wb["contact_persons"].cell(1, 20).value = "shoe_size"
        wb.create_sheet("Notes")
    upload = read(bulk_workbook([("cesis", 2026, typed(2026))], change=change))
    assert sorted(codes(upload)) == ["unknown_column", "unknown_column", "unknown_sheet"]
    assert any("invented_variable" in p.en for p in upload.problems)


def test_a_field_of_another_year_is_reported_when_filled():
    values = typed(2025)

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["grant_programmes"]
        col = [c.value for c in ws[1]].index("firms_operating_after_1y") + 1
        ws.cell(2, col).value = 3
    upload = read(bulk_workbook([("cesis", 2025, values), ("cesis", 2026, typed(2026))], change=change))
    assert codes(upload) == ["field_not_in_year"]


def test_bad_row_numbers_ids_and_choices_are_reported():
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["contact_persons"]
        ws["C2"].value = "first"
        ws["D2"].value = "not-a-uid"
        _data_cell(wb, 2, "emigration_active_problem").value = "maybe"
    upload = read(bulk_workbook([("cesis", 2026, typed(2026))], change=change))
    assert sorted(codes(upload)) == ["bad_row_number", "bad_uid", "unknown_choice"]
    choice = next(p for p in upload.problems if p.code == "unknown_choice")
    assert "yes; no; hard_to_say" in choice.en


def test_numbers_and_dates_as_excel_gives_them():
    def change(wb: openpyxl.Workbook) -> None:
        _data_cell(wb, 2, "ngo_grants_total_eur").value = 12500.5
        _data_cell(wb, 2, "returnees_persons").value = 25.0
        _data_cell(wb, 2, "contacts_confirmed_on").value = dt.datetime(2026, 11, 2)
        _data_cell(wb, 2, "year").value = 2026.0
    upload = read(bulk_workbook([("cesis", 2026, typed(2026))], change=change))
    assert upload.problems == []
    values = validate(get_definition(2026), upload.rows[0].raw).values
    assert values["ngo_grants_total_eur"] == Decimal("12500.50") and values["returnees_persons"] == 25
    assert values["contacts_confirmed_on"] == dt.date(2026, 11, 2)


def test_a_workbook_without_a_data_sheet_is_refused():
    def change(wb: openpyxl.Workbook) -> None:
        wb["Data"].title = "Dati"
    with pytest.raises(WorkbookRefused) as caught:
        read(bulk_workbook([("cesis", 2026, typed(2026))], change=change))
    assert caught.value.code == "no_data_sheet"


def test_a_data_sheet_without_municipality_and_year_is_refused():
    def change(wb: openpyxl.Workbook) -> None:
        wb["Data"]["A1"].value = "pašvaldība"
    with pytest.raises(WorkbookRefused) as caught:
        read(bulk_workbook([("cesis", 2026, typed(2026))], change=change))
    assert caught.value.code == "bad_header"


def test_the_upload_guard_applies():
    with pytest.raises(WorkbookRefused) as caught:
        read(b"municipality,year\ncesis,2025\n")
    assert caught.value.code == "not_xlsx"


def test_percent_cells_of_the_benchmark_format_are_not_scaled():
    def change(wb: openpyxl.Workbook) -> None:
        ws = wb["grant_programmes"]
        col = [c.value for c in ws[1]].index("cofinancing_pct") + 1
        ws.cell(2, col).value = 12.5
        ws.cell(2, col).number_format = '0.0" %"'
        ws.cell(3, col).value = 0.125
        ws.cell(3, col).number_format = "0.0%"
    values = typed(2026, grant_programmes=[{"name": "A", "kind": "other", "eligibility": "open_to_all"},
                                           {"name": "B", "kind": "other", "eligibility": "open_to_all"}])
    upload = read(bulk_workbook([("cesis", 2026, values)], change=change))
    got = validate(get_definition(2026), upload.rows[0].raw).values["grant_programmes"]
    assert [r["cofinancing_pct"] for r in got] == [Decimal("12.5"), Decimal("12.5")]


@pytest.mark.parametrize("use_labels", [False, True])
@pytest.mark.parametrize("locale", ["lv", "en"])
def test_the_researchers_workbook_reads_back(use_labels, locale):
    benchmark = pytest.importorskip("reports.excel.benchmark")
    if not hasattr(benchmark, "write_benchmark_workbook"):
        pytest.skip("no benchmark writer")
    from reports.excel import ExportUnit, WorkbookInfo

    definitions = {year: get_definition(year) for year in (2025, 2026)}
    values = {2025: typed(2025), 2026: typed(2026, measures_5y_types=["housing_support", "other"],
                                             renovation_spend_eur=DONT_KNOW, predecessor_units_note="=SUM(A1)")}
    units = [ExportUnit("cesis", "Cēsu novads", "vidzeme", "Vidzeme", year, "approved", values[year])
             for year in (2025, 2026)]
    info = WorkbookInfo(generated_at=dt.datetime(2026, 11, 20, tzinfo=dt.timezone.utc), years=(2025, 2026),
                        statuses=("approved",), locale=locale, use_labels=use_labels)
    buf = io.BytesIO()
    benchmark.write_benchmark_workbook(buf, definitions=definitions, units=units, reports={}, info=info)
    upload = read(buf.getvalue())
    assert upload.problems == []
    for row in upload.rows:
        d = definitions[row.year]
        assert validate(d, row.raw).values == without_personal(row.year, values[row.year], children=True)


def test_an_unknown_multi_choice_item_is_named_alone():
    def change(wb: openpyxl.Workbook) -> None:
        _data_cell(wb, 2, "measures_5y_types").value = "housing_support;business_grants"
    [p] = read(bulk_workbook([("cesis", 2026, typed(2026))], change=change)).problems
    assert p.code == "unknown_choice" and "“business_grants”" in p.en and "housing_support;" not in p.en.split(":")[1]


def test_a_cell_far_outside_any_bulk_layout_is_refused():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["municipality", "year"])
    ws.append(["cesu-novads", 2022])
    ws.cell(3000, 3000, "x")
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(WorkbookRefused) as caught:
        read(buf.getvalue())
    assert caught.value.code == "too_far"


# ------------------------------------------------------------------- a resolver: names before the 2021 reform

def _resolver(text: str, year: int) -> UnitResolution:
    """A stand-in for the application's resolver: two former municipalities of "cesis", one divided."""
    if text in ("Priekuļu novads", "Amatas novads"):
        return UnitResolution("cesis", text, "Cēsu novads")
    if text == "Inčukalna novads":
        return UnitResolution(None, text, "", ("Siguldas novads", "Ropažu novads"))
    return UnitResolution(None)


def test_a_resolved_pre_reform_name_is_read_as_its_successor_with_its_table_rows_and_noted():
    values = typed(2025)
    data = bulk_workbook([("Priekuļu novads", 2025, values), ("valmiera", 2025, typed(2025))])
    upload = read_bulk(data, definitions=get_definition, known_units=UNITS, year=2025, resolve=_resolver)
    assert upload.problems == []
    assert {r.unit for r in upload.rows} == {"cesis", "valmiera"}
    row = next(r for r in upload.rows if r.unit == "cesis")
    groups = [f.key for f in get_definition(2025).iter_fields() if f.is_group and values.get(f.key)]
    assert groups and all(len(row.raw[key]) == len(values[key]) for key in groups)  # its table rows follow it
    assert [(n.row, n.written, n.unit) for n in upload.notes] == [(2, "Priekuļu novads", "cesis")]
    assert upload.notes[0].en == "Row 2: “Priekuļu novads” (before the 2021 reform) counted as Cēsu novads."
    assert upload.notes[0].ref.cell == "A2"
    # without a resolver, a name is not a slug
    assert "unknown_unit" in codes(read(data, 2025))


def test_two_rows_of_one_successor_and_a_divided_municipality_are_refused():
    data = bulk_workbook([("Priekuļu novads", 2025, typed(2025)), ("Amatas novads", 2025, typed(2025)),
                          ("Inčukalna novads", 2025, typed(2025))])
    upload = read_bulk(data, definitions=get_definition, known_units=UNITS, year=2025, resolve=_resolver)
    assert codes(upload) == ["reform_conflict", "reform_split"]
    conflict, split = upload.problems
    assert ("row 3 (“Amatas novads”) and row 2 (“Priekuļu novads”) are both Cēsu novads in 2025 after the 2021 "
            "reform") in conflict.en
    assert "“Inčukalna novads” was divided" in split.en and "Siguldas novads; Ropažu novads" in split.en
    assert [r.unit for r in upload.rows] == ["cesis"]  # refused rows and their table rows are not read


def test_a_past_years_table_row_under_an_unasked_gate_is_read_back():
    """A 2022 diaspora activity with a country but no "online?" answer: the gate was not asked that year, so the
    row is kept by forms.validate — and the bulk reader must keep it too (it once dropped it as "does not apply",
    losing the row in the export → import round trip)."""
    from forms import get_definition
    from reports.excel.upload import kept_rows

    group = get_definition(2022).field("diaspora_activities")
    rows = [{"country": "Vācija"}, {}]
    assert kept_rows(group, rows, gates_may_be_unasked=True) == [0]
    assert kept_rows(group, rows) == []  # a current year: the country of an activity not said to be in person


# ------------------------------------------------------------ one year out of a workbook of several (issue 15)

def _only_in(year: int, *others: int) -> str:
    """A question of ``year``'s form that none of ``others`` asks (a top-level one, not a table)."""
    asked = {f.key for y in others for f in get_definition(y).iter_fields()}
    return next(f.key for f in get_definition(year).iter_fields() if f.key not in asked and not f.is_group
                and not f.is_personal)


def test_one_year_is_read_from_a_workbook_of_several_whose_columns_exist_only_for_some_years():
    newer = _only_in(2027, 2022)
    units = [("cesis", 2022, typed(2022)), ("ludza", 2022, typed(2022)), ("cesis", 2025, typed(2025)),
             ("valmiera", 2025, typed(2025)), ("cesis", 2026, typed(2026))]

    def with_a_newer_column(wb: openpyxl.Workbook) -> None:
        data = wb["Data"]
        data.cell(1, data.max_column + 1).value = newer  # a column of 2027, whose year has no row in the file
    data = bulk_workbook(units, change=with_a_newer_column)
    upload = read_bulk(data, definitions=get_definition, known_units=UNITS, year=2022,
                       column_years=definition_years())
    assert upload.problems == []
    assert [(r.unit, r.year) for r in upload.rows] == [("cesis", 2022), ("ludza", 2022)]
    assert [p.ref.cell for p in upload.skipped] == ["E4", "E6"]  # 2025 (rows 4–5), 2026 (row 6): said, not read
    assert "rows: 4–5" in upload.skipped[0].en and "2022 is being imported" in upload.skipped[0].en
    assert "rindas: 4–5" in upload.skipped[0].lv
    for row, (_unit, _year, values) in zip(upload.rows, units):
        assert validate(get_definition(2022), row.raw).values == without_personal(2022, values)
    # without the years whose columns the file may have, the 2027 column is not known
    assert codes(read(data, 2022)) == ["unknown_column"]


def test_a_value_in_a_column_its_year_does_not_ask_is_reported_at_its_cell():
    newer = _only_in(2027, 2022)

    def fill(wb: openpyxl.Workbook) -> None:
        data = wb["Data"]
        data.cell(1, data.max_column + 1).value = newer  # 2027 only …
        data.cell(2, data.max_column).value = "yes"  # … filled in the 2022 row
        ws = wb["grant_programmes"]  # a table column of 2026 only, filled in a 2022 entry
        ws.cell(2, [c.value for c in ws[1]].index("firms_operating_after_1y") + 1).value = 3
    data = bulk_workbook([("cesis", 2022, typed(2022)), ("cesis", 2026, typed(2026))], change=fill)
    upload = read_bulk(data, definitions=get_definition, known_units=UNITS, year=2022,
                       column_years=definition_years())
    assert codes(upload) == ["field_not_in_year", "field_not_in_year"]
    top, table = upload.problems
    assert top.ref.sheet == "Data" and top.ref.cell.endswith("2") and f"the 2022 form has no question “{newer}”" \
        in top.en
    assert table.ref.sheet == "grant_programmes" and "firms_operating_after_1y" in table.en


def test_a_workbook_without_a_row_of_the_year_imported_is_refused_naming_its_years():
    data = bulk_workbook([("cesis", 2025, typed(2025)), ("cesis", 2026, typed(2026))])
    with pytest.raises(WorkbookRefused) as caught:
        read(data, 2022)
    assert caught.value.code == "no_rows_of_year" and "2025, 2026" in caught.value.en and "2022" in caught.value.lv


def test_row_numbers_are_said_as_ranges():
    from reports.excel.bulk import _ranges

    assert _ranges([2]) == "2"
    assert _ranges([2, 5, 9, 10, 11, 12, 14, 15]) == "2, 5, 9–12, 14–15"
