"""The admins' audit log page: newest first, filters, pagination, labels, and bad filter input."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select

from tests.conftest import login, make_user

UTC = dt.UTC


def _municipality_id(app, slug: str) -> int:
    from monitor.extensions import db
    from monitor.registry.models import Municipality

    with app.app_context():
        return db.session.scalar(select(Municipality.id).where(Municipality.slug == slug))


def _events(app, specs: list[dict]) -> None:
    """Record events (``action``, ``actor_id``, ``at`` and the keyword arguments of ``record_event``)."""
    from monitor.audit.models import AuditEvent
    from monitor.audit.operations import record_event
    from monitor.auth.models import User
    from monitor.extensions import db

    with app.app_context():
        db.session.execute(AuditEvent.__table__.delete())  # the users fixture recorded "user_created" events
        for spec in specs:
            spec = dict(spec)
            actor_id = spec.pop("actor_id", None)
            actor = db.session.get(User, actor_id) if actor_id else None
            at = spec.pop("at")
            event = record_event(spec.pop("action"), actor, **spec)
            event.at = at
        db.session.commit()


def _times(page: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]+)"', page)


@pytest.fixture
def admin_en(app, users):
    return login(app.test_client(), make_user(app, "analyst@test.lv", "admin", locale="en"))


@pytest.fixture
def sample(app, users, admin_en):
    """Eight events (the table is emptied first, after the English admin has signed in)."""
    cesis, liepaja = _municipality_id(app, "cesu-novads"), _municipality_id(app, "liepaja")
    _events(app, [
        {"action": "login", "actor_id": users["editor"].id, "at": dt.datetime(2026, 11, 20, 8, 0, tzinfo=UTC)},
        {"action": "return_started", "actor_id": users["editor"].id, "municipality_id": cesis,
         "at": dt.datetime(2026, 11, 20, 8, 5, tzinfo=UTC), "detail": {"year": 2026, "from_last_year": False}},
        # 23:30 on 25.11 in Riga (UTC+2 in winter)
        {"action": "return_submitted", "actor_id": users["editor"].id, "municipality_id": cesis,
         "at": dt.datetime(2026, 11, 25, 21, 30, tzinfo=UTC), "detail": {"year": 2026, "late": False}},
        # 00:30 on 26.11 in Riga
        {"action": "return_returned", "actor_id": users["reviewer"].id, "municipality_id": cesis,
         "reason": "Trūkst budžeta", "at": dt.datetime(2026, 11, 25, 22, 30, tzinfo=UTC),
         "detail": {"year": 2026, "round": 1, "comments": 2}},
        {"action": "deadline_extended", "actor_id": users["admin"].id, "municipality_id": liepaja,
         "reason": "Plūdi", "at": dt.datetime(2026, 11, 27, 12, 0, tzinfo=UTC),
         "detail": {"year": 2026, "deadline": "2027-04-30"}},
        {"action": "period_changed", "actor_id": users["admin"].id, "at": dt.datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
         "detail": {"year": 2026, "before": {"deadline": "2027-03-31"}, "after": {"deadline": "2027-04-07"}}},
        {"action": "login_failed", "actor_id": None, "at": dt.datetime(2026, 11, 29, 9, 0, tzinfo=UTC),
         "detail": {"email": "nobody@example.lv"}},
        {"action": "export_made", "actor_id": users["admin"].id, "at": dt.datetime(2026, 11, 30, 9, 0, tzinfo=UTC),
         "detail": {"note": "two words"}},
    ])
    return {"cesis": cesis, "liepaja": liepaja}


def test_only_admins_see_the_page(app, users, login_as):
    assert login_as("admin").get("/admin/audit").status_code == 200
    for key in ("reviewer", "editor", "researcher"):
        assert login_as(key).get("/admin/audit").status_code == 404, key
    response = app.test_client().get("/admin/audit")
    assert response.status_code == 302 and "/login" in response.location


def test_newest_first_with_labels_names_riga_time_and_details(app, users, sample, admin_en):
    page = admin_en.get("/admin/audit").get_data(as_text=True)
    times = _times(page)
    assert len(times) == 8 and times == sorted(times, reverse=True)
    text = html.unescape(page)
    assert "Return returned for correction" in text and "Deadline extended" in text and "Failed sign-in" in text
    assert "<td>export_made</td>" in text  # an unknown action is shown as its code
    assert "26.11.2026 00:30:00" in text and "25.11.2026 23:30:00" in text  # Europe/Riga, not UTC
    assert "Reviewer" in text and "Trūkst budžeta" in text and "Cēsis Municipality" in text
    assert "after.deadline=2027-04-07 before.deadline=2027-03-31 year=2026" in text
    assert 'note="two words"' in text and "email=nobody@example.lv" in text
    assert "comments=2 round=1 year=2026" in text


def test_filters(app, users, sample, admin_en):
    def count(query: str) -> int:
        response = admin_en.get("/admin/audit?" + query)
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert "error-summary" not in page
        return len(_times(page))

    assert count(f"municipality={sample['cesis']}") == 3
    assert count(f"municipality={sample['liepaja']}") == 1
    assert count(f"user={users['editor'].id}") == 3
    assert count(f"user={users['admin'].id}") == 3
    assert count("action=return_returned") == 1
    assert count("action=login") == 1
    assert count("action=return_approved") == 0  # a known action without events: an empty list, not an error
    # Latvian calendar days: 26.11 starts at 22:00 UTC on 25.11
    assert count("date_from=2026-11-26") == 5
    assert count("date_to=2026-11-25") == 3
    assert count("date_from=26.11.2026&date_to=27.11.2026") == 2
    assert count(f"user={users['editor'].id}&municipality={sample['cesis']}&date_to=2026-11-20") == 1
    assert count("municipality=&user=&action=&date_from=&date_to=") == 8


def test_filter_selects_offer_municipalities_users_and_recorded_actions(app, users, sample, admin_en):
    page = html.unescape(admin_en.get(f"/admin/audit?user={users['reviewer'].id}").get_data(as_text=True))
    actions = page.split('id="filter-action"')[1].split("</select>")[0]
    assert 'value="return_submitted"' in actions and 'value="export_made"' in actions
    assert 'value="return_approved"' not in actions  # only actions that occur are offered
    users_select = page.split('id="filter-user"')[1].split("</select>")[0]
    assert f'<option value="{users["reviewer"].id}" selected>' in users_select
    municipalities = page.split('id="filter-municipality"')[1].split("</select>")[0]
    assert municipalities.count("<option") == 44 and municipalities.count("<optgroup") == 5


@pytest.mark.parametrize(("query", "field", "message"), [
    ("date_from=31.02.2026", "date_from", "is not a date"),
    ("date_to=yesterday", "date_to", "is not a date"),
    ("date_from=2026-11-28&date_to=2026-11-20", "date_to", "The end date is before the start date."),
    ("date_from=0001-01-01", "date_from", "Enter a date between 01.01.2000 and 31.12.2099."),
    ("date_to=9999-12-31", "date_to", "Enter a date between 01.01.2000 and 31.12.2099."),
    ("user=999999", "user", "There is no such user."),
    ("user=abc", "user", "There is no such user."),
    ("municipality=-3", "municipality", "There is no such municipality."),
    ("action=%3Cscript%3E", "action", "There is no such action."),
])
def test_bad_filter_input_is_explained_next_to_the_filter(app, users, sample, admin_en, query, field, message):
    response = admin_en.get("/admin/audit?" + query)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert f'id="filter-{field}-error"' in page and 'aria-invalid="true"' in page
    error = page.split(f'id="filter-{field}-error"')[1].split("</p>")[0]
    assert message in error
    assert "error-summary" in page
    assert len(_times(page)) >= 1  # the invalid filter is not applied (the others are)


def test_bad_filter_is_escaped(app, users, sample, admin_en):
    page = admin_en.get("/admin/audit?date_from=%3Cb%3Ex").get_data(as_text=True)
    assert "<b>x" not in page and "&lt;b&gt;x" in page


def test_pagination_keeps_the_filters(app, users, admin_en):
    start = dt.datetime(2026, 11, 1, 8, 0, tzinfo=UTC)
    specs = [{"action": "login", "actor_id": users["editor"].id, "at": start + dt.timedelta(minutes=i)}
             for i in range(120)]
    specs += [{"action": "password_changed", "actor_id": users["editor"].id, "at": start + dt.timedelta(hours=5)}]
    _events(app, specs)
    page1 = admin_en.get("/admin/audit?action=login").get_data(as_text=True)
    assert len(_times(page1)) == 50 and "Events 1–50 of 120 (page 1 of 3)" in page1
    older = html.unescape(re.search(r'href="([^"]+)" rel="next"', page1).group(1))
    assert "action=login" in older and "page=2" in older
    assert 'rel="prev"' not in page1
    page3 = admin_en.get("/admin/audit?action=login&page=3").get_data(as_text=True)
    assert len(_times(page3)) == 20 and 'rel="next"' not in page3
    newer = html.unescape(re.search(r'href="([^"]+)" rel="prev"', page3).group(1))
    assert "action=login" in newer and "page=2" in newer
    all_times = _times(page1) + _times(admin_en.get(older).get_data(as_text=True)) + _times(page3)
    assert len(set(all_times)) == 120 and all_times == sorted(all_times, reverse=True)
    # nonsense or out-of-range page numbers show the nearest page instead of failing
    assert len(_times(admin_en.get("/admin/audit?action=login&page=abc").get_data(as_text=True))) == 50
    assert len(_times(admin_en.get("/admin/audit?action=login&page=99").get_data(as_text=True))) == 20
    assert len(_times(admin_en.get("/admin/audit?action=login&page=-1").get_data(as_text=True))) == 50


def test_compact_detail():
    from monitor.audit.views import compact_detail

    assert compact_detail(None) == ""
    assert compact_detail({}) == ""
    assert compact_detail({"b": True, "a": [1, 2], "c": None, "d": {"x": "1 2"}}) == 'a=1,2 b=true c=null d.x="1 2"'


def test_page_in_latvian(app, users, sample, login_as):
    from pathlib import Path

    from babel.support import Translations

    mo = Path(app.root_path) / "translations" / "lv" / "LC_MESSAGES" / "messages.mo"
    if not mo.exists() or Translations(mo.open("rb")).gettext("Audit log") == "Audit log":
        pytest.skip("the Latvian catalog is not compiled (pybabel compile -d monitor/translations)")
    page = html.unescape(login_as("admin").get("/admin/audit").get_data(as_text=True))
    assert 'lang="lv"' in page and "Audita žurnāls" in page and "Pārskats atgriezts labošanai" in page
