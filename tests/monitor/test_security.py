"""Security baseline: CSRF on every POST, cookie flags, headers, request size limit, no stack traces."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, make_user, test_config
from tests.factories import make_return


@pytest.fixture
def csrf_app(app, instance_dir):
    from monitor import create_app

    return create_app(test_config(instance_dir, WTF_CSRF_ENABLED=True))


@pytest.mark.parametrize("url", ["/login", "/logout", "/language", "/account/password",
                                 "/returns/cesu-novads/2026/start",
                                 "/returns/cesu-novads/2026/sections/respondent",
                                 "/returns/cesu-novads/2026/submit"])
def test_post_without_csrf_token_is_refused(csrf_app, users, url):
    client = csrf_app.test_client()
    response = client.post(url, data={"email": "editor@test.lv", "password": PASSWORD})
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True) or "beidzies" in response.get_data(as_text=True)


def test_post_with_csrf_token_works(csrf_app, users):
    import re

    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": "editor@test.lv", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302


def test_security_headers(client):
    response = client.get("/login")
    headers = response.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"


def test_session_cookie_flags_in_production_config(instance_dir, users):
    from monitor import create_app

    prod = create_app(test_config(instance_dir, SESSION_COOKIE_SECURE=True))
    assert prod.config["SESSION_COOKIE_HTTPONLY"] and prod.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    client = prod.test_client()
    response = client.post("/login", data={"email": "editor@test.lv", "password": PASSWORD},
                           base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_defaults_are_secure():
    from monitor.config import Defaults

    assert Defaults.SESSION_COOKIE_SECURE and Defaults.REMEMBER_COOKIE_SECURE
    assert Defaults.MAX_CONTENT_LENGTH == 2 * 1024 * 1024
    assert Defaults.PERMANENT_SESSION_LIFETIME.total_seconds() <= 12 * 3600


def test_request_size_limit(app, users, login_as):
    make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    response = login_as("editor").post("/returns/cesu-novads/2026/sections/respondent",
                                       data={"f.respondent_name": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_unexpected_error_shows_no_traceback(app, users, login_as, monkeypatch):
    from monitor.returns import views

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    make_return(app, "cesu-novads", 2026, {}, actor_id=users["editor"].id)
    monkeypatch.setattr(views, "stored_return", broken)
    response = login_as("editor").get("/returns/cesu-novads/2026")
    assert response.status_code == 500
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_health(client):
    assert client.get("/health").get_json() == {"status": "ok", "database": "ok"}


def test_user_of_a_renamed_role_scope_cannot_be_created(app):
    """The database refuses an editor without a municipality even if code forgot to check."""
    from sqlalchemy.exc import IntegrityError

    from monitor.auth.models import User
    from monitor.extensions import db

    with app.app_context():
        db.session.add(User(email="x@test.lv", name="X", password_hash="x", role="editor"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
    make_user(app, "fine@test.lv", "editor", municipality="cesu-novads")


def test_refuses_to_start_with_the_development_secret_key(instance_dir, monkeypatch):
    from monitor import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):  # the demo too (tests/monitor/test_config_guard.py)
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "MONITOR_DEMO": True})


def test_tampered_forms_are_rejected_not_misread(app, users, login_as):
    """A form our page did not produce answers 400 instead of being read as "delete the rows"."""
    make_return(app, "cesu-novads", 2026, {"published_documents": [
        {"document_title": "Plāns", "document_url": "https://www.cesis.lv/plans"}]}, actor_id=users["editor"].id)
    client = login_as("editor")
    url = "/returns/cesu-novads/2026/sections/respondent"
    for rows in ("-5", "abc", "1e3", "999"):
        assert client.post(url, data={"base_version": "2", "g.published_documents.rows": rows,
                                      "action": "save"}).status_code == 400
    for version in ("", "abc", "0", "3", "9" * 30):
        assert client.post(url, data={"base_version": version, "action": "save"}).status_code == 400
    assert client.post(url, data={"base_version": "2", "g.published_documents.rows": "1",
                                  "action": "add:respondent_name"}).status_code == 400
    page = client.get(url).get_data(as_text=True)
    assert "Plāns" in page  # nothing was deleted
