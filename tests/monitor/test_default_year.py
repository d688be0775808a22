"""Which reporting year a page opens on when the address names none (``returns.queries.default_period``).

A new reporting year opens empty (in the demo: 2026, opened 1 November 2026, while the demo's returns are for
2025). Reviewers, administrators and the dashboard open on the newest open year with a return that reached review;
an editor on the oldest open year whose return waits for them, else on the year open for entry.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.factories import complete_answers, make_return

DECEMBER_2026 = dt.date(2026, 12, 2)  # 2025 and 2026 have opened (1 November), 2027 has not
JUNE_2026 = dt.date(2026, 6, 1)  # only 2025 has opened


def _year(app, user_ref, today=DECEMBER_2026):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.returns.queries import default_period

    with app.app_context():
        period = default_period(db.session.get(User, user_ref.id), today)
        return period.year if period else None


def _heading_year(page: str) -> str:
    return re.search(r"<h1>[^<]*?(\d{4})\s*</h1>", page).group(1)


@pytest.fixture
def last_year_submitted(app, users):
    """Cēsis (Vidzeme) submitted its 2025 return; Valmiera (Vidzeme) only started 2026 (a draft)."""
    make_return(app, "cesu-novads", 2025, complete_answers(2025), actor_id=users["admin"].id, status="submitted")
    make_return(app, "valmieras-novads", 2026, {}, actor_id=users["admin"].id)


def test_without_any_return_the_year_open_for_entry(app, users):
    assert _year(app, users["admin"]) == 2026
    assert _year(app, users["reviewer"]) == 2026
    assert _year(app, users["editor"]) == 2026
    assert _year(app, users["admin"], JUNE_2026) == 2025  # 2026 has not opened yet


def test_reviewers_open_on_the_newest_year_with_a_return_that_reached_review(app, users, last_year_submitted):
    assert _year(app, users["reviewer"]) == 2025  # a 2026 draft is no work for a reviewer yet
    assert _year(app, users["admin"]) == 2025
    make_return(app, "liepaja", 2026, complete_answers(2026), actor_id=users["admin"].id, status="submitted")
    assert _year(app, users["admin"]) == 2026  # the administrator sees Liepāja's
    assert _year(app, users["reviewer"]) == 2025  # Vidzeme's reviewer does not (Kurzeme)
    assert _year(app, users["reviewer_other"]) == 2026
    make_return(app, "ogres-novads", 2026, {}, actor_id=users["admin"].id,
                status="approved")
    assert _year(app, users["reviewer"]) == 2026  # approved counts as reached review


def test_a_year_that_has_not_opened_is_not_chosen(app, users):
    make_return(app, "cesu-novads", 2026, complete_answers(2026), actor_id=users["admin"].id, status="submitted")
    assert _year(app, users["admin"]) == 2026
    assert _year(app, users["admin"], JUNE_2026) == 2025


def test_an_editor_opens_on_the_return_that_waits_for_them(app, users):
    admin = users["admin"].id
    make_return(app, "cesu-novads", 2025, complete_answers(2025), actor_id=admin, status="approved")
    assert _year(app, users["editor"]) == 2026  # last year's is done: the year open for entry
    make_return(app, "liepaja", 2025, complete_answers(2025), actor_id=admin, status="returned")
    assert _year(app, users["editor_other"]) == 2025  # returned for correction: it waits for them
    make_return(app, "liepaja", 2026, {}, actor_id=admin)
    assert _year(app, users["editor_other"]) == 2025  # the oldest waiting return first
    assert _year(app, users["editor"]) == 2026


def test_the_pages_open_on_last_year_and_offer_the_year_switch(app, users, last_year_submitted, login_as):
    reviewer, admin = login_as("reviewer"), login_as("admin")
    for client, url in ((reviewer, "/review/"), (reviewer, "/dashboard"), (admin, "/returns/"),
                        (admin, "/review/"), (admin, "/dashboard")):
        page = client.get(url).get_data(as_text=True)
        assert _heading_year(page) == "2025", url
        switch = page.split('<select id="year" name="year">')[1].split("</select>")[0]  # the visible year switch
        assert '<option value="2026">' in switch and '<option value="2025" selected>' in switch, url
        assert _heading_year(client.get(url + "?year=2026").get_data(as_text=True)) == "2026", url


def test_an_editor_is_sent_to_the_return_returned_for_correction_and_sees_the_other_years(app, users, login_as,
                                                                                         monkeypatch):
    import monitor.clock

    monkeypatch.setattr(monitor.clock, "riga_today", lambda: DECEMBER_2026)
    make_return(app, "cesu-novads", 2025, complete_answers(2025), actor_id=users["admin"].id, status="returned")
    editor = login_as("editor")
    response = editor.get("/returns/")
    assert response.status_code == 302 and response.location.endswith("/returns/cesu-novads/2025")
    page = editor.get("/returns/cesu-novads/2026").get_data(as_text=True)
    switch = page.split('<nav class="year-switch"')[1].split("</nav>")[0]
    assert 'href="/returns/cesu-novads/2025"' in switch and "2027" not in switch  # 2027 has not opened yet
    assert re.search(r"\((Atgriezts labošanai|Returned for correction)\)", switch)
