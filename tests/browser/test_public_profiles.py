"""A visitor abroad reads a municipality profile in a real browser (Chromium via Playwright), with no login,
at 1366 px and at phone width (390 px), in Latvian and then in English through the language switch (which
works with CSRF protection on). No page scrolls sideways; screenshots go to ``BROWSER_ARTEFACTS``."""

from __future__ import annotations


import pytest

from tests.browser.helpers import look
from tests.factories import complete_answers, make_return

pytestmark = pytest.mark.browser



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



def test_a_visitor_reads_a_profile_in_both_languages(app, approved, live_server, browser_page):
    page = browser_page
    look(page, f"{live_server}/", "public-home")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('main a[href="/municipalities/"]').click()
    look(page, page.url, "public-index-lv")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('a[href="/municipalities/cesu-novads"]').click()
    look(page, page.url, "public-profile-lv")
    assert page.locator("h1").inner_text() == "Cēsu novads"
    assert page.locator("article.measure").count() >= 4
    assert page.locator("article.measure .who").count() == page.locator("article.measure").count()
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('button[value="en"]').click()
    assert page.url.endswith("/municipalities/cesu-novads")
    look(page, page.url, "public-profile-en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Who can use it" in page.locator("main").inner_text()
    look(page, f"{live_server}/returning", "public-returning-en")


def test_a_visitor_reads_the_comparative_figures_on_a_phone(app, approved, live_server, browser_page):
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot, load_reference_data

    with app.app_context():
        load_reference_data()
        compile_snapshot(2026)
        db.session.commit()
    page = browser_page
    look(page, f"{live_server}/figures", "public-figures-lv")
    assert page.locator("h1").inner_text() == "Salīdzinošie rādītāji 2026"
    link = page.locator('main table a[href^="/figures/2026/indicators/"]').first
    with page.expect_navigation(wait_until="domcontentloaded"):
        link.click()
    look(page, page.url, "public-figures-indicator-lv")
    assert page.locator("svg.map").count() == 1
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('button[value="en"]').click()
    look(page, f"{live_server}/figures", "public-figures-en")
    assert page.locator("h1").inner_text() == "Comparative figures 2026"


def test_a_visitor_searches_without_diacritics_opens_the_profile_and_switches_language(app, approved, live_server,
                                                                                       browser_page):
    page = browser_page
    page.goto(f"{live_server}/measures")
    page.locator("#q").fill("individualas konsultacijas")  # typed on a keyboard without Latvian letters
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('form.search-form button[type="submit"]').click()
    assert "q=individualas+konsultacijas" in page.url  # every search is a shareable address
    look(page, page.url, "public-search-lv")
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
