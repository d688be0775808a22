"""Every role's main pages in a real browser (Chromium via Playwright) at 1366 px and at phone width (390 px):
no page scrolls sideways (``document.documentElement.scrollWidth <= innerWidth``; wide tables scroll inside
their own box), every such box can be reached by keyboard and has a name, a repeating group stacks as one card
per entry on a phone, and the review page shows last year's entries of a repeating group beside this year's
(under them on a phone). Full-page screenshots of both widths go to ``BROWSER_ARTEFACTS`` (default
``/tmp/browser-artefacts``) as ``layout-<page>-<width>.png``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.helpers import look
from tests.conftest import PASSWORD
from tests.factories import complete_answers, make_return

pytestmark = pytest.mark.browser

LAST_YEAR_PROGRAMME = "Pagājušā gada jauniešu uzņēmējdarbības konkurss"
THIS_YEAR_PROGRAMME = "Šī gada digitālo inovāciju balva ar ļoti garu nosaukumu, kas neietilpst šaurā kolonnā"

#: every scroll box: focusable (tabindex 0), a region, and named (aria-label, or aria-labelledby of a non-empty element)
UNNAMED_SCROLL_BOXES = """() => [...document.querySelectorAll('.table-scroll')].filter(box => {
  const by = box.getAttribute('aria-labelledby');
  const named = (box.getAttribute('aria-label') || '').trim()
    || (by && document.getElementById(by) && document.getElementById(by).textContent.trim());
  return !(box.tabIndex === 0 && box.getAttribute('role') === 'region' && named);
}).map(box => box.outerHTML.slice(0, 120))"""

def _programme(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "kind": "startup_grant", "eligibility": "open_to_all", "max_grant_eur": "5000",
            "total_fund_eur": "30000", "applications_received": 20, "applications_evaluated": 15,
            "applications_supported": 6, **extra}

@pytest.fixture
def layout_data(app, users):
    """Cēsis: 2025 approved (published, compiled) and 2026 submitted, both with grant programmes; Valmiera: a 2026
    draft; Liepāja: an approved 2025 return (a second place in the reports)."""
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.public.operations import rebuild_published
    from monitor.reporting.operations import compile_snapshot, load_reference_data
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import submit_return
    from monitor.review.operations import approve_return

    admin_id = users["admin"].id
    last_year = complete_answers(2025)
    last_year["grant_programmes"] = [_programme(LAST_YEAR_PROGRAMME)]
    this_year = complete_answers(2026)
    this_year["grant_programmes"] = [_programme("Cēsu novada uzņēmējdarbības atbalsta konkurss"),
                                     _programme(THIS_YEAR_PROGRAMME, kind="innovation")]
    ids = [make_return(app, "cesu-novads", 2025, last_year, actor_id=admin_id),
           make_return(app, "liepaja", 2025, complete_answers(2025), actor_id=admin_id)]
    submitted = make_return(app, "cesu-novads", 2026, this_year, actor_id=admin_id)
    make_return(app, "valmieras-novads", 2026, complete_answers(2026), actor_id=admin_id)
    with app.app_context():
        admin = db.session.get(User, admin_id)
        for rid in ids:
            ret = db.session.get(AnnualReturn, rid)
            assert submit_return(ret, base_version=ret.version, actor=admin).submitted
            approve_return(ret, admin, base_version=ret.version)
        ret = db.session.get(AnnualReturn, submitted)
        assert submit_return(ret, base_version=ret.version, actor=admin).submitted
        load_reference_data()
        compile_snapshot(2025)
        rebuild_published()
        db.session.commit()

def _sign_in(page: Any, live_server: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('main form button[type="submit"]').click()
    assert "/login" not in page.url, page.locator("main").inner_text()[:300]


def _look(page: Any, url: str, name: str) -> None:
    """``look`` (both widths, no sideways scrolling, screenshots), then: every scroll box is reachable and named."""
    look(page, url, f"layout-{name}")
    assert page.evaluate(UNNAMED_SCROLL_BOXES) == [], url


def test_every_role_s_main_pages_fit_at_1366_and_at_390_px(app, users, layout_data, live_server, browser_page):
    page, base = browser_page, live_server

    # the public: landing page, a municipality profile, the measures search, the figures, the API documentation
    for url, name in (("/", "public-home"), ("/municipalities/cesu-novads", "public-profile"),
                      ("/measures?q=konkurss", "public-measures"), ("/figures", "public-figures"),
                      ("/api/v1/", "public-api-docs")):
        _look(page, base + url, name)

    # a municipality editor: the return's overview and a section with a repeating group, read-only and editable
    _sign_in(page, base, users["editor"].email)
    _look(page, f"{base}/returns/cesu-novads/2026", "editor-overview")
    _look(page, f"{base}/returns/cesu-novads/2025/sections/business_grants", "editor-section-readonly")
    # on a phone (look ends at 390 px) each programme is a card whose cells carry their column's name
    assert page.locator("table.cards > tbody > tr").first.evaluate("tr => getComputedStyle(tr).display") == "block"
    assert page.locator("table.cards td[data-label]").first.get_attribute("data-label")
    page.set_viewport_size({"width": 1366, "height": 900})
    assert page.locator("table.cards > tbody > tr").first.evaluate("tr => getComputedStyle(tr).display") == "table-row"

    _sign_in(page, base, users["admin"].email)  # Valmiera's draft, editable (the admin edits on behalf)
    _look(page, f"{base}/returns/valmieras-novads/2026/sections/business_grants", "editor-section-editable")

    # a reviewer: the desk, the review page with last year's programmes beside this year's, the dashboard
    _sign_in(page, base, users["reviewer"].email)
    _look(page, f"{base}/review/", "reviewer-desk")
    _look(page, f"{base}/review/cesu-novads/2026", "reviewer-review")
    pair = page.locator("#r-grant_programmes .year-pair")
    this_year, previous = pair.locator("> div").nth(0), pair.locator("> div").nth(1)
    assert THIS_YEAR_PROGRAMME in this_year.inner_text() and LAST_YEAR_PROGRAMME not in this_year.inner_text()
    assert LAST_YEAR_PROGRAMME in previous.inner_text() and "2025" in previous.inner_text()
    assert previous.locator(".entry-cards > li").count() == 1 and this_year.locator(".entry-cards > li").count() == 2
    phone_this, phone_previous = this_year.bounding_box(), previous.bounding_box()
    assert phone_previous["y"] >= phone_this["y"] + phone_this["height"] - 1  # under this year's on a phone
    page.set_viewport_size({"width": 1366, "height": 900})
    wide_this, wide_previous = this_year.bounding_box(), previous.bounding_box()
    assert abs(wide_previous["y"] - wide_this["y"]) < 1 and wide_previous["x"] > wide_this["x"]  # beside it
    _look(page, f"{base}/dashboard", "reviewer-dashboard")

    # a researcher: the reports' index, a report page, the data downloads
    _sign_in(page, base, users["researcher"].email)
    _look(page, f"{base}/reports/?year=2025", "researcher-reports")
    _look(page, f"{base}/reports/2025/regions/vidzeme-region", "researcher-report-region")
    _look(page, f"{base}/exports/", "researcher-downloads")

    # an administrator: the audit log, the scheduled jobs, the reporting years, the outbox, all returns of a year
    _sign_in(page, base, users["admin"].email)
    for url, name in (("/admin/audit", "admin-audit"), ("/admin/jobs/", "admin-jobs"),
                      ("/review/periods", "admin-years"), ("/admin/outbox", "admin-outbox"),
                      ("/returns/?year=2026", "admin-returns")):
        _look(page, base + url, name)
