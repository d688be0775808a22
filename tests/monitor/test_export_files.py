"""Research downloads off the web request: every download of a compiled year is built once by the scheduler and
stored; the download page sends a stored file while it is current (ETag, Content-Length) and asks the scheduler to
build anything else (a range of years, an out-of-date year), with a page that follows the build. Every download is
audited with the rows it holds; only the roles that export today can download, and a build is its requester's."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.factories import complete_answers, download_export, make_return

XLSX_QUERY = "first=2026&last=2026&format=xlsx&values=codes&lang=lv"
CSV_QUERY = "first=2026&last=2026&format=csv&values=labels&lang=en"


def _approved(app, users, year=2026, slugs=("cesu-novads", "liepaja")):
    for slug in slugs:
        make_return(app, slug, year, complete_answers(year), actor_id=users["admin"].id, status="approved")


def _compile_open_years(app):
    from monitor.extensions import db
    from monitor.jobs import operations as tasks

    with app.app_context():
        result = tasks.compile_open_years()
        db.session.commit()
        return result


def _run_builds(app):
    from scheduler.jobs import JOBS
    from scheduler.runner import run_job

    return run_job(app, next(j for j in JOBS if j.id == "export_builds"))


def _count(app, model, *where):
    from monitor.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _exports(app):
    """The detail of every download audited so far."""
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    with app.app_context():
        return [e.detail for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "workbook_exported").order_by(AuditEvent.id))]


def _cells(data: bytes) -> dict[str, list[list]]:
    """Every sheet's values, without the README line that states when the file was made."""
    wb = load_workbook(io.BytesIO(data))
    out = {}
    for ws in wb.worksheets:
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        if ws.title == "README":
            rows = [r for r in rows if r[0] not in ("Sagatavots", "Generated")]
        out[ws.title] = rows
    return out


def _fresh(app, query: str) -> bytes:
    """The same download built now, straight from the writers (nothing stored)."""
    from werkzeug.datastructures import MultiDict

    from forms import definition_years
    from monitor.excel.exporting import ExportRequest, write_export

    with app.app_context():
        export, errors = ExportRequest.parse(MultiDict(re.findall(r"(\w+)=(\w+)", query)), definition_years())
        assert not errors
        out = io.BytesIO()
        write_export(export, out)
        return out.getvalue()


# ------------------------------------------------------------------------------------ stored on compile

def test_compiling_a_year_stores_every_download_of_it_and_they_are_sent_at_once(app, users, login_as):
    from monitor.excel.models import ExportBuild, ExportFile

    _approved(app, users)
    result = _compile_open_years(app)
    assert result["export_files"]["2026"] == 8 and not result["export_files_failed"]
    assert _count(app, ExportFile, ExportFile.first_year == 2026, ExportFile.last_year == 2026) == 8
    assert _compile_open_years(app)["export_files"] == {}  # nothing changed: nothing is built again

    client = login_as("researcher")
    response = client.get("/exports/?" + XLSX_QUERY)
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    data = response.data
    assert int(response.headers["Content-Length"]) == len(data)
    assert response.headers["ETag"] == f'"{hashlib.sha256(data).hexdigest()}"'
    assert "remigration-benchmark-2026.xlsx" in response.headers["Content-Disposition"]
    assert _count(app, ExportBuild) == 0  # nothing was asked of the scheduler
    # the stored workbook holds what a workbook built now holds
    assert _cells(data) == _cells(_fresh(app, XLSX_QUERY))
    rows = load_workbook(io.BytesIO(data))["Data"]
    assert sorted(r[0].value for r in rows.iter_rows(min_row=2)) == ["cesu-novads", "liepaja"]

    csv = client.get("/exports/?" + CSV_QUERY)
    assert csv.status_code == 200 and csv.mimetype == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(csv.data)).read("data.csv").count(b"\r\n") == 3  # header + 2 rows
    assert [(d["years"], d["format"], d["rows"]) for d in _exports(app)] == [("2026-2026", "xlsx", 2),
                                                                           ("2026-2026", "csv", 2)]


