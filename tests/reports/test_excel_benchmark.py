"""The researchers' workbook and CSV zip: layout, values, formats, safety (formulas, personal data), streaming."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal as D
from pathlib import Path
from typing import Any, Iterator

import pytest
from openpyxl import Workbook, load_workbook

from forms import get_definition
from reports import compile_report, load_reference
from reports.excel.benchmark import (
    EUR, INDICATOR_COLUMNS, INTEGER, PERCENT, PP, write_benchmark_csv, write_benchmark_workbook,
)
from reports.excel.codebook import codebook_rows
from reports.excel.model import ExportUnit, WorkbookInfo
from reports.excel.safety import csv_field, safe_text_cell, set_safe_text

from .helpers import DK, rec

ROOT = Path(__file__).resolve().parents[2]
DEFINITIONS = {2025: get_definition(2025), 2026: get_definition(2026)}
STAMP = dt.datetime(2026, 11, 20, 9, 14, tzinfo=dt.timezone.utc)
T = "remigration_promotion_topicality"

PERSONAL = ("Ilze Bērziņa", "ilze.berzina@cesis.lv", "+371 26000001", "Jānis Kalniņš", "janis.kalnins@cesis.lv",
            "+371 29000002", "Attīstības nodaļas vadītāja", "Anna Ozola", "anna@rezekne.lv", "+371 20000003",
            "Cits amats", "head_development_planning", "d" * 32)


def contact(uid: str, name: str, email: str, phone: str, **more: Any) -> dict[str, Any]:
    return {"_uid": uid, "name": name, "position": "Attīstības nodaļas vadītāja", "email": email, "phone": phone,
            **more}


def cesis(year: int, **more: Any) -> ExportUnit:
    values: dict[str, Any] = {
        "respondent_name": "Ilze Bērziņa", "respondent_email": "ilze.berzina@cesis.lv",
        "respondent_phone": "+371 26000001", "respondent_role": "head_development_planning",
        T: "very_topical", "state_support_sufficiency_score": DK, "eu_state_grant_uptake_score": 8,
        "measures_5y_types": ["business_start_support", "housing_support"],
        "ngo_grants_total_eur": D("12345.67"), "returnees_persons": 1234, "returnees_families": DK,
        "extra_lessons_hours_per_week": D("2.5"), "contacts_confirmed_on": dt.date(year, 11, 2),
        "planned_measures_next_5y": "=1+1", "strategy_target_groups": "+37120000000",
        "respondent_role_other": "Cits amats", "joint_activities": "-minus", "predecessor_units_note": "@SUM(A1)",
        "support_offered_to_remigrants": 'Konsultācijas, "Mājas" un\nvēl',
        "grant_programmes": [
            {"_uid": "a" * 32, "name": "Cēsu konkurss", "kind": "startup_grant", "total_fund_eur": D("30000.00"),
             "cofinancing_pct": D("12.5"), "applications_received": 20},
            {"_uid": "b" * 32, "name": "=HYPERLINK(\"x\")", "total_fund_eur": DK, "applications_received": DK},
        ],
        "diaspora_activities": [{"_uid": "c" * 32, "activity_date": dt.date(year, 5, 4), "participants": 40}],
        "contact_persons": [
            contact("d" * 32, "Ilze Bērziņa", "ilze.berzina@cesis.lv", "+371 26000001", fte_share=D("0.2"),
                    languages=["lv", "en"], is_public="yes"),
            contact("e" * 32, "Jānis Kalniņš", "janis.kalnins@cesis.lv", "+371 29000002", is_public=DK),
        ],
    }
    values.update(more)
    return ExportUnit("cesis", "Cēsu novads", "vidzeme-region", "Vidzemes plānošanas reģions", year, "approved",
                      values)


def rezekne() -> ExportUnit:
    values = {"respondent_name": "Anna Ozola", "respondent_email": "anna@rezekne.lv",
              "respondent_phone": "+371 20000003", T: "rather_topical",
              "contact_persons": [contact("f" * 32, "Anna Ozola", "anna@rezekne.lv", "+371 20000003")]}
    return ExportUnit("rezekne", "Rēzeknes valstspilsēta", "latgale-region", "Latgales plānošanas reģions", 2026,
                      "submitted", values)


def units() -> list[ExportUnit]:
    return [cesis(2025), cesis(2026, returnees_persons=1300), rezekne()]


def info(**kw: Any) -> WorkbookInfo:
    base = {"generated_at": STAMP, "years": (2025, 2026), "statuses": ("approved", "submitted"),
            "snapshots": {2026: "snapshot 12, compiled 2026-11-20 09:14 UTC"},
            "sources": ("2017 BISS — version 1", "2022 survey — version 1"), "generated_by": "Remigration monitor"}
    return WorkbookInfo(**{**base, **kw})


# a, b, d are counted in Riga; c in Latgale; "cesu-novads" sent a draft, "rezeknes-novads" nothing
EXPECTED = {"a": "riga-region", "b": "riga-region", "c": "latgale-region", "d": "riga-region",
            "cesu-novads": "vidzeme-region", "rezeknes-novads": "latgale-region"}
NAMES = {"cesu-novads": "Cēsu novads", "rezeknes-novads": "Rēzeknes novads"}


@pytest.fixture(scope="module")
def report_2026() -> dict:
    reference = load_reference(json.loads((ROOT / "monitor" / "data" / "survey-baseline.json").read_text("utf-8")))
    records = [rec("a", **{T: "very_topical"}), rec("b", **{T: "very_topical"}),
               rec("c", region="latgale-region", **{T: "rather_topical"}), rec("d", **{T: DK}),
               rec("cesu-novads", region="vidzeme-region", status="draft", **{T: "not_at_all_topical"})]
    return compile_report(2026, records, reference=reference, expected=EXPECTED).to_dict()


def workbook(reports: dict | None = None, **kw: Any) -> tuple[Any, dict[str, int], bytes]:
    out = io.BytesIO()
    counts = write_benchmark_workbook(out, definitions=DEFINITIONS, units=iter(units()), reports=reports or {},
                                      info=info(**kw))
    return load_workbook(io.BytesIO(out.getvalue())), counts, out.getvalue()


def table(ws: Any) -> list[dict[str, Any]]:
    header, *rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(header, row)) for row in rows]


def cell(ws: Any, row: int, key: str) -> Any:
    header = [c.value for c in ws[1]]
    return ws.cell(row, header.index(key) + 1)


# ------------------------------------------------------------------------------------------------ safety

def test_safe_text_cell_keeps_harmless_text_and_disarms_formulas():
    ws = Workbook(write_only=True).create_sheet("x")
    assert safe_text_cell(ws, "Cēsis") == "Cēsis"
    for text in ("=1+1", "+1", "-1", "@A1", "\tx", "\rx", "#N/A"):
        found = safe_text_cell(ws, text)
        assert found.value == text and found.data_type == "s" and found.quotePrefix
    assert safe_text_cell(ws, "a\x00b\x1fc") == "abc"


def test_set_safe_text_on_a_normal_worksheet():
    wb = Workbook()
    ws = wb.active
    set_safe_text(ws["A1"], "=SUM(1)")
    set_safe_text(ws["A2"], "plain")
    assert (ws["A1"].value, ws["A1"].data_type, ws["A1"].quotePrefix) == ("=SUM(1)", "s", True)
    out = io.BytesIO()
    wb.save(out)
    again = load_workbook(out).active
    assert again["A1"].data_type == "s" and again["A1"].value == "=SUM(1)" and again["A2"].value == "plain"


def test_csv_field():
    assert [csv_field(v) for v in ("=1+1", "+1", "-1", "@x", "\tx", "\rx", "ok", "")] == [
        "'=1+1", "'+1", "'-1", "'@x", "'\tx", "'\rx", "ok", ""]
    assert [csv_field(v) for v in (-5, D("-1.50"), D("1E+3"), 2.5, None, dt.date(2026, 1, 2), True)] == [
        "-5", "-1.50", "1000", "2.5", "", "2026-01-02", "true"]


# ---------------------------------------------------------------------------------------------- workbook

def test_sheets_freeze_panes_filters_and_counts():
    wb, counts, _ = workbook()
    assert wb.sheetnames == ["README", "Codebook", "Data", "published_documents", "budget_lines",
                             "grant_programmes", "diaspora_activities", "contact_persons", "Indicators", "Charts"]
    assert counts == {"Codebook": len(codebook_rows(DEFINITIONS)), "Data": 3, "published_documents": 0,
                      "budget_lines": 0, "grant_programmes": 4, "diaspora_activities": 2, "contact_persons": 4,
                      "Indicators": 0}
    assert [wb[s].freeze_panes for s in wb.sheetnames] == [None, "B2", "C2", "C2", "C2", "C2", "C2", "C2", "C2",
                                                            "A2"]
    data = wb["Data"]
    assert data.auto_filter.ref == f"A1:{data.cell(1, data.max_column).column_letter}4"
    assert wb["grant_programmes"].auto_filter.ref == "A1:Q5"
    assert wb["Indicators"].auto_filter.ref == "A1:U1"
    assert all(c.font.b for c in data[1]) and all(c.font.b for c in wb["Codebook"][1])
    assert data.column_dimensions["A"].width > 8


def test_data_header_is_the_codebook_variables_in_definition_order():
    wb, _, _ = workbook()
    header = [c.value for c in wb["Data"][1]]
    variables = [r.variable for r in codebook_rows(DEFINITIONS) if r.sheet == "Data"]
    assert header == variables
    assert header[:7] == ["municipality", "municipality_name", "region", "region_name", "year", "status",
                          "predecessor_units_note"]  # the respondent's name, post and contacts are personal
    expected = [f.key for f in DEFINITIONS[2026].iter_fields() if not f.is_group and not f.is_personal]
    assert header[6:] == expected
    assert [c.value for c in wb["contact_persons"][1]] == ["municipality", "year", "row", "row_id", "fte_share",
                                                            "languages", "is_public"]


def test_data_values_and_number_formats():
    wb, _, _ = workbook()
    ws = wb["Data"]
    rows = table(ws)
    first = rows[0]
    assert (first["municipality"], first["municipality_name"], first["region"], first["year"], first["status"]) == (
        "cesis", "Cēsu novads", "vidzeme-region", 2025, "approved")
    assert first[T] == "very_topical"
    assert first["measures_5y_types"] == "business_start_support;housing_support"
    assert first["state_support_sufficiency_score"] == "hard_to_say" and first["eu_state_grant_uptake_score"] == 8
    assert first["returnees_families"] == "hard_to_say"
    assert first["contacts_confirmed_on"] == dt.datetime(2025, 11, 2)
    assert first["support_offered_to_remigrants"] == 'Konsultācijas, "Mājas" un\nvēl'
    assert first["jobs_without_latvian"] is None
    assert [r["returnees_persons"] for r in rows] == [1234, 1300, None]
    assert cell(ws, 2, "ngo_grants_total_eur").value == pytest.approx(12345.67)
    assert cell(ws, 2, "ngo_grants_total_eur").number_format == EUR == "#,##0.00 [$€-426]"
    assert cell(ws, 2, "returnees_persons").number_format == INTEGER == "#,##0"
    assert cell(ws, 2, "contacts_confirmed_on").number_format == "yyyy-mm-dd"
    assert cell(ws, 2, "extra_lessons_hours_per_week").value == 2.5
    assert cell(ws, 2, "year").number_format == "General"
    assert cell(ws, 2, "returnees_families").data_type == "s"


def test_group_sheets_rows_ids_and_formats():
    wb, _, _ = workbook()
    grants = wb["grant_programmes"]
    rows = table(grants)
    assert [(r["municipality"], r["year"], r["row"], r["row_id"]) for r in rows] == [
        ("cesis", 2025, 1, "a" * 32), ("cesis", 2025, 2, "b" * 32), ("cesis", 2026, 1, "a" * 32),
        ("cesis", 2026, 2, "b" * 32)]
    assert rows[0]["cofinancing_pct"] == 12.5 and rows[0]["total_fund_eur"] == 30000
    assert rows[1]["total_fund_eur"] == "hard_to_say" and rows[1]["applications_received"] == "hard_to_say"
    assert rows[1]["name"] == '=HYPERLINK("x")'
    assert cell(grants, 2, "cofinancing_pct").number_format == PERCENT == '0.0" %"'
    assert cell(grants, 2, "total_fund_eur").number_format == EUR
    activity = wb["diaspora_activities"]
    assert cell(activity, 2, "activity_date").value == dt.datetime(2025, 5, 4)
    assert cell(activity, 2, "activity_date").number_format == "yyyy-mm-dd"
    contacts = table(wb["contact_persons"])
    assert [(r["municipality"], r["row"], r["languages"], r["is_public"]) for r in contacts] == [
        ("cesis", 1, "lv;en", "yes"), ("cesis", 2, None, "hard_to_say"), ("cesis", 1, "lv;en", "yes"),
        ("cesis", 2, None, "hard_to_say")]  # Rēzekne's contact has personal data only: no row says nothing


def test_no_formula_anywhere_and_risky_text_stays_text():
    wb, _, _ = workbook()
    assert all(c.data_type != "f" for ws in wb for row in ws.iter_rows() for c in row)
    ws = wb["Data"]
    for key, text in (("planned_measures_next_5y", "=1+1"), ("strategy_target_groups", "+37120000000"),
                      ("joint_activities", "-minus"), ("predecessor_units_note", "@SUM(A1)")):
        found = cell(ws, 2, key)
        assert (found.value, found.data_type, found.quotePrefix) == (text, "s", True)
    assert not cell(ws, 2, "municipality").quotePrefix


def test_no_personal_data_in_any_sheet():
    wb, _, raw = workbook()
    for ws in wb:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                assert not any(p in str(value) for p in PERSONAL), (ws.title, value)
    data, contacts = {c.value for c in wb["Data"][1]}, {c.value for c in wb["contact_persons"][1]}
    codebook = {r.variable for r in codebook_rows(DEFINITIONS)}
    for key in ("respondent_name", "respondent_email", "respondent_phone"):
        assert key not in data and key not in codebook
    for key in ("name", "position", "email", "phone"):
        assert key not in contacts and f"contact_persons.{key}" not in codebook
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        blob = b"".join(zf.read(n) for n in zf.namelist())
    assert not any(p.encode() in blob for p in PERSONAL)


def test_labels_in_latvian_and_english():
    wb, _, _ = workbook(use_labels=True)
    first = table(wb["Data"])[0]
    assert first[T] == "Ļoti aktuāla"
    assert first["state_support_sufficiency_score"] == "Grūti pateikt"
    assert first["measures_5y_types"].count("; ") == 1
    assert table(wb["contact_persons"])[0]["languages"] == "Latviešu; Angļu"
    wb, _, _ = workbook(use_labels=True, locale="en")
    first = table(wb["Data"])[0]
    assert first["returnees_families"] == "Hard to say" and first["contacts_confirmed_on"] == dt.datetime(2025, 11, 2)
    assert table(wb["contact_persons"])[1]["is_public"] == "Hard to say"
    assert [c.value for c in wb["Data"][1]][:2] == ["municipality", "municipality_name"]  # keys, not labels


def test_readme():
    wb, _, _ = workbook(locale="en")
    text = "\n".join(str(v) for row in wb["README"].iter_rows(values_only=True) for v in row if v)
    assert wb["README"]["A1"].value == "Monitoring of municipal remigration support in Latvia: researchers' dataset"
    assert wb["README"]["A1"].font.b
    for needle in ("2026-11-20 09:14 UTC", "2025, 2026", "approved, submitted", "snapshot 12, compiled",
                   "2025: no indicators", "2017 BISS — version 1", "119 municipalities into 43",
                   "One respondent per municipality", "hard_to_say", "No personal data", "Remigration monitor",
                   "Data: one row per municipality and year", "(3 rows)", "119 pašvaldības"):
        assert needle in text, needle


def test_the_units_are_read_once_in_one_pass():
    class Once:
        def __init__(self) -> None:
            self.passes = self.seen = 0

        def __iter__(self) -> Iterator[ExportUnit]:
            self.passes += 1
            for unit in units():
                self.seen += 1
                yield unit

    for write in (write_benchmark_workbook, write_benchmark_csv):
        source = Once()
        write(io.BytesIO(), definitions=DEFINITIONS, units=source, reports={}, info=info())
        assert (source.passes, source.seen) == (1, 3)


def test_indicators_sheet_against_a_compiled_report(report_2026):
    wb, counts, raw = workbook({2026: report_2026})
    ws = wb["Indicators"]
    assert [c.value for c in ws[1]] == list(INDICATOR_COLUMNS)
    rows = table(ws)
    assert counts["Indicators"] == len(rows) == 6 * len(report_2026["indicators"])
    very = {r["scope"]: r for r in rows if r["indicator"] == f"{T}.very_topical"}
    assert list(very) == ["national", "riga-region", "vidzeme-region", "kurzeme-region", "zemgale-region",
                          "latgale-region"]
    national = very["national"]  # 2 of 4 units "very topical" (the "hard to say" one counts in the base)
    assert (national["year"], national["unit"], national["scope_name"]) == (2026, "percent", "Latvija")
    assert (national["value"], national["n"], national["numerator"], national["n_dont_know"]) == (50, 4, 2, 1)
    assert (national["value_2017"], national["change_2017"]) == (25, 25)  # BISS 2017: 25 %, +25 pp
    assert national["value_2022"] == pytest.approx(14.2857142857) and national["change_2022"] == pytest.approx(
        35.7142857143)
    assert national["change_previous"] is None
    assert "119" in national["caveats"] and "2022" in national["caveats"]
    assert national["title"].startswith("Remigrācijas veicināšanas aktualitāte")
    assert (very["latgale-region"]["value"], very["latgale-region"]["n"]) == (0, 1)
    row = 1 + rows.index(national) + 1
    assert cell(ws, row, "value").number_format == PERCENT
    assert cell(ws, row, "value_2017").number_format == PERCENT
    assert cell(ws, row, "change_2017").number_format == PP
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        assert "xl/charts/chart1.xml" in zf.namelist()
    charts = table(wb["Charts"])
    assert charts and charts[0]["value_2026"] is not None


# -------------------------------------------------------------------------------------------------- csv

def csv_zip(reports: dict | None = None, **kw: Any) -> tuple[zipfile.ZipFile, dict[str, int]]:
    out = io.BytesIO()
    counts = write_benchmark_csv(out, definitions=DEFINITIONS, units=(u for u in units()), reports=reports or {},
                                 info=info(**kw))
    return zipfile.ZipFile(io.BytesIO(out.getvalue())), counts


def read_csv(zf: zipfile.ZipFile, name: str) -> list[list[str]]:
    raw = zf.read(name)
    assert raw.startswith(b"\xef\xbb\xbf"), name
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_zip_members_bom_quoting_and_prefix():
    zf, counts = csv_zip()
    assert zf.namelist() == ["codebook.csv", "data.csv", "published_documents.csv", "budget_lines.csv",
                             "grant_programmes.csv", "diaspora_activities.csv", "contact_persons.csv",
                             "indicators.csv", "README.txt"]
    assert counts["data.csv"] == 3 and counts["contact_persons.csv"] == 4
    raw = zf.read("data.csv").decode("utf-8-sig")
    assert '"Konsultācijas, ""Mājas"" un\nvēl"' in raw and "\r\n" in raw
    header, first, *_ = read_csv(zf, "data.csv")
    row = dict(zip(header, first))
    assert row["planned_measures_next_5y"] == "'=1+1" and row["joint_activities"] == "'-minus"
    assert row["strategy_target_groups"] == "'+37120000000" and row["predecessor_units_note"] == "'@SUM(A1)"
    assert row["ngo_grants_total_eur"] == "12345.67" and row["returnees_persons"] == "1234"
    assert row["contacts_confirmed_on"] == "2025-11-02" and row["jobs_without_latvian"] == ""
    assert row["measures_5y_types"] == "business_start_support;housing_support"
    readme = zf.read("README.txt").decode("utf-8-sig")
    assert '"." as the decimal mark' in readme and "data.csv" in readme and "119" in readme
    blob = b"".join(zf.read(n) for n in zf.namelist())
    assert not any(p.encode() in blob for p in PERSONAL)


def _same(xlsx: Any, text: str) -> bool:
    if xlsx is None:
        return text == ""
    if isinstance(xlsx, dt.datetime):
        return text == xlsx.date().isoformat()
    if isinstance(xlsx, (int, float)):
        return D(text) == D(str(xlsx))
    return text == (("'" + xlsx) if xlsx.startswith(("=", "+", "-", "@", "\t", "\r")) else xlsx)


def test_csv_has_the_same_rows_as_the_workbook(report_2026):
    wb, _, _ = workbook({2026: report_2026})
    zf, _ = csv_zip({2026: report_2026})
    for sheet, name in (("Data", "data.csv"), ("grant_programmes", "grant_programmes.csv"),
                        ("contact_persons", "contact_persons.csv"), ("Codebook", "codebook.csv"),
                        ("Indicators", "indicators.csv")):
        xlsx_rows = list(wb[sheet].iter_rows(values_only=True))
        csv_rows = read_csv(zf, name)
        assert len(xlsx_rows) == len(csv_rows), sheet
        for x_row, c_row in zip(xlsx_rows, csv_rows):
            assert len(c_row) == len(x_row)
            assert all(_same(x, c) for x, c in zip(x_row, c_row)), (sheet, x_row, c_row)


def test_indicators_csv_numbers_are_exact_decimal_text(report_2026):
    zf, _ = csv_zip({2026: report_2026})
    header, *rows = read_csv(zf, "indicators.csv")
    national = next(dict(zip(header, r)) for r in rows if r[1] == f"{T}.very_topical" and r[4] == "national")
    assert (national["value"], national["n"], national["value_2022"]) == ("50", "4", "14.2857142857")


# ------------------------------------------------------------------------------------------- LibreOffice

def test_libreoffice_opens_the_workbook(tmp_path, report_2026):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is missing on CI")
        pytest.skip("LibreOffice (soffice) is not installed")
    _, _, raw = workbook({2026: report_2026})
    source = tmp_path / "benchmark.xlsx"
    source.write_bytes(raw)
    # every sheet to its own CSV (UTF-8, values not as shown, formulas as results): a formula would show "2"
    target = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    done = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(tmp_path / "out"), str(source)],
        capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    data = (tmp_path / "out" / "benchmark-Data.csv").read_text("utf-8")
    rows = list(csv.reader(io.StringIO(data)))
    header = rows[0]
    first = dict(zip(header, rows[1]))
    assert first["municipality_name"] == "Cēsu novads"
    assert first["planned_measures_next_5y"] == "=1+1"
    assert first["ngo_grants_total_eur"] == "12345.67"
    assert first["contacts_confirmed_on"] == "2025-11-02"
    assert [r[header.index("returnees_persons")] for r in rows[1:]] == ["1234", "1300", ""]
    indicators = (tmp_path / "out" / "benchmark-Indicators.csv").read_text("utf-8")
    assert f"{T}.very_topical" in indicators


def test_a_year_without_its_own_definition_uses_the_newest_fields():
    old = ExportUnit("cesis", "Cēsu novads", "vidzeme-region", "Vidzemes plānošanas reģions", 2022, "approved",
                     {"measures_5y_types": ["housing_support"], "returnees_persons": 7, "unknown_key": "x"})
    out = io.BytesIO()
    write_benchmark_workbook(out, definitions=DEFINITIONS, units=[old], reports={}, info=info(use_labels=True))
    row = table(load_workbook(out)["Data"])[0]
    assert (row["year"], row["returnees_persons"]) == (2022, 7)
    assert row["measures_5y_types"] == "Atbalsts remigrantiem mājokļa nodrošināšanā"
    assert "unknown_key" not in row


def test_indicators_sheet_states_missing_answers_the_base_and_coverage(report_2026):
    wb, _, _ = workbook({2026: report_2026})
    rows = table(wb["Indicators"])
    very = {r["scope"]: r for r in rows if r["indicator"] == f"{T}.very_topical"}
    national = very["national"]
    assert (national["n"], national["n_missing"], national["base"]) == (4, 0, "answered")
    assert (national["units_expected"], national["units_counted"], national["units_missing"]) == (6, 4, 2)
    latgale, vidzeme = very["latgale-region"], very["vidzeme-region"]
    assert (latgale["units_expected"], latgale["units_counted"], latgale["units_missing"]) == (2, 1, 1)
    # Vidzeme: the only return is a draft, so nothing is counted: no data, no value, no change
    assert (vidzeme["value"], vidzeme["n"], vidzeme["numerator"], vidzeme["change_2017"]) == (None, 0, None, None)
    assert (vidzeme["units_expected"], vidzeme["units_counted"]) == (1, 0)
    routing = next(r for r in rows if r["indicator"] == "inquiry_routing.no_information" and r["scope"] == "national")
    assert (routing["base"], routing["n"], routing["n_missing"], routing["value"]) == ("counted", 4, 4, 4)
    measures = next(r for r in rows if r["indicator"] == "measures_5y_types.training_support"
                    and r["scope"] == "national")
    assert (measures["value"], measures["n"], measures["n_missing"]) == (None, 0, 4)  # not asked: not 0 %
    assert measures["value_2017"] == 3 and measures["change_2017"] is None


def test_readme_states_coverage_per_year_with_the_names(report_2026):
    old = {k: v for k, v in report_2026.items() if k != "coverage"}  # a snapshot compiled before coverage
    for locale in ("lv", "en"):
        wb, _, _ = workbook({2026: report_2026, 2025: old}, locale=locale, place_names=NAMES)
        lines = {row[1]: row for row in wb["README"].iter_rows(values_only=True) if row[1]}
        coverage = [row for row in wb["README"].iter_rows(values_only=True)
                    if row[0] in ("Coverage", "Pārklājums")]
        assert len(coverage) == 2, coverage
        text = "\n".join(str(v) for row in coverage for v in row if v)
        assert "2026: 4 of 6 municipalities counted (approved); returns by status: approved 4, draft 1." in text
        assert "Not counted (2): Cēsu novads (draft), Rēzeknes novads (no return)." in text
        assert "2026: ieskaitītas 4 no 6 pašvaldībām (apstiprināts)" in text
        assert "Nav ieskaitītas (2): Cēsu novads (melnraksts), Rēzeknes novads (nav pārskata)." in text
        assert "2025: coverage not recorded" in text and "2025: pārklājums nav reģistrēts" in text
        assert lines
    zf, _ = csv_zip({2026: report_2026}, place_names=NAMES)
    readme = zf.read("README.txt").decode("utf-8-sig")
    assert "Cēsu novads (draft)" in readme and "Rēzeknes novads (nav pārskata)" in readme
