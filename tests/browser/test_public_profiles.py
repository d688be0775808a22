"""A visitor abroad reads a municipality profile in a real browser (Chromium via Playwright), with no login,
at 1366 px and at phone width (390 px), in Latvian and then in English through the language switch (which
works with CSRF protection on). No page scrolls sideways; screenshots go to ``BROWSER_ARTEFACTS``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.factories import complete_answers, make_return

pytestmark = pytest.mark.browser

ARTEFACTS = Path(os.environ.get("BROWSER_ARTEFACTS", "/tmp/browser-artefacts"))


@pytest.fixture
def approved(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import submit_return
    from monitor.review.operations import approve_return

    answers = complete_answers(2026)
    answers.update(job_creation_support="yes", extra_latvian_lessons="yes",
                   support_offered_to_remigrants="Individuālas konsultācijas par dzīvesvietu, darbu un skolu.")
    rid = make_return(app, "cesu-novads", 2026, answers, actor_id=users["admin"].id)
    with app.app_context():
        ret, admin = db.session.get(AnnualReturn, rid), db.session.get(User, users["admin"].id)
        assert submit_return(ret, base_version=ret.version, actor=admin).submitted
        approve_return(ret, admin, base_version=ret.version)
        db.session.commit()


def _look(page: Any, url: str, name: str) -> None:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{url} scrolls sideways by {overflow} px at {width} px"
        page.screenshot(path=str(ARTEFACTS / f"public-{name}-{width}.png"), full_page=True)


def test_a_visitor_reads_a_profile_in_both_languages(app, approved, live_server, browser_page):
    page = browser_page
    _look(page, f"{live_server}/", "home")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('main a[href="/municipalities/"]').click()
    _look(page, page.url, "index-lv")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('a[href="/municipalities/cesu-novads"]').click()
    _look(page, page.url, "profile-lv")
    assert page.locator("h1").inner_text() == "Cēsu novads"
    assert page.locator("article.measure").count() >= 4
    assert page.locator("article.measure .who").count() == page.locator("article.measure").count()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('button[value="en"]').click()
    assert page.url.endswith("/municipalities/cesu-novads")
    _look(page, page.url, "profile-en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Who can use it" in page.locator("main").inner_text()
    _look(page, f"{live_server}/returning", "returning-en")


def test_a_visitor_reads_the_comparative_figures_on_a_phone(app, approved, live_server, browser_page):
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot, load_reference_data

    with app.app_context():
        load_reference_data()
        compile_snapshot(2026)
        db.session.commit()
    page = browser_page
    _look(page, f"{live_server}/figures", "figures-lv")
    assert page.locator("h1").inner_text() == "Salīdzinošie rādītāji 2026"
    link = page.locator('main table a[href^="/figures/2026/indicators/"]').first
    with page.expect_navigation(wait_until="domcontentloaded"):
        link.click()
    _look(page, page.url, "figures-indicator-lv")
    assert page.locator("svg.map").count() == 1
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('button[value="en"]').click()
    _look(page, f"{live_server}/figures", "figures-en")
    assert page.locator("h1").inner_text() == "Comparative figures 2026"


def test_a_visitor_searches_without_diacritics_opens_the_profile_and_switches_language(app, approved, live_server,
                                                                                       browser_page):
    page = browser_page
    page.goto(f"{live_server}/measures")
    page.locator("#q").fill("individualas konsultacijas")  # typed on a keyboard without Latvian letters
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('form.search-form button[type="submit"]').click()
    assert "q=individualas+konsultacijas" in page.url  # every search is a shareable address
    _look(page, page.url, "search-lv")
    hit = page.locator('p.where a[href^="/municipalities/cesu-novads"]').first
    assert hit.inner_text() == "Cēsu novads"
    with page.expect_navigation(wait_until="domcontentloaded"):
        hit.click()
    assert page.locator("h1").inner_text() == "Cēsu novads"
    assert "Individuālas konsultācijas" in page.locator("main").inner_text()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('button[value="en"]').click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.split("#")[0].endswith("/municipalities/cesu-novads")
    assert "Who can use it" in page.locator("main").inner_text()
