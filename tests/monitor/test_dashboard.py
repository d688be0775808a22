"""The completeness dashboard: hand-counted states and deadlines, extensions, section shares, scoping, the page."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from tests.factories import complete_answers, make_return

UTC = dt.UTC
TODAY = dt.date(2027, 4, 10)  # ten days after the general deadline of 2026 (31.03.2027)
VIDZEME_N = 11


def _at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def _set(app, return_id: int, **values) -> None:
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn

    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        for key, value in values.items():
            setattr(ret, key, value)
        db.session.commit()


def _extend(app, slug: str, deadline: dt.date, year: int = 2026) -> None:
    from monitor.extensions import db
    from monitor.periods.models import DeadlineExtension, ReportingPeriod
    from monitor.registry.models import Municipality

    with app.app_context():
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year))
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
        db.session.add(DeadlineExtension(period_id=period.id, municipality_id=municipality.id, deadline=deadline,
                                         reason="Plūdi"))
        db.session.commit()


def _board(app, user_id: int, year: int = 2026, today: dt.date = TODAY):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.review.dashboard import completeness

    with app.app_context():
        return completeness(db.session.get(User, user_id), year, today)


def _counts(mapping) -> dict[str, int]:
    return {key: c.count for key, c in mapping.items()}


@pytest.fixture
def vidzeme(app, users):
    """Vidzeme: Alūksne approved (on time), Cēsis submitted late, Gulbene returned (first submitted on time),
    Limbaži a draft, the other 7 not started. Liepāja (Kurzeme) has a draft."""
    actor = users["admin"].id
    complete = complete_answers()
    ids = {
        "aluksnes-novads": make_return(app, "aluksnes-novads", 2026, complete, actor_id=actor, status="approved"),
        "cesu-novads": make_return(app, "cesu-novads", 2026, complete, actor_id=actor, status="submitted"),
        "gulbenes-novads": make_return(app, "gulbenes-novads", 2026, {
            "respondent_name": "Anna", "respondent_role": "executive_director", "respondent_email": "a@gulbene.lv",
        }, actor_id=actor, status="returned"),
        "limbazu-novads": make_return(app, "limbazu-novads", 2026, {
            "respondent_name": "Jānis", "remigration_promotion_topicality": "rather_topical",
            "emigration_active_problem": "yes",
        }, actor_id=actor),
        "liepaja": make_return(app, "liepaja", 2026, {}, actor_id=actor),
    }
    _set(app, ids["aluksnes-novads"], first_submitted_at=_at(2027, 3, 20), submitted_at=_at(2027, 3, 20),
         submission_count=1)
    _set(app, ids["cesu-novads"], first_submitted_at=_at(2027, 4, 5), submitted_at=_at(2027, 4, 5),
         submission_count=1, is_late=True)
    _set(app, ids["gulbenes-novads"], first_submitted_at=_at(2027, 3, 30), submitted_at=_at(2027, 3, 30),
         submission_count=1)
    return ids


def test_region_counts_by_state_and_deadline(app, users, vidzeme):
    from monitor.review.dashboard import Count

    board = _board(app, users["reviewer"].id)
    assert [s.key for s in board.regions] == ["vidzeme-region"] and board.national is None
    region = board.regions[0]
    assert region.base == VIDZEME_N
    assert _counts(region.by_state) == {"approved": 1, "awaiting_review": 1, "returned": 1, "in_progress": 1,
                                        "not_started": 7}
    assert _counts(region.by_timeliness) == {"on_time": 2, "submitted_late": 1, "overdue": 8, "not_yet_due": 0}
    assert region.late == Count(9, VIDZEME_N) and region.not_submitted == Count(8, VIDZEME_N)
    assert all(c.base == VIDZEME_N for c in region.by_state.values())
    assert region.by_state["approved"].share == pytest.approx(1 / 11)
    # the crossing: every cell is hand-countable
    assert region.cross["approved"]["on_time"].count == 1
    assert region.cross["returned"]["on_time"].count == 1
    assert region.cross["awaiting_review"]["submitted_late"].count == 1
    assert region.cross["in_progress"]["overdue"].count == 1
    assert region.cross["not_started"]["overdue"].count == 7
    assert sum(c.count for row in region.cross.values() for c in row.values()) == VIDZEME_N


def test_late_and_missing_list_with_effective_deadline_and_days_late(app, users, vidzeme):
    board = _board(app, users["reviewer"].id)
    late = {m.slug: m for m in board.late_or_missing}
    assert len(late) == 9 and "aluksnes-novads" not in late and "gulbenes-novads" not in late
    assert late["cesu-novads"].timeliness == "submitted_late" and late["cesu-novads"].days_late == 5
    assert late["cesu-novads"].submitted_on == dt.date(2027, 4, 5)
    assert late["limbazu-novads"].timeliness == "overdue" and late["limbazu-novads"].days_late == 10
    assert late["ogres-novads"].state == "not_started" and late["ogres-novads"].deadline == dt.date(2027, 3, 31)
    assert board.late_or_missing[-1].slug == "cesu-novads"  # most days late first


def test_before_the_deadline_nothing_is_overdue(app, users, vidzeme):
    board = _board(app, users["reviewer"].id, today=dt.date(2027, 3, 31))  # the deadline day itself
    region = board.regions[0]
    assert _counts(region.by_timeliness) == {"on_time": 2, "submitted_late": 1, "overdue": 0, "not_yet_due": 8}
    assert region.late.count == 1 and region.not_submitted.count == 8


def test_extension_turns_late_into_on_time_and_overdue_into_not_yet_due(app, users, vidzeme):
    # Valmiera submitted on 03.04.2027, after the general deadline; when it submitted it had no extension yet
    valmiera = make_return(app, "valmieras-novads", 2026, complete_answers(), actor_id=users["admin"].id,
                           status="submitted")
    _set(app, valmiera, first_submitted_at=_at(2027, 4, 3), submitted_at=_at(2027, 4, 3), submission_count=1)
    before = {m.slug: m for m in _board(app, users["reviewer"].id).municipalities}
    assert before["valmieras-novads"].timeliness == "submitted_late" and before["valmieras-novads"].days_late == 3
    assert before["madonas-novads"].timeliness == "overdue"

    _extend(app, "valmieras-novads", dt.date(2027, 4, 15))
    _extend(app, "madonas-novads", dt.date(2027, 4, 30))
    board = _board(app, users["reviewer"].id)
    after = {m.slug: m for m in board.municipalities}
    assert after["valmieras-novads"].timeliness == "on_time" and after["valmieras-novads"].is_extended
    assert after["valmieras-novads"].deadline == dt.date(2027, 4, 15) and after["valmieras-novads"].days_late is None
    assert after["madonas-novads"].timeliness == "not_yet_due" and after["madonas-novads"].deadline == dt.date(
        2027, 4, 30)
    assert _counts(board.regions[0].by_timeliness) == {"on_time": 3, "submitted_late": 1, "overdue": 6,
                                                       "not_yet_due": 1}
    assert board.extensions == 2


def test_first_submission_is_judged_by_the_latvian_calendar_day():
    from monitor.review.dashboard import classify
    from monitor.returns.models import AnnualReturn

    deadline = dt.date(2027, 3, 31)  # Riga is UTC+3 (summer time) from 28.03.2027
    evening = AnnualReturn(status="submitted", is_late=False, first_submitted_at=_at(2027, 3, 31, 20, 30))
    after_midnight = AnnualReturn(status="submitted", is_late=False, first_submitted_at=_at(2027, 3, 31, 21, 30))
    assert classify(evening, deadline, TODAY)[1:] == ("on_time", dt.date(2027, 3, 31), None)
    assert classify(after_midnight, deadline, TODAY)[1:] == ("submitted_late", dt.date(2027, 4, 1), 1)
    flagged = AnnualReturn(status="approved", is_late=True, first_submitted_at=_at(2027, 3, 1))
    assert classify(flagged, deadline, TODAY)[1] == "submitted_late"  # the flag set at submission counts
    assert classify(None, deadline, TODAY) == ("not_started", "overdue", None, 10)


def test_section_shares_are_means_over_started_returns(app, users, vidzeme):
    region = _board(app, users["reviewer"].id).regions[0]
    assert region.started == 4
    shares = {s.key: s for s in region.sections}
    assert all(s.n == 4 for s in shares.values())
    # respondent (3 required): Alūksne 3/3, Cēsis 3/3, Gulbene 3/3, Limbaži 1/3
    assert shares["respondent"].mean_share == pytest.approx((1 + 1 + 1 + 1 / 3) / 4)
    # attitudes (8 required): 8/8, 8/8, 0/8, 2/8
    assert shares["attitudes"].mean_share == pytest.approx((1 + 1 + 0 + 2 / 8) / 4)
    # planning (6 required): complete twice, nothing in the other two
    assert shares["planning"].mean_share == pytest.approx(0.5)


def test_admin_sees_the_nation_and_every_region(app, users, vidzeme):
    board = _board(app, users["admin"].id)
    assert board.national is not None and board.national.base == 43
    assert [s.key for s in board.regions] == ["riga-region", "vidzeme-region", "kurzeme-region", "zemgale-region",
                                              "latgale-region"]
    assert sum(r.base for r in board.regions) == 43
    assert _counts(board.national.by_state) == {"approved": 1, "awaiting_review": 1, "returned": 1,
                                                "in_progress": 2, "not_started": 38}
    kurzeme = next(r for r in board.regions if r.key == "kurzeme-region")
    assert kurzeme.base == 8 and kurzeme.by_state["in_progress"].count == 1 and kurzeme.started == 1
    assert board.national.started == 5
    empty = next(r for r in board.regions if r.key == "riga-region")
    assert empty.started == 0 and all(s.mean_share is None and s.n == 0 for s in empty.sections)


def test_other_reviewer_sees_only_kurzeme(app, users, vidzeme):
    board = _board(app, users["reviewer_other"].id)
    assert [s.key for s in board.regions] == ["kurzeme-region"] and board.national is None
    assert {m.region_slug for m in board.municipalities} == {"kurzeme-region"}
    assert board.regions[0].by_state["in_progress"].count == 1


def test_roles_without_the_dashboard_are_refused(app, users):
    for key in ("editor", "researcher"):
        with pytest.raises(PermissionError):
            _board(app, users[key].id)


# ------------------------------------------------------------------------------------------------- the page

@pytest.fixture
def fixed_today(monkeypatch):
    import monitor.review.dashboard_views as views

    monkeypatch.setattr(views, "riga_today", lambda: TODAY)


def test_page_for_admin_shows_nation_regions_counts_and_percentages(app, users, vidzeme, login_as, fixed_today):
    response = login_as("admin").get("/dashboard")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'<th scope="row">Latvi(ja|a)</th><td>43</td>', page)  # Latvian, or English if not compiled
    assert "Vidzemes plānošanas reģions" in page and "Kurzemes plānošanas reģions" in page
    assert '1 <span class="muted">(9%)</span>' in page  # Vidzeme: 1 of 11 approved
    assert "n = 11" in page.split("Vidzemes plānošanas reģions:")[1].split("</caption>")[0]  # the caption's base
    assert "2026" in page


def test_page_for_reviewer_is_scoped_to_their_region(app, users, vidzeme, login_as, fixed_today):
    page = login_as("reviewer").get("/dashboard").get_data(as_text=True)
    assert "Vidzemes plānošanas reģions" in page
    assert "Kurzemes plānošanas reģions" not in page and "Liepāja" not in page
    assert not re.search(r'<th scope="row">Latvi(ja|a)</th>', page)
    late = page.split('id="late"')[1]
    assert "Cēsu novads" in late and "31.03.2027" in late and '<span class="text-error">5</span>' in late
    assert "Alūksnes novads" not in late


def test_page_in_english(app, users, vidzeme, fixed_today):
    from tests.conftest import login, make_user

    admin_en = make_user(app, "admin-en@test.lv", "admin", locale="en")
    page = login(app.test_client(), admin_en).get("/dashboard").get_data(as_text=True)
    assert "Completeness of returns 2026" in page and "Awaiting review (submitted or resubmitted)" in page
    assert "Not submitted, deadline passed" in page and "Vidzeme Planning Region" in page


def test_editor_and_researcher_get_404_and_anonymous_is_sent_to_login(app, users, login_as):
    assert login_as("editor").get("/dashboard").status_code == 404
    assert login_as("researcher").get("/dashboard").status_code == 404
    response = app.test_client().get("/dashboard")
    assert response.status_code == 302 and "/login" in response.location


def test_year_choice(app, users, login_as, fixed_today):
    client = login_as("reviewer")
    assert "2026" in client.get("/dashboard").get_data(as_text=True).split("</h1>")[0]
    assert "2025" in client.get("/dashboard?year=2025").get_data(as_text=True).split("</h1>")[0]
    assert client.get("/dashboard?year=1999").status_code == 404
    assert client.get("/dashboard?year=abc").status_code == 200  # not a number: the newest year
