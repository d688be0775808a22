"""Edges of every page: huge numbers in URLs, CR/LF in ``next=``, ``Cache-Control``, ``/health``."""

from __future__ import annotations

import pytest

from monitor import create_app
from tests.conftest import test_config
from tests.factories import compile_year

HUGE = "9" * 30
BEYOND_64_BITS = str(2**64 + 1)


@pytest.mark.parametrize("number", [HUGE, BEYOND_64_BITS, str(2**31)])
@pytest.mark.parametrize("role, path", [
    ("admin", "/admin/outbox/{n}"),
    ("admin", "/returns/cesu-novads/{n}"),
    ("editor", "/returns/cesu-novads/{n}/sections/respondent"),
    ("admin", "/review/cesu-novads/{n}"),
    ("researcher", "/reports/{n}/indicators/x"),
    ("researcher", "/api/reports/{n}"),
    ("admin", "/returns/cesu-novads/{n}/excel/template.xlsx"),
    (None, "/figures/{n}/regions/vidzeme-region"),
])
def test_an_out_of_range_number_in_a_url_is_not_found(app, login_as, role, path, number):
    client = login_as(role) if role else app.test_client()
    response = client.get(path.format(n=number))
    assert response.status_code == 404


def test_a_huge_number_in_a_post_url_is_not_found(login_as):
    client = login_as("reviewer")
    assert client.post(f"/review/cesu-novads/2025/comments/{HUGE}/delete").status_code == 404
    assert client.post(f"/review/periods/{HUGE}").status_code == 404


def test_numbers_in_range_still_route(login_as):
    client = login_as("admin")
    assert client.get("/admin/outbox/12345").status_code == 404  # routed to the view: no such message
    assert client.get("/returns/cesu-novads/2025").status_code == 200


@pytest.mark.parametrize("target", [
    "/returns/\r\nSet-Cookie: x=1", "/returns\n", "/ret\rurns/", "/%0d%0a", "\r\n/returns", "/\\evil.example",
    "/returns\t/x", "/returns\x7f",
])
def test_control_characters_in_next_are_ignored(app, users, target):
    client = app.test_client()
    response = client.post("/login", query_string={"next": target},
                           data={"email": users["editor"].email, "password": "correct horse battery staple"})
    assert response.status_code == 302
    location = response.headers["Location"]
    if target == "/%0d%0a":  # encoded, so harmless: a local path that is simply not found
        assert location == "/%0d%0a"
    else:
        assert location == "/", location


def test_a_plain_local_next_is_still_followed(app, users):
    response = app.test_client().post("/login?next=/returns/cesu-novads/2025", data={
        "email": users["editor"].email, "password": "correct horse battery staple"})
    assert response.headers["Location"] == "/returns/cesu-novads/2025"


@pytest.mark.parametrize("role, path", [
    ("editor", "/"),
    ("editor", "/returns/cesu-novads/2025"),
    ("editor", "/account/password"),
    ("reviewer", "/review/"),
    ("reviewer", "/dashboard"),
    ("admin", "/admin/outbox"),
    ("admin", "/admin/audit"),
    ("admin", "/admin/jobs/"),
    ("admin", "/admin/import"),
    ("researcher", "/exports/"),
    ("researcher", "/reports/"),
    ("editor", "/municipalities/cesu-novads"),  # a public page, but it names the signed-in user
    ("editor", "/api/v1/"),
])
def test_signed_in_pages_and_the_private_api_are_not_stored(login_as, role, path):
    response = login_as(role).get(path, follow_redirects=True)
    assert response.status_code == 200, (path, response.status_code)
    assert response.headers["Cache-Control"] == "no-store", path


def test_the_researchers_api_is_not_stored(app, login_as):
    compile_year(app, 2026)
    client = login_as("researcher")
    for path in ("/api/reports/2026", "/api/reports/2024"):  # an answer and a JSON error
        response = client.get(path)
        assert response.status_code == (200 if path.endswith("2026") else 404), path
        assert response.headers["Cache-Control"] == "no-store", path
    assert app.test_client().get("/api/reports/2026").headers["Cache-Control"] == "no-store"  # 401


def test_public_pages_and_the_open_api_keep_their_caching(app, login_as):
    anonymous = app.test_client()
    for path in ("/municipalities/", "/api/v1/municipalities", "/api/v1/openapi.json", "/figures"):
        response = anonymous.get(path)
        assert response.status_code == 200, path
        assert "public" in response.headers["Cache-Control"], path
    # the open data is the same for a signed-in user
    assert "public" in login_as("researcher").get("/api/v1/municipalities").headers["Cache-Control"]
    login_page = anonymous.get("/login")
    assert login_page.headers["Cache-Control"] == "no-store"
    static = anonymous.get("/static/site.css")
    assert static.status_code == 200 and static.headers.get("Cache-Control") != "no-store"
    static.close()


def test_health_answers_ok_with_the_database(app):
    response = app.test_client().get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("url", [
    "postgresql+psycopg://postgres@127.0.0.1:9/monitor?connect_timeout=3",  # a closed port
    "sqlite:////nonexistent-directory/monitor.sqlite3",
])
def test_health_answers_503_when_the_database_is_down(app, users, instance_dir, url):
    down = create_app(test_config(instance_dir, SQLALCHEMY_DATABASE_URI=url))
    client = down.test_client()
    # a signed-in user's cookie (made by the working app): /health must not try to load the user
    with app.test_client() as signed_in:
        signed_in.post("/login", data={"email": users["admin"].email, "password": "correct horse battery staple"})
        cookie = signed_in.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value)
    response = client.get("/health")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "unavailable"}
    assert "Set-Cookie" not in response.headers


# /health is exempt from MONITOR_FORCE_HTTPS: tests/monitor/test_recipe.py (the recipe sets it; Talisman is a
# process-wide singleton, so an app with it on must not be created inside the suite's process)
