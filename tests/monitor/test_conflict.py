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


def _fingerprints(page: str) -> str:
    return re.search(r'name="fingerprints" value="([^"]*)"', page).group(1)


def _value(page: str, name: str) -> str:
    match = re.search(rf'name="{re.escape(name)}" id="[^"]+" value="([^"]*)"', page)
    return match.group(1) if match else ""


def test_conflicting_edit_is_shown_and_nothing_is_overwritten(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze", "remigration_promotion_"
                                                       "topicality": "rather_topical"}, actor_id=users["editor"].id)
    first, second = login_as("editor"), login_as("editor2")
    # both open the same section at the same version
    page1 = first.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    page2 = second.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    assert _version(page1) == _version(page2)
    assert first.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page1), "fingerprints": _fingerprints(page1), "g.published_documents.rows": "0",
        "f.respondent_name": "Ilze Bērziņa", "f.respondent_email": "ilze@cesis.lv", "action": "save"}
    ).status_code == 302
    # the second editor changed the name too (a real conflict) and the phone (only theirs)
    response = second.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page2), "fingerprints": _fingerprints(page2), "g.published_documents.rows": "0",
        "f.respondent_name": "Jānis Kalniņš", "f.respondent_phone": "+371 29 111 222", "action": "save"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    conflict = page.split('id="conflict-summary"')[1].split("</div>")[0]
    assert "Ilze Bērziņa" in conflict and "Editor" in conflict and 'href="#f-respondent_name"' in conflict
    assert "ilze@cesis.lv" not in conflict  # only the first editor changed the e-mail: not a conflict …
    assert _value(page, "f.respondent_email") == "ilze@cesis.lv"  # … and the form shows their value
    assert _value(page, "f.respondent_name") == "Jānis Kalniņš"  # own input kept where both changed
    assert _value(page, "f.respondent_phone") == "+371 29 111 222"
    values, version = _load(app, return_id)
    assert values["respondent_name"] == "Ilze Bērziņa" and values["respondent_phone"] is None
    # having seen it, the second editor saves the form as it is shown: nobody's other answers are lost
    response = second.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page), "fingerprints": _fingerprints(page), "g.published_documents.rows": "0",
        "f.respondent_name": _value(page, "f.respondent_name"), "f.respondent_email":
        _value(page, "f.respondent_email"), "f.respondent_phone": _value(page, "f.respondent_phone"),
        "action": "save"})
    assert response.status_code == 302
    values, _ = _load(app, return_id)
    assert (values["respondent_name"], values["respondent_email"], values["respondent_phone"]) == (
        "Jānis Kalniņš", "ilze@cesis.lv", "+371 29 111 222")


def test_edits_to_different_answers_of_one_section_merge(app, users, login_as):
    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    first, second = login_as("editor"), login_as("editor2")
    page1 = first.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    page2 = second.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    assert first.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page1), "fingerprints": _fingerprints(page1), "g.published_documents.rows": "0",
        "f.respondent_name": "Ilze", "f.respondent_email": "ilze@cesis.lv", "action": "save"}).status_code == 302
    response = second.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page2), "fingerprints": _fingerprints(page2), "g.published_documents.rows": "1",
        "g.published_documents.0.document_title": "Attīstības programma",
        "g.published_documents.0.document_url": "https://www.cesis.lv/programma",
        "f.respondent_name": "Ilze", "action": "save"})
    assert response.status_code == 302
    values, _ = _load(app, return_id)
    assert values["respondent_email"] == "ilze@cesis.lv"  # the first editor's answer survived
    assert values["published_documents"][0]["document_title"] == "Attīstības programma"
    page = second.get(response.location).get_data(as_text=True)
    assert "E-pasts" in page.split('flash-info')[1][:400]  # the user is told whose answers were kept


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
