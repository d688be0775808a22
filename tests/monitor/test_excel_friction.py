"""The Excel friction a new user met (issue 15): every problem of a file at once (a formula no longer hides the
others), Excel from the very start of a return, names instead of slugs in a refusal, CSV downloads audited with
their real row count, and a multi-year benchmark workbook imported back into one past year."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from forms import get_definition
from tests.conftest import in_app, make_user, login
from tests.factories import download_export, complete_answers, make_return
from tests.monitor.test_excel_web import BASE, _answer_cell, _approved, _edit, _state, _upload


def _problem_rows(page: str) -> list[tuple[str, str, str]]:
    """(sheet, cell, what to correct) of each row of the page's problem table."""
    table = re.split(r"<caption[^>]*>", page, maxsplit=1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>.*?</td><td>(.*?)</td></tr>", table, re.S)
    return [(sheet, cell, text) for sheet, cell, text in rows]


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.fixture
def filled(app, users):
    return make_return(app, "cesu-novads", 2026, complete_answers(2026), actor_id=users["editor"].id)


# ------------------------------------------------------------------------- 1. every problem of the file at once

def test_a_formula_is_listed_together_with_every_other_problem_and_nothing_is_saved(app, filled, login_as):
    client = login_as("editor")
    wb = load_workbook(io.BytesIO(client.get(f"{BASE}/excel/template.xlsx").data))
    formula = _answer_cell(wb, "respondent_email")
    formula.value = '=HYPERLINK("x")'
    negative = _answer_cell(wb, "municipal_dwellings_total")
    negative.value = -3
    before = _state(app)
    response = _upload(client, _save(wb))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _state(app) == before
    rows = _problem_rows(page)
    where = [(sheet, cell) for sheet, cell, _text in rows]
    assert (formula.parent.title, formula.coordinate) in where  # the formula, by sheet and cell …
    assert (negative.parent.title, negative.coordinate) in where  # … and the answer that fails validation
    assert any("formul" in text for _s, _c, text in rows)  # "formula" (EN) and "formula" (LV)
    assert len(rows) == 2  # the formula cell is not reported a second time as an empty answer


def test_a_formula_in_a_table_cell_is_one_problem_beside_the_others(app, filled, login_as):
    client = login_as("editor")
    wb = load_workbook(io.BytesIO(client.get(f"{BASE}/excel/template.xlsx").data))
    definition = get_definition(2026)
    group = definition.field("grant_programmes")
    ws = next(ws for ws in wb.worksheets if ws.cell(1, 2).value == group.fields[0].key)
    name_col = [c.value for c in ws[1]].index("name") + 1
    ws.cell(3, name_col).value = "=A1"  # the programme's name (required in its row) is a formula
    _answer_cell(wb, "municipal_dwellings_total").value = -3
    response = _upload(client, _save(wb))
    assert response.status_code == 422
    rows = _problem_rows(response.get_data(as_text=True))
    at_name = [r for r in rows if (r[0], r[1]) == (ws.title, ws.cell(3, name_col).coordinate)]
    assert len(at_name) == 1 and len(rows) == 2


def test_problems_are_listed_in_the_order_of_the_file():
    from monitor.excel.operations import Problem, in_file_order
    from reports.excel import CellRef

    cells = {"a": CellRef("Sadaļa 1", "C2", ""), "b": CellRef("Sadaļa 2", "C2", ""), "g": CellRef("Tabula", "B3", "")}
    problems = [Problem("", "", "Tabula", "AA3"), Problem("", "", "Sadaļa 2", "C9"), Problem("", "", "Tabula", "C3"),
                Problem("", "", "Sadaļa 1", "C12"), Problem("", "", "Sadaļa 1", "C3"), Problem("whole", "whole")]
    assert [(p.sheet, p.cell) for p in in_file_order(problems, cells)] == [
        ("", ""), ("Sadaļa 1", "C3"), ("Sadaļa 1", "C12"), ("Sadaļa 2", "C9"), ("Tabula", "C3"), ("Tabula", "AA3")]


# ------------------------------------------------------------------------- 2. Excel before the return is started

def _return_count(app, slug="cesu-novads", year=2026) -> int:
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AnnualReturn).join(Municipality).where(
            Municipality.slug == slug, AnnualReturn.year == year))


