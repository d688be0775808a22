"""Every return URL, tried as every role, against the editor's own and a foreign municipality.

Foreign municipalities answer 404 (not 403), so that existence does not leak; a reviewer reads (never edits)
returns of their own planning region; researchers see no individual return at all.
"""

from __future__ import annotations

import pytest

from tests.factories import make_return

YEAR = 2026
OWN = "cesu-novads"  # editor's municipality, in Vidzeme (the reviewer's region)
FOREIGN = "liepaja"  # Kurzeme: another municipality, another region

GET_URLS = [
    "/returns/{slug}/{year}",
    "/returns/{slug}/{year}/sections/respondent",
    "/returns/{slug}/{year}/sections/contacts",
    "/returns/{slug}/{year}/submit",
    "/returns/{slug}/{year}/history",
]
POST_URLS = [
    ("/returns/{slug}/{year}/start", {}),
    ("/returns/{slug}/{year}/sections/respondent", {"base_version": "2", "f.respondent_name": "Intruder",
                                                    "action": "save"}),
    ("/returns/{slug}/{year}/submit", {"base_version": "2"}),
]

# role → slug → expected status for GET pages of an existing return
EXPECTED_GET = {
    "admin": {OWN: 200, FOREIGN: 200},
    "reviewer": {OWN: 200, FOREIGN: 404},
    "editor": {OWN: 200, FOREIGN: 404},
    "editor_other": {OWN: 404, FOREIGN: 200},
    "researcher": {OWN: 404, FOREIGN: 404},
}


@pytest.fixture
def both_returns(app, users):
    return {
        OWN: make_return(app, OWN, YEAR, {"respondent_name": "Ilze"}, actor_id=users["editor"].id),
        FOREIGN: make_return(app, FOREIGN, YEAR, {"respondent_name": "Kārlis"}, actor_id=users["editor_other"].id),
    }


@pytest.mark.parametrize("role", sorted(EXPECTED_GET))
@pytest.mark.parametrize("slug", [OWN, FOREIGN])
@pytest.mark.parametrize("url", GET_URLS)
def test_get_pages_are_scoped(app, users, both_returns, login_as, role, slug, url):
    client = login_as(role)
    response = client.get(url.format(slug=slug, year=YEAR))
    assert response.status_code == EXPECTED_GET[role][slug]
    if response.status_code == 404:
        text = response.get_data(as_text=True)
        assert "Kārlis" not in text and "Ilze" not in text


@pytest.mark.parametrize("role", ["reviewer", "editor", "editor_other", "researcher", "reviewer_other"])
@pytest.mark.parametrize("url,data", POST_URLS)
def test_posts_to_a_municipality_the_user_may_not_edit_change_nothing(app, users, both_returns, login_as, role,
                                                                       url, data):
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn, ChangeLog

    target = FOREIGN if role in ("editor", "reviewer") else OWN
    if role == "editor_other":
        target = OWN
    with app.app_context():
        before = (db.session.query(ChangeLog).count(), db.session.get(AnnualReturn, both_returns[target]).version)
    response = login_as(role).post(url.format(slug=target, year=YEAR), data=data)
    visible = role == "reviewer" and target == OWN
    assert response.status_code == (403 if visible else 404)
    with app.app_context():
        after = (db.session.query(ChangeLog).count(), db.session.get(AnnualReturn, both_returns[target]).version)
    assert after == before


def test_reviewer_reads_own_region_read_only(app, users, both_returns, login_as):
    page = login_as("reviewer").get(f"/returns/{OWN}/{YEAR}/sections/respondent").get_data(as_text=True)
    assert "Ilze" in page
    assert 'name="f.respondent_name"' not in page  # no inputs: read-only


def test_list_shows_only_visible_municipalities(app, users, both_returns, login_as):
    reviewer = login_as("reviewer").get(f"/returns/?year={YEAR}").get_data(as_text=True)
    assert "Cēsu novads" in reviewer and "Valmieras novads" in reviewer
    assert "Liepājas" not in reviewer and "Rīgas valstspilsēta" not in reviewer
    admin = login_as("admin").get(f"/returns/?year={YEAR}").get_data(as_text=True)
    assert "(n = 43)" in admin
    editor = login_as("editor").get("/returns/")
    assert editor.status_code == 302 and editor.location.endswith(f"/returns/{OWN}/{YEAR}")
    researcher = login_as("researcher").get("/returns/").get_data(as_text=True)
    assert "Cēsu novads" not in researcher


def test_admin_edits_on_behalf_of_any_municipality(app, users, both_returns, login_as):
    response = login_as("admin").post(f"/returns/{FOREIGN}/{YEAR}/sections/respondent", data={
        "base_version": "2", "f.respondent_name": "Administratore", "f.respondent_email": "a@liepaja.lv",
        "action": "save"})
    assert response.status_code == 302


def test_unknown_year_and_section_are_404(app, users, both_returns, login_as):
    client = login_as("editor")
    assert client.get(f"/returns/{OWN}/1999").status_code == 404
    assert client.get(f"/returns/{OWN}/{YEAR}/sections/nope").status_code == 404
    assert client.get("/returns/atlantida/2026").status_code == 404


def test_anonymous_is_sent_to_login(client):
    for url in GET_URLS:
        response = client.get(url.format(slug=OWN, year=YEAR))
        assert response.status_code == 302 and "/login" in response.location