def test_a_browser_that_has_the_file_gets_304_and_that_is_not_a_download(app, users, login_as):
    _approved(app, users)
    _compile_open_years(app)
    client = login_as("researcher")
    etag = client.get("/exports/?" + XLSX_QUERY).headers["ETag"]
    again = client.get("/exports/?" + XLSX_QUERY, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert len(_exports(app)) == 1


def test_an_out_of_date_file_is_never_sent(app, users, login_as):
    from monitor.excel.models import ExportBuild, ExportFile

    _approved(app, users)
    _compile_open_years(app)
    client = login_as("researcher")
    # a draft is not counted: the stored file is still current
    make_return(app, "valmieras-novads", 2026, complete_answers(), actor_id=users["admin"].id)
    assert client.get("/exports/?" + XLSX_QUERY).status_code == 200
    # a third approved return: the stored file is out of date and is not sent; the scheduler builds a new one
    make_return(app, "ogres-novads", 2026, complete_answers(), actor_id=users["admin"].id, status="approved")
    response = client.get("/exports/?" + XLSX_QUERY)
    assert response.status_code == 302 and "/exports/builds/" in response.location
    assert _count(app, ExportBuild) == 1
    assert _run_builds(app).result == {"built": 1, "failed": 0}
    data = client.get(response.location + "/file").data
    assert load_workbook(io.BytesIO(data))["Data"].max_row == 4
    assert _count(app, ExportFile, ExportFile.variant.like("2026-2026.xlsx.codes.lv.%")) == 1  # the old one is gone
    assert client.get("/exports/?" + XLSX_QUERY).status_code == 200  # and the new one is stored
    assert [d["rows"] for d in _exports(app)] == [2, 3, 3]


def test_a_renamed_municipality_makes_the_files_out_of_date(app, users, login_as):
    from monitor.extensions import db
    from monitor.registry.models import Municipality

    _approved(app, users)
    _compile_open_years(app)
    with app.app_context():
        db.session.scalar(select(Municipality).where(Municipality.slug == "liepaja")).name_lv = "Liepāja (pārdēvēta)"
        db.session.commit()
    assert login_as("researcher").get("/exports/?" + XLSX_QUERY).status_code == 302


def test_nothing_is_stored_on_compile_when_that_is_off(app, users, login_as, monkeypatch):
    from monitor.excel.models import ExportFile

    monkeypatch.setitem(app.config, "EXPORT_FILES_ON_COMPILE", False)
    _approved(app, users)
    assert _compile_open_years(app)["export_files"] == {}
    assert _count(app, ExportFile) == 0
    response = download_export(app, login_as("researcher"), XLSX_QUERY)
    assert response.status_code == 200 and load_workbook(io.BytesIO(response.data))["Data"].max_row == 3


def test_the_cli_writes_the_stored_file(app, users, tmp_path):
    from monitor.excel.models import ExportFile
    from monitor.extensions import db

    _approved(app, users)
    _compile_open_years(app)
    out = tmp_path / "b.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "benchmark", "--first", "2026", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with app.app_context():
        stored = db.session.scalar(select(ExportFile).where(ExportFile.variant == "2026-2026.xlsx.codes.lv.approved"))
        assert hashlib.sha256(out.read_bytes()).hexdigest() == stored.sha256


# --------------------------------------------------------------------------------- built on request

def test_a_range_of_years_is_built_by_the_scheduler_and_its_page_follows_it(app, users, login_as, monkeypatch):
    from monitor.excel.models import ExportBuild
    from monitor.extensions import db

    _approved(app, users, 2025)
    _approved(app, users, 2026)
    _compile_open_years(app)  # single years are stored; a range never is before someone asks
    client = login_as("researcher")
    query = "first=2025&last=2026&format=xlsx&values=codes&lang=lv"
    response = client.get("/exports/?" + query)
    assert response.status_code == 302
    page_url = response.location
    assert client.get("/exports/?" + query).location == page_url  # asking again joins the same build
    page = client.get(page_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "rindā" in page and "2025–2026" in page  # Latvian by default
    assert "administratoram" not in page  # only after a wait the scheduler should not need

    build_id = int(page_url.rsplit("/", 1)[1])
    with app.app_context():  # as the page looks while the scheduler reads the years
        build = db.session.get(ExportBuild, build_id)
        build.status, build.years_done = "running", 1
        db.session.commit()
    page = client.get(page_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and '<progress' in page and 'value="1"' in page and "1 no 2" in page
    assert client.get(page_url + "/file").location.endswith(page_url)  # not ready: back to the page
    with app.app_context():
        db.session.get(ExportBuild, build_id).status = "pending"
        db.session.commit()

    seen = []
    from monitor.excel import builds

    original = builds.build_file

    def watching(export, **kwargs):
        def progress(done, total):
            seen.append((done, total))
            kwargs["progress"](done, total)
        return original(export, trigger=kwargs["trigger"], progress=progress)

    monkeypatch.setattr(builds, "build_file", watching)
    assert _run_builds(app).result == {"built": 1, "failed": 0}
    monkeypatch.undo()
    assert seen == [(0, 2), (1, 2), (2, 2)]
    page = client.get(page_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and f"/exports/builds/{build_id}/file" in page
    assert "remigration-benchmark-2025-2026.xlsx" in page
    data = client.get(page_url + "/file")
    assert data.status_code == 200 and int(data.headers["Content-Length"]) == len(data.data)
    rows = load_workbook(io.BytesIO(data.data))["Data"]
    assert sorted((r[4].value, r[0].value) for r in rows.iter_rows(min_row=2)) == [
        (2025, "cesu-novads"), (2025, "liepaja"), (2026, "cesu-novads"), (2026, "liepaja")]
    assert _exports(app)[-1] == {"years": "2025-2026", "format": "xlsx", "rows": 4, "file": _exports(app)[-1]["file"]}
    assert client.get("/exports/?" + query).status_code == 200  # the range is stored now: sent at once


def test_a_build_that_fails_says_so_and_offers_another_try(app, users, login_as, monkeypatch):
    from monitor.excel import builds

    _approved(app, users)
    client = login_as("researcher")
    response = client.get("/exports/?" + XLSX_QUERY)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(builds, "build_file", broken)
    assert _run_builds(app).result == {"built": 0, "failed": 1}
    page = client.get(response.location).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "disk full" not in page and 'role="alert"' in page
    assert "/exports/?first=2026" in page.replace("&amp;", "&")
    monkeypatch.undo()
    again = client.get("/exports/?" + XLSX_QUERY)  # "try again": a new build
    assert again.status_code == 302 and again.location != response.location


def test_a_build_that_waits_long_says_whom_to_tell(app, users, login_as):
    import datetime as dt

    from monitor.excel.models import ExportBuild
    from monitor.extensions import db

    _approved(app, users)
    client = login_as("researcher")
    page_url = client.get("/exports/?" + XLSX_QUERY).location
    with app.app_context():
        build = db.session.scalar(select(ExportBuild))
        build.requested_at -= dt.timedelta(minutes=5)
        db.session.commit()
    page = client.get(page_url).get_data(as_text=True)
    assert "administratoram" in page and 'http-equiv="refresh"' in page


def test_a_build_left_running_by_a_dead_scheduler_is_built_again(app, users, login_as):
    import datetime as dt

    from monitor.excel.models import ExportBuild
    from monitor.extensions import db
    from monitor.models_base import utcnow

    _approved(app, users)
    client = login_as("researcher")
    page_url = client.get("/exports/?" + XLSX_QUERY).location
    with app.app_context():
        build = db.session.scalar(select(ExportBuild))
        build.status, build.started_at = "running", utcnow() - dt.timedelta(minutes=5)
        db.session.commit()
    assert _run_builds(app).result == {"built": 0, "failed": 0}  # still within its time: left alone
    with app.app_context():
        db.session.scalar(select(ExportBuild)).started_at = utcnow() - dt.timedelta(hours=1)
        db.session.commit()
    assert _run_builds(app).result == {"built": 1, "failed": 0, "requeued": 1}
    assert client.get(page_url + "/file").status_code == 200


# ------------------------------------------------------------------------------------------- who may

@pytest.mark.parametrize("role,status", [("researcher", 200), ("reviewer", 200), ("admin", 200), ("editor", 404)])
def test_only_the_roles_that_export_may_download(app, users, login_as, role, status):
    _approved(app, users)
    _compile_open_years(app)
    assert login_as(role).get("/exports/?" + XLSX_QUERY).status_code == status


def test_a_build_is_its_requesters_own(app, users, login_as):
    from tests.conftest import login, make_user

    _approved(app, users)
    owner = login_as("researcher")
    page_url = owner.get("/exports/?" + XLSX_QUERY).location
    _run_builds(app)
    assert owner.get(page_url + "/file").status_code == 200
    other = login(app.test_client(), make_user(app, "other-researcher@test.lv", "researcher"))
    for client in (other, login_as("admin"), login_as("editor")):
        assert client.get(page_url).status_code == 404
        assert client.get(page_url + "/file").status_code == 404
    assert [d["rows"] for d in _exports(app)] == [2]
    assert login_as("researcher").get("/exports/builds/999999").status_code == 404
