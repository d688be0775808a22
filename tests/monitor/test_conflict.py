"""Two editors save the same return: the second sees what the other changed, keeps their own input, and
nothing is silently overwritten. Runs on both databases; the PostgreSQL run uses two real sessions
(two signed-in clients, each request with its own database connection and transaction)."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import select

from forms import get_definition
from tests.conftest import is_postgres
from tests.factories import make_return

BASE = "/returns/cesu-novads/2026"


def _version(page: str) -> str:
    return re.search(r'name="base_version" value="(\d+)"', page).group(1)


def _load(app, return_id):
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import load_answers

    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        return load_answers(ret, get_definition(2026)), ret.version


def test_conflicting_edit_is_shown_and_nothing_is_overwritten(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze", "remigration_promotion_"
                                                       "topicality": "rather_topical"}, actor_id=users["editor"].id)
    first, second = login_as("editor"), login_as("editor2")
    # both open the same section at the same version
    v1 = _version(first.get(f"{BASE}/sections/respondent").get_data(as_text=True))
    v2 = _version(second.get(f"{BASE}/sections/respondent").get_data(as_text=True))
    assert v1 == v2
    assert first.post(f"{BASE}/sections/respondent", data={
        "base_version": v1, "f.respondent_name": "Ilze Bērziņa", "f.respondent_email": "ilze@cesis.lv",
        "action": "save"}).status_code == 302
    response = second.post(f"{BASE}/sections/respondent", data={
        "base_version": v2, "f.respondent_name": "Jānis Kalniņš", "f.respondent_phone": "+371 29 111 222",
        "action": "save"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    conflict = page.split('id="conflict-summary"')[1].split("</div>")[0]
    assert "Ilze Bērziņa" in conflict and "ilze@cesis.lv" in conflict and "Editor" in conflict
    assert 'href="#f-respondent_name"' in conflict
    assert 'value="Jānis Kalniņš"' in page and 'value="+371 29 111 222"' in page  # own input kept
    values, version = _load(app, return_id)
    assert values["respondent_name"] == "Ilze Bērziņa" and values["respondent_phone"] is None
    # having seen the other changes, the second editor saves on purpose: now it is stored
    response = second.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page), "f.respondent_name": "Jānis Kalniņš", "f.respondent_email": "ilze@cesis.lv",
        "f.respondent_phone": "+371 29 111 222", "action": "save"})
    assert response.status_code == 302
    values, _ = _load(app, return_id)
    assert values["respondent_name"] == "Jānis Kalniņš" and values["respondent_phone"] == "+371 29 111 222"


def test_edits_to_different_sections_do_not_conflict(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    first, second = login_as("editor"), login_as("editor2")
    v = _version(first.get(f"{BASE}/sections/respondent").get_data(as_text=True))
    assert first.post(f"{BASE}/sections/respondent", data={"base_version": v, "f.respondent_name": "Ilze B.",
                                                          "action": "save"}).status_code == 302
    assert second.post(f"{BASE}/sections/attitudes", data={
        "base_version": v, "f.remigration_promotion_topicality": "very_topical", "action": "save"}).status_code == 302
    values, _ = _load(app, return_id)
    assert values["respondent_name"] == "Ilze B." and values["remigration_promotion_topicality"] == "very_topical"


def test_submit_on_a_stale_page_is_refused(app, users, login_as):
    from tests.factories import complete_answers

    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    first, second = login_as("editor"), login_as("editor2")
    stale = _version(first.get(f"{BASE}/submit").get_data(as_text=True))
    second.post(f"{BASE}/sections/respondent", data={
        "base_version": stale, "f.respondent_name": "Jānis", "f.respondent_email": "j@cesis.lv",
        "f.respondent_role": "executive_director", "action": "save"})
    response = first.post(f"{BASE}/submit", data={"base_version": stale})
    assert response.status_code == 409
    assert "Jānis" in response.get_data(as_text=True)


@pytest.mark.skipif(not is_postgres(), reason="concurrent transactions need PostgreSQL's row locks")
def test_simultaneous_saves_on_postgresql_serialise(app, users, login_as):
    """Two saves based on the same version, sent at the same moment: exactly one wins, the other conflicts."""
    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    clients = [login_as("editor"), login_as("editor2")]
    version = _version(clients[0].get(f"{BASE}/sections/respondent").get_data(as_text=True))
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def save(client, name):
        barrier.wait()
        codes.append(client.post(f"{BASE}/sections/respondent", data={
            "base_version": version, "f.respondent_name": name, "action": "save"}).status_code)

    threads = [threading.Thread(target=save, args=(c, n)) for c, n in zip(clients, ("Anna", "Berta"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(codes) == [302, 409]
    values, final_version = _load(app, return_id)
    assert values["respondent_name"] in ("Anna", "Berta") and final_version == int(version) + 1
    from monitor.extensions import db
    from monitor.returns.models import ChangeLog

    with app.app_context():
        logs = db.session.scalars(select(ChangeLog).where(ChangeLog.return_id == return_id,
                                                          ChangeLog.version > int(version))).all()
        assert len(logs) == 1
