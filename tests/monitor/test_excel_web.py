"""Excel through the application: template download and upload (all or nothing, idempotent, conflicts, locked
returns, scoping), the researchers' benchmark workbook and CSV (no personal data), and the bulk import of a
past year (page and CLI)."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from forms import get_definition
from tests.conftest import in_app
from tests.factories import complete_answers, download_export, make_return

BASE = "/returns/cesu-novads/2026"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------------------------ helpers

def _state(app, slug="cesu-novads", year=2026):
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn, ChangeLog
    from monitor.returns.storage import load_answers

    with app.app_context():
        ret = db.session.scalar(select(AnnualReturn).join(Municipality).where(
            Municipality.slug == slug, AnnualReturn.year == year))
        logs = db.session.scalar(select(func.count()).select_from(ChangeLog).where(ChangeLog.return_id == ret.id))
        return load_answers(ret, get_definition(year)), ret.version, logs


def _answer_cell(wb, key):
    """The answer cell of a top-level question in a section sheet (column A holds the key)."""
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(min_col=1, max_col=1):
            if row[0].value == key:
                return ws.cell(row=row[0].row, column=3)
    raise KeyError(key)


def _edit(data: bytes, changes: dict) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for key, value in changes.items():
        _answer_cell(wb, key).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(client, data: bytes, name="veidne.xlsx", base=BASE):
    return client.post(f"{base}/excel", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.fixture
def filled(app, users):
    return make_return(app, "cesu-novads", 2026, complete_answers(2026), actor_id=users["editor"].id)


# ------------------------------------------------------------------------------------- template round trip

def test_download_then_upload_unchanged_changes_nothing(app, filled, login_as):
    client = login_as("editor")
    response = client.get(f"{BASE}/excel/template.xlsx")
    assert response.status_code == 200 and response.mimetype == XLSX
    before = _state(app)
    response = _upload(client, response.data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    assert _state(app) == before


def test_upload_stores_changes_once_and_again_changes_nothing(app, filled, login_as):
    client = login_as("editor")
    data = _edit(client.get(f"{BASE}/excel/template.xlsx").data,
                 {"returnees_persons": 31, "respondent_email": "jauns@cesis.lv"})
    values, version, logs = _state(app)
    assert _upload(client, data).status_code == 302
    after, version_after, logs_after = _state(app)
    assert after["returnees_persons"] == 31 and after["respondent_email"] == "jauns@cesis.lv"
    assert version_after == version + 1 and logs_after == logs + 2
    assert {k: v for k, v in after.items() if k not in ("returnees_persons", "respondent_email")} == \
        {k: v for k, v in values.items() if k not in ("returnees_persons", "respondent_email")}
    page = client.get(BASE).get_data(as_text=True)
    assert _upload(client, data).status_code == 302  # the same file again
    assert _state(app) == (after, version_after, logs_after)
    assert "31" in page


def test_invalid_file_answers_are_listed_by_cell_and_nothing_is_saved(app, filled, login_as):
    client = login_as("editor")
    data = _edit(client.get(f"{BASE}/excel/template.xlsx").data,
                 {"returnees_persons": 40, "returnees_children": 400, "municipal_dwellings_total": -3})
    before = _state(app)
    response = _upload(client, data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nothing has been saved" in page or "Nekas nav saglabāts" in page
    assert page.count("<tr><td>") >= 2  # one row per problem, with sheet and cell
    assert _state(app) == before


def test_formula_cells_are_refused(app, filled, login_as):
    client = login_as("editor")
    data = _edit(client.get(f"{BASE}/excel/template.xlsx").data, {"respondent_email": "=HYPERLINK(\"x\")"})
    before = _state(app)
    assert _upload(client, data).status_code == 422
    assert _state(app) == before


def test_approved_return_refuses_uploads(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(2026), actor_id=users["editor"].id, status="approved")
    client = login_as("editor")
    data = _edit(client.get(f"{BASE}/excel/template.xlsx").data, {"returnees_persons": 99})
    before = _state(app)
    response = _upload(client, data)
    assert response.status_code == 422 and _state(app) == before


def test_template_of_another_municipality_is_refused(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(2026), actor_id=users["editor"].id)
    make_return(app, "liepaja", 2026, {"returnees_persons": 5}, actor_id=users["editor_other"].id)
    other = login_as("editor_other").get("/returns/liepaja/2026/excel/template.xlsx").data
    client = login_as("editor")
    before = _state(app)
    response = _upload(client, other)
    page = response.get_data(as_text=True)
    # the refusal names both municipalities as the registry does, never by their slugs
    assert response.status_code == 422 and "«Liepājas valstspilsēta»" in page and "«Cēsu novads»" in page
    assert "liepaja" not in page.split('id="upload-problems"')[1].split("</div>")[0]
    assert _state(app) == before


def test_only_xlsx_and_size_limit(app, filled, login_as):
    client = login_as("editor")
    assert _upload(client, b"a;b\n1;2\n", name="dati.csv").status_code == 422
    assert _upload(client, b"not a zip at all", name="dati.xlsx").status_code == 422
    response = _upload(client, b"x" * (3 * 1024 * 1024), name="liels.xlsx")
    assert response.status_code in (413, 422)


def test_scoping_of_template_and_upload(app, filled, login_as):
    assert login_as("editor_other").get(f"{BASE}/excel/template.xlsx").status_code == 404
    assert login_as("reviewer_other").get(f"{BASE}/excel").status_code == 404
    assert login_as("researcher").get(f"{BASE}/excel/template.xlsx").status_code == 404
    assert login_as("reviewer").get(f"{BASE}/excel/template.xlsx").status_code == 200  # own region may read
    data = login_as("editor").get(f"{BASE}/excel/template.xlsx").data
    assert _upload(login_as("reviewer"), data).status_code == 403  # but not upload
    assert _upload(login_as("editor_other"), data).status_code == 404


def test_upload_keeps_answers_changed_meanwhile_and_refuses_real_conflicts(app, filled, users, login_as):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import save_section

    client = login_as("editor")
    template = client.get(f"{BASE}/excel/template.xlsx").data

    def web_change(section, raw):
        ret = db.session.scalar(select(AnnualReturn).join(Municipality).where(Municipality.slug == "cesu-novads"))
        outcome = save_section(ret, section, raw, base_version=ret.version, actor=db.session.get(User,
                               users["editor2"].id))
        assert outcome.saved

    in_app(app, web_change, "returnees", {"tracks_returnee_information": "yes", "returnees_persons": 50})
    # the file changes another answer only: the newer web answer stays, the file's change is stored
    assert _upload(client, _edit(template, {"respondent_email": "cits@cesis.lv"})).status_code == 302
    values, version, _logs = _state(app)
    assert values["returnees_persons"] == 50 and values["respondent_email"] == "cits@cesis.lv"
    # the file changes the same answer differently: a conflict, nothing stored
    response = _upload(client, _edit(template, {"returnees_persons": 60}))
    assert response.status_code == 422
    assert _state(app)[0]["returnees_persons"] == 50


# --------------------------------------------------------------------------------------- research exports

def _approved(app, users, year=2026):
    answers = complete_answers(year)
    make_return(app, "cesu-novads", year, answers, actor_id=users["editor"].id, status="approved")
    make_return(app, "liepaja", year, {**answers, "returnees_persons": 7, "returnees_families": 2,
                                       "returnees_children": 1}, actor_id=users["editor_other"].id,
                status="approved")
    make_return(app, "valmieras-novads", year, answers, actor_id=users["admin"].id)  # a draft: never exported


def _all_text(wb) -> str:
    return "\n".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row
                     if c.value is not None)


def test_researcher_workbook_has_approved_rows_and_no_personal_data(app, users, login_as):
    _approved(app, users)
    client = login_as("researcher")
    assert client.get("/exports/").status_code == 200
    response = download_export(app, client, "first=2026&last=2026&format=xlsx&values=codes&lang=lv")
    assert response.status_code == 200 and response.mimetype == XLSX
    wb = load_workbook(io.BytesIO(response.data))
    data = wb["Data"]
    header = [c.value for c in data[1]]
    rows = [dict(zip(header, (c.value for c in row))) for row in data.iter_rows(min_row=2)]
    assert sorted(r["municipality"] for r in rows) == ["cesu-novads", "liepaja"]
    assert {r["returnees_persons"] for r in rows} == {25, 7}
    text = _all_text(wb)
    for personal in ("Ilze Bērziņa", "ilze.berzina@cesis.lv", "respondent_name", "respondent_email"):
        assert personal not in text
    assert all(c.data_type != "f" for ws in wb.worksheets for row in ws.iter_rows() for c in row)


def test_csv_zip_has_bom_and_no_personal_data(app, users, login_as):
    _approved(app, users)
    response = download_export(app, login_as("researcher"), "first=2026&last=2026&format=csv&values=labels&lang=en")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = archive.namelist()
    assert "data.csv" in names and "codebook.csv" in names
    for name in names:
        if name.endswith(".csv"):
            content = archive.read(name)
            assert content.startswith(b"\xef\xbb\xbf"), name
            assert b"ilze.berzina" not in content and "Bērziņa".encode() not in content


def test_export_choices_are_checked_and_access_is_scoped(app, users, login_as):
    response = login_as("researcher").get("/exports/?first=2026&last=2025&format=pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'href="#last"' in page and 'href="#format"' in page
    assert login_as("editor").get("/exports/").status_code == 404
    assert login_as("admin").get("/exports/?first=2025&last=2026").status_code == 302  # built off the request


# ----------------------------------------------------------------------------------------- bulk import

def _bulk_workbook(rows: list[dict], groups: dict[str, list[dict]] | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Data"
    header = list(dict.fromkeys(k for r in rows for k in r))
    ws.append(header)
    for r in rows:
        ws.append([r.get(k) for k in header])
    for name, group_rows in (groups or {}).items():
        gs = wb.create_sheet(name)
        keys = list(dict.fromkeys(k for r in group_rows for k in r))
        gs.append(keys)
        for r in group_rows:
            gs.append([r.get(k) for k in keys])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _history_rows():
    return [
        {"municipality": "cesu-novads", "year": 2022, "remigration_promotion_topicality": "rather_topical",
         "state_support_sufficiency_score": 4, "measures_5y_types": "business_start_support;housing_support",
         "returnees_persons": "hard_to_say"},
        {"municipality": "liepaja", "year": 2022, "remigration_promotion_topicality": "very_topical",
         "state_support_sufficiency_score": 6, "has_business_grants": "yes"},
    ]


def _imported(app, year=2022):
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn

    with app.app_context():
        return {(r.municipality.slug, r.status, r.origin, r.version)
                for r in db.session.scalars(select(AnnualReturn).where(AnnualReturn.year == year))}


def test_bulk_import_of_a_past_year_is_all_or_nothing_and_idempotent(app, users, login_as):
    client = login_as("admin")
    assert client.get("/admin/import").status_code == 200
    good = _bulk_workbook(_history_rows(), {"grant_programmes": [
        {"municipality": "liepaja", "year": 2022, "row": 1, "name": "Liepājas grants", "kind": "startup_grant",
         "max_grant_eur": 3000}]})
    bad_rows = _history_rows()
    bad_rows[1]["state_support_sufficiency_score"] = 42
    response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(_bulk_workbook(bad_rows)),
                                                                          "2022.xlsx")})
    assert response.status_code == 422 and _imported(app) == set()
    response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(good), "2022.xlsx")})
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    first = _imported(app)
    assert {(slug, status, origin) for slug, status, origin, _v in first} == {
        ("cesu-novads", "approved", "import"), ("liepaja", "approved", "import")}
    response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(good), "2022.xlsx")})
    assert response.status_code == 200 and _imported(app) == first  # the same file again changes nothing
    values, _version, _logs = _state(app, "liepaja", 2022)
    assert values["grant_programmes"][0]["name"] == "Liepājas grants"
    assert values["grant_programmes"][0]["max_grant_eur"] == 3000
    assert _state(app, "cesu-novads", 2022)[0]["measures_5y_types"] == ["business_start_support", "housing_support"]


def test_bulk_import_refuses_collected_years_and_non_admins(app, users, login_as):
    data = _bulk_workbook([{**r, "year": 2026} for r in _history_rows()])
    response = login_as("admin").post("/admin/import", data={"year": "2026", "file": (io.BytesIO(data), "x.xlsx")})
    assert response.status_code == 422 and _imported(app, 2026) == set()
    assert login_as("reviewer").get("/admin/import").status_code == 404
    assert login_as("researcher").get("/admin/import").status_code == 404


def test_exported_workbook_imports_back_into_a_past_year(app, users, login_as, tmp_path):
    """The researchers' layout is the import layout: export 2025, relabel it 2024 (the same form), import, compare
    every answer but the personal ones, which the export leaves out."""
    _approved(app, users, 2025)
    data = download_export(app, login_as("admin"), "first=2025&last=2025&format=xlsx&values=codes&lang=lv").data
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        header = [c.value for c in ws[1]]
        if "year" in header and ws.title != "Indicators":
            col = header.index("year") + 1
            for row in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                row[0].value = 2024
    path = tmp_path / "history.xlsx"
    wb.save(path)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["import", "history", str(path), "--year", "2024", "--actor", "admin@test.lv"])
    assert result.exit_code == 0, result.output
    exported, _v, _l = _state(app, "liepaja", 2025)
    imported, _v, _l = _state(app, "liepaja", 2024)
    for f in get_definition(2024).iter_fields():
        if f.is_personal:
            assert imported[f.key] is None, f.key
        elif f.is_group:
            keys = [c.key for c in f.fields if not c.is_personal]
            assert [{k: r.get(k) for k in keys} for r in imported[f.key]] == \
                [{k: r.get(k) for k in keys} for r in exported[f.key]], f.key
        else:
            assert imported[f.key] == exported[f.key], f.key
    result = runner.invoke(args=["import", "history", str(path), "--year", "2024", "--actor", "admin@test.lv"])
    assert result.exit_code == 0 and "0 returns created" in result.output


def test_cli_export_writes_the_workbook(app, users, tmp_path):
    _approved(app, users)
    out = tmp_path / "b.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "benchmark", "--first", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["Data"].max_row == 3


def test_import_page_accepts_larger_files_than_other_forms(app, users, instance_dir):
    """The import's own size limit applies before CSRF protection reads the form (with CSRF on, a 3 MiB post
    without a token is refused as a bad request, not as too large); other pages keep the 2 MiB limit."""
    from monitor import create_app
    from tests.conftest import test_config

    guarded = create_app(test_config(instance_dir, WTF_CSRF_ENABLED=True))
    client = guarded.test_client()
    big = {"year": "2022", "file": (io.BytesIO(b"x" * (3 * 1024 * 1024)), "big.xlsx")}
    assert 'name="csrf_token"' in client.get("/login").get_data(as_text=True)
    assert client.post("/admin/import", data=big, content_type="multipart/form-data").status_code == 400
    big["file"] = (io.BytesIO(b"x" * (3 * 1024 * 1024)), "big.xlsx")
    assert client.post(f"{BASE}/excel", data=big, content_type="multipart/form-data").status_code == 413


def test_uploading_a_corrected_copy_of_the_same_download_is_not_a_conflict(app, filled, login_as):
    """Upload, notice a typo, correct the same file, upload again: the user's own upload is not someone else's
    change; a change made meanwhile by another user still is."""
    client = login_as("editor")
    template = client.get(f"{BASE}/excel/template.xlsx").data
    assert _upload(client, _edit(template, {"returnees_persons": 31})).status_code == 302
    assert _upload(client, _edit(template, {"returnees_persons": 32})).status_code == 302
    assert _state(app)[0]["returnees_persons"] == 32
    other = login_as("editor2")
    assert _upload(other, _edit(template, {"returnees_persons": 33})).status_code == 422  # editor2's base is old
    assert _state(app)[0]["returnees_persons"] == 32


def test_an_older_download_does_not_undo_a_newer_upload(app, filled, login_as):
    client = login_as("editor")
    first = client.get(f"{BASE}/excel/template.xlsx").data
    assert _upload(client, _edit(first, {"returnees_persons": 31})).status_code == 302
    second = client.get(f"{BASE}/excel/template.xlsx").data
    assert _upload(client, _edit(second, {"returnees_persons": 40, "staff_trained_count": 3})).status_code == 302
    # the first download again, untouched: the newer answers stay
    assert _upload(client, first).status_code == 302
    values = _state(app)[0]
    assert values["returnees_persons"] == 40 and values["staff_trained_count"] == 3
    # the first download with its own change of the same answer: a conflict, nothing stored
    assert _upload(client, _edit(first, {"returnees_persons": 35})).status_code == 422
    assert _state(app)[0]["returnees_persons"] == 40


def test_a_later_partial_import_keeps_what_it_leaves_out(app, users, login_as):
    client = login_as("admin")
    first = _bulk_workbook([{"municipality": "liepaja", "year": 2022, "has_business_grants": "yes"}],
                           {"grant_programmes": [{"municipality": "liepaja", "year": 2022, "row": 1,
                                                  "name": "Liepājas grants", "kind": "startup_grant"}]})
    later = _bulk_workbook([{"municipality": "liepaja", "year": 2022, "state_support_sufficiency_score": 6}])
    for data in (first, later):
        response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(data), "2022.xlsx")})
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    values = _state(app, "liepaja", 2022)[0]
    assert values["has_business_grants"] == "yes" and values["state_support_sufficiency_score"] == 6
    assert [r["name"] for r in values["grant_programmes"]] == ["Liepājas grants"]


# ------------------------------------------------------------------------- one merge rule for web and Excel

@pytest.mark.parametrize(("mine", "decision"), [(50, "saved"), (60, "conflict"), (25, "saved_theirs_kept")])
def test_web_and_excel_decide_the_same_case_the_same_way(app, filled, users, login_as, mine, decision):
    """Editor 2 changes an answer in the web form while editor 1 has the section open and the template
    downloaded; editor 1 then sends the same value (agreement), another value (conflict) or leaves it as shown
    (the newer answer stays) — through the web form and through Excel, with the same outcome."""
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.edit import fingerprint
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import save_section
    from monitor.returns.storage import load_answers

    definition = get_definition(2026)
    keys = [f.key for f in definition.section("returnees").fields]
    client = login_as("editor")
    template = client.get(f"{BASE}/excel/template.xlsx").data

    def ret():
        return db.session.scalar(select(AnnualReturn).join(Municipality).where(Municipality.slug == "cesu-novads"))

    def opened():  # what editor 1's page shows: the answers, their fingerprints and the version
        r = ret()
        shown = load_answers(r, definition)
        return {k: shown[k] for k in keys}, {k: fingerprint(shown[k]) for k in keys}, r.version

    raw, shown, base = in_app(app, opened)
    before = raw["returnees_persons"]
    assert before == 25  # complete_answers: the value editor 1 sees

    def web_save(section_raw, actor, base_version, fingerprints):
        outcome = save_section(ret(), "returnees", section_raw, base_version=base_version,
                               actor=db.session.get(User, users[actor].id), fingerprints=fingerprints)
        db.session.commit()
        return outcome

    def reset():
        assert in_app(app, lambda: web_save({**opened()[0], "returnees_persons": before}, "editor", opened()[2],
                                            None)).saved

    results = {}
    for channel in ("web", "excel"):
        reset()
        raw, shown, base = in_app(app, opened)
        template = client.get(f"{BASE}/excel/template.xlsx").data
        assert in_app(app, lambda: web_save({**raw, "returnees_persons": 50}, "editor2", base, None)).saved
        if channel == "web":
            outcome = in_app(app, lambda: web_save({**raw, "returnees_persons": mine}, "editor", base, shown))
            results[channel] = ("conflict" if outcome.conflicts else "saved" if outcome.saved else "refused")
        else:
            response = _upload(client, _edit(template, {"returnees_persons": mine}))
            page = response.get_data(as_text=True)
            conflict = "tika mainīts" in page or "was changed in the service" in page
            results[channel] = ("conflict" if response.status_code == 422 and conflict
                                else "saved" if response.status_code == 302 else "refused")
        stored = _state(app)[0]["returnees_persons"]
        results[channel] += f":{stored}"
    expected = {"saved": "saved:50", "conflict": "conflict:50", "saved_theirs_kept": "saved:50"}[decision]
    assert results == {"web": expected, "excel": expected}



# ------------------------------------------------------------------------------ nothing is lost on import

def test_import_keeps_gated_answers_when_the_file_has_no_gate_column(app, users, login_as):
    """The 2022 survey did not ask "did a grant programme run": a file with grant programme rows and no
    ``has_business_grants`` column keeps the rows (not asked is not "no")."""
    rows = [{"municipality": "cesu-novads", "year": 2022, "plans_measures_next_5y": "yes",
             "planned_measures_next_5y": "uzņēmējdarbības vides attīstīšana"},
            {"municipality": "liepaja", "year": 2022, "reasons_no_planned_measures": "no_remigrant_demand"}]
    groups = {"grant_programmes": [{"municipality": "cesu-novads", "year": 2022, "row": 1,
                                    "name": "Jauna biznesa attīstības granta konkurss"}]}
    response = login_as("admin").post("/admin/import", data={
        "year": "2022", "file": (io.BytesIO(_bulk_workbook(rows, groups)), "2022.xlsx")})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="not-kept"' not in page  # everything was stored
    cesis = _state(app, "cesu-novads", 2022)[0]
    assert [r["name"] for r in cesis["grant_programmes"]] == ["Jauna biznesa attīstības granta konkurss"]
    assert cesis["has_business_grants"] is None  # still not asked: not turned into an answer either
    assert _state(app, "liepaja", 2022)[0]["reasons_no_planned_measures"] == ["no_remigrant_demand"]


def test_import_lists_every_answer_it_does_not_store_on_the_page_and_in_the_cli(app, users, login_as, tmp_path):
    rows = [{"municipality": "madonas-novads", "year": 2022, "plans_measures_next_5y": "yes",
             "planned_measures_next_5y": "konsultācijas remigrantiem",
             "reasons_no_planned_measures": "no_remigrant_demand", "has_business_grants": "no"}]
    groups = {"grant_programmes": [{"municipality": "madonas-novads", "year": 2022, "row": 1, "name": "A"},
                                   {"municipality": "madonas-novads", "year": 2022, "row": 2, "name": "B"}]}
    data = _bulk_workbook(rows, groups)
    client = login_as("admin")
    client.get("/language/en")
    response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(data), "2022.xlsx")})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    table = page.split('id="not-kept"')[1].split("</table>")[0]
    assert table.count("<tr>") == 3  # header + the reasons + the grant programmes table
    assert "Data" in table and "grant_programmes" in table
    assert "applies only when" in table or "attiecas tikai tad" in table
    # 5 filled cells: plans, planned measures, reasons, the gate, 2 programme names … and 2 are not stored
    assert "6 answers" in page or "6 atbildes" in page
    values = _state(app, "madonas-novads", 2022)[0]
    assert values["planned_measures_next_5y"] == "konsultācijas remigrantiem"
    assert values["reasons_no_planned_measures"] is None and values["grant_programmes"] == []

    path = tmp_path / "2022.xlsx"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["import", "history", str(path), "--year", "2022", "--actor",
                                                users["admin"].email])
    assert result.exit_code == 0, result.output
    assert "carried 6 answers: 3 stored or already there, 3 not stored" in result.output
    assert result.output.count("not stored: ") == 2


def test_template_upload_lists_answers_of_questions_that_no_longer_apply(app, filled, login_as):
    gated = ("returnees_persons", "returnees_families", "returnees_children", "returnee_count_source")
    answered = [k for k in gated if _state(app)[0][k] is not None]
    assert len(answered) >= 3
    client = login_as("editor")
    template = client.get(f"{BASE}/excel/template.xlsx").data
    changed = _edit(template, {"tracks_returnee_information": "Nē"})
    response = _upload(client, changed)
    assert response.status_code == 200, response.get_data(as_text=True)[:2000]
    page = response.get_data(as_text=True)
    table = page.split('id="not-kept"')[1].split("</table>")[0]
    assert table.count("<tr>") - 1 == len(answered)  # one row each, at its cell, with the reason
    assert "attiecas tikai tad" in table and "«Nē»" in table
    values = _state(app)[0]
    assert values["tracks_returnee_information"] == "no" and values["returnees_persons"] is None


# ------------------------------------------------------------------------- municipalities before the 2021 reform

def _reform_rows(*units: str) -> list[dict]:
    return [{"municipality": unit, "year": 2022, "remigration_promotion_topicality": "rather_topical",
             "state_support_sufficiency_score": 4} for unit in units]


def test_import_counts_a_pre_reform_name_as_its_successor_and_says_so(app, users, login_as, tmp_path):
    data = _bulk_workbook(_reform_rows("liepaja", "Priekuļu novads", "LV0600202"))  # the last: Krāslavas novads
    client = login_as("admin")
    client.post("/language", data={"locale": "en"})
    response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(data), "2022.xlsx")})
    assert response.status_code == 200, response.get_data(as_text=True)[:3000]
    page = response.get_data(as_text=True)
    notes = page.split('id="reform-notes"')[1].split("</table>")[0]
    assert "Row 3: “Priekuļu novads” (before the 2021 reform) counted as Cēsu novads." in notes
    assert "Row 4: “LV0600202” (before the 2021 reform: Krāslavas novads) counted as Krāslavas novads." in notes
    assert {slug for slug, *_ in _imported(app)} == {"liepaja", "cesu-novads", "kraslavas-novads"}
    assert _state(app, "cesu-novads", 2022)[0]["state_support_sufficiency_score"] == 4

    path = tmp_path / "2022.xlsx"  # the CLI reads it the same way, and the same file again changes nothing
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["import", "history", str(path), "--year", "2022", "--actor",
                                                users["admin"].email])
    assert result.exit_code == 0, result.output
    assert "Row 3: “Priekuļu novads” (before the 2021 reform) counted as Cēsu novads." in result.output
    assert "0 returns created, 0 updated, 3 unchanged" in result.output


def test_two_pre_reform_rows_of_one_successor_are_refused_and_nothing_is_saved(app, users, login_as, tmp_path):
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    data = _bulk_workbook(_reform_rows("liepaja", "Priekuļu novads", "Amatas novads"))
    client = login_as("admin")
    client.post("/language", data={"locale": "en"})
    response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(data), "2022.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Nothing has been saved" in page
    assert ("row 4 (“Amatas novads”) and row 3 (“Priekuļu novads”) are both Cēsu novads in 2022 after the 2021 "
            "reform") in page
    assert _imported(app) == set()
    path = tmp_path / "2022.xlsx"
    path.write_bytes(data)
    result = app.test_cli_runner().invoke(args=["import", "history", str(path), "--year", "2022", "--actor",
                                                users["admin"].email])
    assert result.exit_code != 0
    assert "row 4 (“Amatas novads”) and row 3 (“Priekuļu novads”)" in result.output
    assert "nothing was imported" in result.output
    assert _imported(app) == set()
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "history_imported")) == 0
    # a slug and a pre-reform name of the same successor are the same conflict
    data = _bulk_workbook(_reform_rows("cesu-novads", "Priekuļu novads"))
    response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(data), "2022.xlsx")})
    assert response.status_code == 422 and "are both Cēsu novads in 2022" in response.get_data(as_text=True)
    assert _imported(app) == set()


def test_a_divided_pre_reform_municipality_is_refused_naming_its_successors(app, users, login_as):
    data = _bulk_workbook(_reform_rows("liepaja", "Inčukalna novads"))
    client = login_as("admin")
    client.post("/language", data={"locale": "en"})
    response = client.post("/admin/import", data={"year": "2022", "file": (io.BytesIO(data), "2022.xlsx")})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "“Inčukalna novads” was divided between several municipalities in the 2021 reform" in page
    assert "Siguldas novads" in page and "Ropažu novads" in page
    assert _imported(app) == set()
