"""A municipality editor works on the return in Excel through a real browser: downloads the prefilled template,
uploads a file with a mistake (gets the list of problems by sheet and cell, nothing saved), then the corrected
file (saved), all with CSRF on. The file is edited with openpyxl as a person would in Excel."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from forms import get_definition
from tests.conftest import PASSWORD, make_user
from tests.factories import complete_answers, make_return

pytestmark = pytest.mark.browser

YEAR = 2026
SLUG = "cesu-novads"


def _click_and_load(page: Any, locator: Any) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        locator.click()


def _with_answers(data: bytes, changes: dict[str, Any]) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(min_col=1, max_col=3):
            if row[0].value in changes:
                row[2].value = changes[row[0].value]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _upload(page: Any, name: str, data: bytes) -> None:
    page.locator("#file").set_input_files(files=[{
        "name": name, "buffer": data,
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    _click_and_load(page, page.locator('main form[enctype="multipart/form-data"] button[type="submit"]'))


def _stored(app: Any) -> dict[str, Any]:
    from sqlalchemy import select

    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import load_answers

    with app.app_context():
        ret = db.session.scalar(select(AnnualReturn).join(Municipality).where(Municipality.slug == SLUG))
        return load_answers(ret, get_definition(YEAR))


def test_editor_downloads_fills_and_uploads_the_excel_template(app, live_server, browser_page):
    page = browser_page
    editor = make_user(app, "editor.excel@test.lv", "editor", municipality=SLUG)
    make_return(app, SLUG, YEAR, complete_answers(YEAR), actor_id=editor.id)
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(editor.email)
    page.locator("#password").fill(PASSWORD)
    _click_and_load(page, page.locator('main form button[type="submit"]'))

    page.goto(f"{live_server}/returns/{SLUG}/{YEAR}")
    _click_and_load(page, page.get_by_role("link", name="Strādāt ar Excel"))
    with page.expect_download() as info:
        page.get_by_role("link", name="Lejupielādēt pārskatu kā Excel failu").click()
    download = info.value
    assert download.suggested_filename == f"{SLUG}-{YEAR}-veidne.xlsx"
    template = open(download.path(), "rb").read()
    before = _stored(app)

    # a mistake: more children than persons — refused, listed with its sheet and cell, nothing saved
    _upload(page, "veidne.xlsx", _with_answers(template, {"returnees_children": 400}))
    summary = page.locator("#upload-problems")
    assert summary.is_visible() and "Nekas nav saglabāts" in summary.inner_text()
    rows = page.locator("main table.data tbody tr")
    assert rows.count() >= 1
    cells = rows.first.locator("td")
    assert cells.nth(0).inner_text().strip() not in ("", "—") and cells.nth(1).inner_text().strip()[0].isalpha()
    assert _stored(app) == before

    # corrected: saved, and the overview says how many answers changed
    _upload(page, "veidne.xlsx", _with_answers(template, {"returnees_children": 4, "returnees_persons": 30}))
    assert page.url.endswith(f"/returns/{SLUG}/{YEAR}")
    assert "mainītas 2 atbildes" in page.locator(".flash-success").inner_text()
    after = _stored(app)
    assert after["returnees_children"] == 4 and after["returnees_persons"] == 30