def _actions(app, return_year=2026) -> list[str]:
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.return_id.is_not(None))
                                       .order_by(AuditEvent.id)))


def test_work_in_excel_is_offered_before_the_return_is_started(app, users, login_as):
    client = login_as("editor")
    overview = client.get(BASE).get_data(as_text=True)
    assert f'href="{BASE}/excel"' in overview  # beside "Start an empty return"
    page = client.get(f"{BASE}/excel")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f'href="{BASE}/excel/template.xlsx"' in text and 'name="file"' in text
    assert "start=last_year" not in text  # there is no return for last year to start from
    template = client.get(f"{BASE}/excel/template.xlsx")
    assert template.status_code == 200 and _return_count(app) == 0  # a download starts nothing


def test_uploading_a_filled_empty_template_starts_the_return_through_the_one_edit_path(app, users, login_as):
    from monitor.extensions import db
    from monitor.returns.models import ChangeLog

    client = login_as("editor")
    data = _edit(client.get(f"{BASE}/excel/template.xlsx").data,
                 {"job_fairs_count": 3, "municipal_dwellings_total": 400})
    response = _upload(client, data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    values, version, logs = _state(app)
    assert values["job_fairs_count"] == 3 and values["municipal_dwellings_total"] == 400 and logs == 2
    sources = in_app(app, lambda: set(db.session.scalars(select(ChangeLog.source))))
    assert sources == {"excel"}
    assert _actions(app) == ["return_started", "return_uploaded"]
    # the same file again: the return exists now, and nothing changes
    assert _upload(client, data).status_code == 302 and _state(app) == (values, version, logs)


def test_a_refused_upload_of_a_return_not_started_starts_nothing(app, users, login_as):
    client = login_as("editor")
    wb = load_workbook(io.BytesIO(client.get(f"{BASE}/excel/template.xlsx").data))
    _answer_cell(wb, "municipal_dwellings_total").value = -3
    _answer_cell(wb, "respondent_email").value = "=1+1"
    response = _upload(client, _save(wb))
    assert response.status_code == 422 and len(_problem_rows(response.get_data(as_text=True))) == 2
    assert _return_count(app) == 0 and _actions(app) == []


def test_a_template_with_last_years_answers_starts_the_return_as_start_from_last_year_would(app, users, login_as):
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.operations import last_year_plan

    make_return(app, "cesu-novads", 2025, complete_answers(2025), actor_id=users["editor"].id, status="approved")
    client = login_as("editor")
    page = client.get(f"{BASE}/excel").get_data(as_text=True)
    assert "start=last_year" in page
    data = client.get(f"{BASE}/excel/template.xlsx?start=last_year").data
    assert _return_count(app) == 0
    assert _upload(client, data).status_code == 302
    expected = in_app(app, lambda: last_year_plan(
        db.session.scalar(select(Municipality).where(Municipality.slug == "cesu-novads")), 2026).values)
    values, _version, logs = _state(app)
    assert logs > 0 and values == expected
    assert values["municipal_dwellings_total"] == 400  # a stock carried over …
    assert values["returnees_persons"] is None and values["budget_lines"] == []  # … flows of the year left empty


def test_a_return_not_started_cannot_be_uploaded_by_a_reviewer_nor_another_municipality(app, users, login_as):
    data = login_as("editor").get(f"{BASE}/excel/template.xlsx").data
    assert _upload(login_as("reviewer"), data).status_code == 403
    assert _upload(login_as("editor_other"), data).status_code == 404
    assert login_as("editor_other").get(f"{BASE}/excel/template.xlsx").status_code == 404
    assert _return_count(app) == 0


def test_an_upload_before_the_year_opens_says_from_when(app, users, login_as):
    client = login_as("editor")
    data = client.get("/returns/cesu-novads/2027/excel/template.xlsx").data
    response = _upload(client, data, base="/returns/cesu-novads/2027")
    assert response.status_code == 422 and "01.11.2027" in response.get_data(as_text=True)
    assert _return_count(app, year=2027) == 0


# ------------------------------------------------------------------------- 3. names, not slugs

@pytest.mark.parametrize(("locale", "theirs", "ours"), [("lv", "Liepājas valstspilsēta", "Cēsu novads"),
                                                        ("en", "Liepāja State City", "Cēsis Municipality")])
def test_another_municipalitys_file_is_refused_with_both_names(app, users, login_as, filled, locale, theirs, ours):
    make_return(app, "liepaja", 2026, {"returnees_persons": 5}, actor_id=users["editor_other"].id)
    other = login_as("editor_other").get("/returns/liepaja/2026/excel/template.xlsx").data
    client = login(app.test_client(), make_user(app, f"cesis-{locale}@test.lv", "editor", "cesu-novads",
                                                locale=locale))
    response = _upload(client, other)
    refusal = response.get_data(as_text=True).split('id="upload-problems"', 1)[1].split("</div>", 1)[0]
    assert response.status_code == 422
    assert theirs in refusal and ours in refusal and "liepaja" not in refusal and "cesu-novads" not in refusal


# ------------------------------------------------------------------------- 4. CSV downloads audited with their rows

@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_download_is_audited_with_the_rows_it_holds(app, users, login_as, fmt):
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    _approved(app, users)  # two approved returns (and a draft, never exported)
    response = download_export(app, login_as("researcher"),
                               f"first=2026&last=2026&format={fmt}&values=codes&lang=lv")  # built off the request
    assert response.status_code == 200
    detail = in_app(app, lambda: db.session.scalar(select(AuditEvent.detail).where(
        AuditEvent.action == "workbook_exported")))
    assert detail["format"] == fmt and detail["rows"] == 2


# ------------------------------------------------------------------------- 7. a benchmark workbook of several years

def test_a_benchmark_workbook_of_2022_to_2026_imports_back_into_2022(app, users, login_as):
    from tests.monitor.test_excel_web import _bulk_workbook, _history_rows, _imported

    admin = login_as("admin")
    first = admin.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(_bulk_workbook(_history_rows())),
                                                                        "2022.xlsx")})
    assert first.status_code == 200
    _approved(app, users, 2026)
    data = download_export(app, admin, "first=2022&last=2026&format=xlsx&values=codes&lang=lv").data
    wb = load_workbook(io.BytesIO(data))
    assert "firms_operating_after_1y" in [c.value for c in wb["grant_programmes"][1]]  # a column of 2026 only
    years = {row[0] for row in wb["Data"].iter_rows(min_row=2, min_col=5, max_col=5, values_only=True)}
    assert years == {2022, 2026}
    before, service_2026 = _imported(app), _imported(app, 2026)
    response = admin.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(data), "2022-2026.xlsx")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:3000]
    assert _imported(app) == before  # the 2022 answers came back unchanged …
    other_years = page.split('id="other-years"', 1)[1].split("</table>", 1)[0]
    assert "2026" in other_years and "2022" in other_years  # … and the 2026 rows are said not to be read
    assert _imported(app, 2026) == service_2026  # the service's own 2026 returns are untouched


def test_importing_a_year_the_workbook_does_not_hold_is_refused_naming_its_years(app, users, login_as):
    from tests.monitor.test_excel_web import _bulk_workbook, _history_rows, _imported

    data = _bulk_workbook(_history_rows())  # 2022 only
    response = login_as("admin").post("/admin/import", data={"year": "2023", "file": (io.BytesIO(data), "x.xlsx")})
    assert response.status_code == 422 and _imported(app, 2023) == set()
    assert "2023" in response.get_data(as_text=True) and "(failā ir gadi: 2022)" in response.get_data(as_text=True)
