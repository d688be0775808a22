"""A researcher reads the comparative report in a real browser (Chromium via Playwright), at 1366 px and at
phone width (390 px): the landing page with its contents, an indicator page with its charts and time series,
and the scatter of the study's table. No page scrolls sideways; screenshots are kept as test artefacts in
``BROWSER_ARTEFACTS`` (default ``/tmp/browser-artefacts``)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import PASSWORD, make_user
from tests.browser.helpers import look
from tests.factories import complete_answers, make_return

pytestmark = pytest.mark.browser

TOPICALITY = "remigration_promotion_topicality.very_topical"
SCATTER = "state_support_vs_grant_uptake"
PLACES = ("cesu-novads", "liepaja", "jelgava", "daugavpils", "ogres-novads", "valmieras-novads")


@pytest.fixture
def compiled(app):
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot, load_reference_data

    editor = make_user(app, "editor.reports@test.lv", "editor", municipality="cesu-novads")
    for i, slug in enumerate(PLACES):
        answers = complete_answers()
        answers["state_support_sufficiency_score"] = 3 + i % 3
        make_return(app, slug, 2026, answers, actor_id=editor.id, status="approved")
        if i < 3:
            make_return(app, slug, 2025, complete_answers(2025), actor_id=editor.id, status="approved")
    with app.app_context():
        load_reference_data()
        for year in (2025, 2026):
            compile_snapshot(year)
        db.session.commit()


def _sign_in(page: Any, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('main form button[type="submit"]').click()
    assert "/login" not in page.url



def test_a_researcher_reads_the_report_landing_an_indicator_and_the_scatter(app, compiled, live_server,
                                                                          browser_page):
    page = browser_page
    researcher = make_user(app, "researcher.browser@test.lv", "researcher")
    _sign_in(page, live_server, researcher.email)

    look(page, f"{live_server}/reports/", "reports-landing")
    assert page.locator("h1").inner_text().endswith("2026")  # opens on the latest year with counted returns
    contents = page.locator("nav.contents")
    assert contents.is_visible() and contents.locator("a").count() > 10
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator(f'a[href*="/indicators/{TOPICALITY}"]').first.click()

    look(page, page.url, "reports-indicator")
    charts = page.locator("svg.chart")
    assert charts.count() >= 2  # the areas' bars and the series across the years
    assert page.locator("svg.chart .x-axis").count() >= 1 and page.locator("svg.chart .y-axis").count() >= 1
    series = page.locator("#series")
    assert series.locator("svg circle[data-year='2025']").count() == 1
    assert series.locator("svg circle[data-year='2026']").count() == 1
    assert series.locator("tbody tr").count() >= 3  # published 2017/2022 figures and the two reporting years
    box = series.locator("svg").bounding_box()
    assert box is not None and box["width"] <= 390  # the chart scales down to the phone's width

    look(page, f"{live_server}/reports/2026/tables/{SCATTER}", "reports-scatter")
    dots = page.locator("svg.chart circle.chart-dot[data-count]")
    assert sum(int(d.get_attribute("data-count")) for d in dots.all()) == len(PLACES)
    assert page.locator("svg.chart .chart-fit").count() == 1
    assert page.locator("svg.chart .fit-note").count() >= 1
