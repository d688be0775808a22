"""Report pages a researcher can read: the contents block, the small-base rule, each caveat once with footnote
marks, and no link that answers 404 for the role that sees it (issue 11, parts 1–3 and 9)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from markupsafe import escape

from tests.factories import compile_year as _compile
from tests.factories import complete_answers, make_return

TOPICALITY = "remigration_promotion_topicality.very_or_rather_topical"



@pytest.fixture
def two_returns(app, users):
    """A year with a small base: two approved returns (Vidzeme and Kurzeme)."""
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    make_return(app, "liepaja", 2026, complete_answers(), actor_id=users["editor_other"].id, status="approved")
    return _compile(app)


def _is_pdf(link: str) -> bool:
    return link.split("?", 1)[0].endswith(".pdf")


def _links(page: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<a [^>]*href="([^"]+)"', page)]


def test_landing_page_has_a_contents_block_and_opens_on_a_year_with_returns(app, users, login_as, two_returns):
    from monitor.extensions import db
    from monitor.reporting.models import ReportSnapshot
    from monitor.reporting.operations import compile_snapshot

    with app.app_context():  # a later compilation of an earlier year that counts nothing must not be the default
        compile_snapshot(2025)
        db.session.commit()
        payload = db.session.get(ReportSnapshot, two_returns).payload
    page = login_as("researcher").get("/reports/").get_data(as_text=True)
    assert "<h1>Salīdzinošais pārskats 2026</h1>" in page or "2026</h1>" in page
    start = page.index('id="contents-title"')
    contents = page[start:page.index("</nav>", start)]
    assert 'href="#national"' in contents and 'id="national"' in page
    for region in payload["regions"]:
        assert f"/reports/2026/regions/{region['slug']}?" in contents
    for table in payload["tables"]:
        assert f"/reports/2026/tables/{table['key']}?" in contents
    for section in ("attitudes", "planning", "measures"):  # indicators grouped by return section, with titles
        assert f'href="#section-{section}"' in contents and f'id="section-{section}"' in page
    assert "Attieksme" in contents or "attieksme" in contents.lower()
    assert "Valsts kopskats" in contents and "Pētījuma tabulas" in contents
    # the coverage line comes before the contents; the year selector says what each year counts
    assert page.index('class="coverage"') < page.index('id="contents-title"')
    assert "2026 — ieskaitītas 2" in page and "2025 — ieskaitītas 0" in page
    assert "2025</h1>" in login_as("researcher").get("/reports/?year=2025").get_data(as_text=True)


def test_small_base_shows_a_warning_and_no_change(app, users, login_as, two_returns, monkeypatch):
    client = login_as("researcher")
    urls = ("/reports/?year=2026", f"/reports/2026/indicators/{TOPICALITY}", "/reports/2026/regions/vidzeme-region")
    for url in urls:
        page = client.get(url).get_data(as_text=True)
        assert "maza bāze: n = " in page, url
        assert "p. p.</strong>" not in page and "→" not in page, url  # no change printed for a small base
        assert page.count("Mazas bāzes") == 1 and "mazāk nekā 5 ieskaitītās" in page, url  # the rule, once
    index = client.get(urls[0]).get_data(as_text=True)
    assert "maza bāze: n = 2 — parādīts informācijai" in index
    # the rule is a setting: with a threshold of 2 the same figures print their changes
    monkeypatch.setitem(app.config, "REPORT_SMALL_BASE", 2)
    index = client.get(urls[0]).get_data(as_text=True)
    assert "maza bāze" not in index and "p. p.</strong>" in index and "mazāk nekā 2 ieskaitītās" in index


def test_each_caveat_is_printed_once_and_comparisons_link_to_it(app, users, login_as, two_returns):
    from reports.caveats import CAVEATS, REFORM_2021

    client = login_as("researcher")
    tables = [t for t in client.get("/api/reports/2026").get_json()["report"]["tables"] if t["caveats"]]
    urls = ["/reports/?year=2026", f"/reports/2026/indicators/{TOPICALITY}", "/reports/2026/regions/vidzeme-region",
            "/reports/2026/municipalities/cesu-novads", *(f"/reports/2026/tables/{t['key']}" for t in tables[:2])]
    for url in urls:
        page = client.get(url).get_data(as_text=True)
        for caveat in CAVEATS:
            text = str(escape(caveat.lv))
            assert page.count(text) <= 1, (url, caveat.key)
            if text in page:  # printed once, as a note with an id, and every mark points at it
                assert page.count(f'id="caveat-{caveat.key}"') == 1, (url, caveat.key)
                assert f'href="#caveat-{caveat.key}"' in page, (url, caveat.key)
            else:
                assert f'href="#caveat-{caveat.key}"' not in page, (url, caveat.key)
    for url, marks in zip(urls[:2], (2, 1)):  # comparisons with 2017 are on these pages, each with its mark
        page = client.get(url).get_data(as_text=True)
        assert page.count(str(escape(REFORM_2021.lv))) == 1, url
        assert page.count('href="#caveat-reform_2021"') >= marks, url


def test_no_link_a_reviewer_sees_on_the_report_pages_answers_404(app, users, login_as, two_returns):
    first = two_returns
    make_return(app, "valmieras-novads", 2026, complete_answers(), actor_id=users["admin"].id, status="approved")
    latest = _compile(app)
    assert latest != first
    reviewer = login_as("reviewer")  # Vidzeme's
    start = "/reports/?year=2026"
    index = reviewer.get(start).get_data(as_text=True)
    assert "/api/reports" not in index  # the JSON API is for researchers and admins
    assert f"/reports/?year=2026&snapshot={first}" in unescape(index)  # an earlier compilation opens as a page
    pages = {start: index}
    for link in _links(index):
        if link.startswith("/reports/") and link not in pages and not _is_pdf(link):
            pages[link] = reviewer.get(link).get_data(as_text=True)
    assert any("/regions/kurzeme-region" in p for p in pages)
    kurzeme = next(body for url, body in pages.items() if "/regions/kurzeme-region" in url)
    assert "Liepājas valstspilsēta" in kurzeme and "/municipalities/liepaja" not in kurzeme  # not the reviewer's
    vidzeme = next(body for url, body in pages.items() if "/regions/vidzeme-region" in url)
    assert "/municipalities/cesu-novads" in vidzeme
    checked: dict[str, int] = {}
    for url, body in pages.items():
        for link in _links(body):
            if not link.startswith("/") or link.startswith("/static/") or _is_pdf(link):
                continue  # the report's PDF is built on its first download: tests/monitor/test_report_document.py
            target = link.split("#", 1)[0]
            if target not in checked:
                checked[target] = reviewer.get(target, follow_redirects=True).status_code
            assert checked[target] == 200, (url, link, checked[target])
    assert len(checked) > 10
    # researchers and admins get the JSON links, and they answer
    researcher = login_as("researcher")
    page = unescape(researcher.get(start).get_data(as_text=True))
    assert f"/api/reports/2026?snapshot={first}" in page
    assert researcher.get(f"/api/reports/2026?snapshot={first}").status_code == 200
