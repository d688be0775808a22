"""Faults (issue 13): with the database gone every page answers a friendly error page in the user's language (the
page itself never touches the database); a save that committed is reported as saved whatever fails after the
commit; the same form sent twice is the user's own, not a conflict; a SQLite reader never waits for a writer;
the documented Redis limiter storage works; listing report snapshots does not read their payloads."""

from __future__ import annotations

import logging
import re
import sqlite3
import uuid
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from werkzeug.routing import IntegerConverter

from tests.conftest import PASSWORD, database_url, is_postgres, login, make_user, test_config
from tests.factories import compile_year, make_return
from tests.monitor.test_conflict import BASE, _fingerprints, _load, _version

#: the werkzeug default page (English, no layout) that users saw during a database restart
BARE_500 = "Internal Server Error"
TITLES = {"lv": "Pakalpojums īslaicīgi nav pieejams", "en": "The service is briefly unavailable"}


def _unreachable_url(tmp_path: Any) -> str:
    if is_postgres():
        return "postgresql+psycopg://postgres@127.0.0.1:9/stopped?connect_timeout=2"  # nothing listens on port 9
    return f"sqlite:///{tmp_path}/missing-directory/monitor.sqlite3"  # the file cannot be opened


@pytest.fixture
def dead_app(tmp_path: Any, instance_dir: str) -> Flask:
    from monitor import create_app

    return create_app(test_config(instance_dir, SQLALCHEMY_DATABASE_URI=_unreachable_url(tmp_path)))


def _get_urls(app: Flask) -> list[str]:
    """Every GET page of the service, with plausible values for its parameters."""
    samples = {"slug": "cesu-novads", "year": 2026, "section_key": "respondent", "key": "grant_programmes_count",
               "lang": "lv", "region": "vidzeme-region", "filename": "site.css"}
    urls = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if "GET" not in (rule.methods or ()) or rule.endpoint == "static":
                continue
            values = {}
            for name in rule.arguments:
                converter = rule._converters.get(name)  # noqa: SLF001 — the rule's own converter says int or not
                values[name] = samples.get(name, 1 if isinstance(converter, IntegerConverter) else "x")
            try:
                urls.append(rule.build(values, append_unknown=False)[1])
            except Exception:  # noqa: BLE001 — a rule whose sample values do not fit its converters
                continue
    return sorted(set(urls))


def _signed_in_cookie(app: Flask, locale: str) -> str:
    user = make_user(app, f"{locale}-{uuid.uuid4().hex[:6]}@test.lv", "admin", locale=locale)
    client = login(app.test_client(), user)
    return client.get_cookie("session").value


@pytest.mark.parametrize("locale", ["lv", "en"])
def test_every_page_answers_the_friendly_page_when_the_database_is_down(app, dead_app, locale):
    cookie = _signed_in_cookie(app, locale)  # signed in on the working database, then the database goes away
    urls = _get_urls(dead_app)
    assert len(urls) > 40
    for signed_in in (True, False):
        client = dead_app.test_client()
        if signed_in:
            client.set_cookie("session", cookie)
        else:
            with client.session_transaction() as session:
                session["locale"] = locale
        for url in urls:
            response = client.get(url)
            body = response.get_data(as_text=True)
            assert response.status_code != 500 and BARE_500 not in body, (url, response.status_code, body[:300])
            if response.status_code != 503:
                continue  # a page that needs no database (the API description, a redirect to sign in)
            if url == "/health":  # the probe answers JSON for machines (monitor.edges)
                assert response.get_json() == {"status": "unavailable", "database": "unavailable"}
            elif url.startswith("/api/"):
                assert response.get_json()["error"]["code"] == "service_unavailable", url
            else:
                assert TITLES[locale] in body, (url, body[:300])
                assert TITLES["en" if locale == "lv" else "lv"] not in body
                assert response.headers["Retry-After"] == "30"
                assert f'<html lang="{locale}">' in body


def test_a_save_that_failed_to_send_its_post(app, dead_app):
    """A POST with the database down: the same page, and it says nothing was saved."""
    client = dead_app.test_client()
    client.set_cookie("session", _signed_in_cookie(app, "lv"))
    response = client.post(f"{BASE}/sections/respondent", data={"base_version": "1"})
    body = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Nekas no šī pēdējā soļa netika saglabāts" in body


@pytest.mark.parametrize("locale,saved_text", [
    ("lv", "Jūsu nosūtītais ir saglabāts"), ("en", "What you sent was saved")])
def test_a_failure_after_the_commit_is_reported_as_saved(app, users, monkeypatch, locale, saved_text):
    import monitor.returns.views as views

    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    client = login_as_locale(app, users["editor"], locale)
    page = client.get(f"{BASE}/sections/respondent").get_data(as_text=True)

    def broken_flash(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("injected failure after the commit")

    monkeypatch.setattr(views, "flash", broken_flash)
    response = client.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page), "fingerprints": _fingerprints(page), "g.published_documents.rows": "0",
        "f.respondent_name": "Ilze Bērziņa", "action": "save"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert saved_text in body
    assert "Nothing was saved" not in body and "netika saglabāts" not in body
    values, _version_now = _load(app, return_id)
    assert values["respondent_name"] == "Ilze Bērziņa"


def login_as_locale(app: Flask, user: Any, locale: str):  # type: ignore[no-untyped-def]
    from monitor.auth.models import User
    from monitor.extensions import db

    with app.app_context():
        db.session.get(User, user.id).locale = locale
        db.session.commit()
    return login(app.test_client(), user)


def test_a_failure_before_the_commit_says_nothing_was_saved(app, users, monkeypatch):
    import monitor.returns.views as views

    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    client = login(app.test_client(), users["editor"])
    page = client.get(f"{BASE}/sections/respondent").get_data(as_text=True)

    def broken_save(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("injected failure before the commit")

    monkeypatch.setattr(views, "save_section", broken_save)
    response = client.post(f"{BASE}/sections/respondent", data={
        "base_version": _version(page), "fingerprints": _fingerprints(page), "g.published_documents.rows": "0",
        "f.respondent_name": "Ilze Bērziņa", "action": "save"})
    body = response.get_data(as_text=True)
    assert response.status_code == 500 and "Nekas no šī pēdējā soļa netika saglabāts" in body
    assert _load(app, return_id)[0]["respondent_name"] == "Ilze"


def _form(page: str, **answers: str) -> dict[str, str]:
    return {"base_version": _version(page), "fingerprints": _fingerprints(page), "g.published_documents.rows": "1",
            "g.published_documents.0.document_title": "Attīstības programma",
            "g.published_documents.0.document_url": "https://www.cesis.lv/programma", "action": "save",
            **{f"f.{k}": v for k, v in answers.items()}}


def _flashes(client: Any, location: str) -> list[str]:
    return re.findall(r'class="flash flash-[a-z]+"[^>]*>([^<]*)<', client.get(location).get_data(as_text=True))


def test_the_same_form_sent_twice_is_one_change_and_no_conflict(app, users):
    from monitor.extensions import db
    from monitor.returns.models import ChangeLog

    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    client = login(app.test_client(), users["editor"])
    page = client.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    data = _form(page, respondent_name="Ilze Bērziņa", respondent_email="ilze@cesis.lv")
    first = client.post(f"{BASE}/sections/respondent", data=data)
    assert _flashes(client, first.location) == ["Saglabāts: mainītas 4 atbildes."]
    with app.app_context():
        logged = db.session.query(ChangeLog).filter_by(return_id=return_id).count()
    again = client.post(f"{BASE}/sections/respondent", data=data)  # a double click, or "send again" after a reload
    assert (first.status_code, again.status_code) == (302, 302)
    messages = _flashes(client, again.location)
    assert messages == ["Saglabāts. Nekas netika mainīts."]  # not "another user changed …": it was this user
    values, _v = _load(app, return_id)
    assert (values["respondent_name"], values["respondent_email"]) == ("Ilze Bērziņa", "ilze@cesis.lv")
    assert len(values["published_documents"]) == 1
    with app.app_context():
        assert db.session.query(ChangeLog).filter_by(return_id=return_id).count() == logged  # one change, once


def test_an_older_window_of_the_same_user_does_not_conflict_and_keeps_what_it_did_not_touch(app, users):
    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    client = login(app.test_client(), users["editor"])
    window_a = client.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    window_b = client.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    assert client.post(f"{BASE}/sections/respondent", data=_form(
        window_a, respondent_name="Ilze B.", respondent_email="ilze@cesis.lv")).status_code == 302
    # the older window changes the name again and leaves the (then empty) e-mail as it was shown
    response = client.post(f"{BASE}/sections/respondent", data=_form(window_b, respondent_name="Ilze Bērziņa"))
    assert response.status_code == 302
    values, _v = _load(app, return_id)
    assert values["respondent_name"] == "Ilze Bērziņa"  # the latest input of the same person
    assert values["respondent_email"] == "ilze@cesis.lv"  # the earlier save is not undone by the older page


def test_another_user_is_still_a_conflict(app, users, login_as):
    make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    first, second = login_as("editor"), login_as("editor2")
    page1 = first.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    page2 = second.get(f"{BASE}/sections/respondent").get_data(as_text=True)
    assert first.post(f"{BASE}/sections/respondent", data=_form(page1, respondent_name="Ilze B.")).status_code == 302
    assert second.post(f"{BASE}/sections/respondent", data=_form(page2, respondent_name="Jānis")).status_code == 409


@pytest.mark.skipif(is_postgres(), reason="SQLite's locking")
def test_a_sqlite_reader_is_not_blocked_by_an_open_write_transaction(app, users):
    make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    client = login(app.test_client(), users["editor"])
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    writer = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    try:
        writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock and has written, uncommitted
        writer.execute("UPDATE municipality SET name_en = name_en")
        with app.app_context():
            from monitor.extensions import db

            db.engine.dispose()  # fresh connections, so nothing is left over from the log-in
        for url in (f"{BASE}/sections/respondent", f"{BASE}", "/municipalities/", "/measures?q=cesis"):
            # with BEGIN IMMEDIATE for readers this waited busy_timeout (10 s) and then failed with "locked"
            assert client.get(url).status_code == 200, url
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.skipif(is_postgres(), reason="SQLite's locking")
def test_a_sqlite_reading_request_that_writes_takes_the_write_lock_at_its_first_write(app):
    from monitor.extensions import db

    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.split()[0].upper())

    with app.test_request_context("/", method="GET"):
        event.listen(db.engine, "before_cursor_execute", record)
        try:
            with db.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
                conn.exec_driver_sql("UPDATE municipality SET name_en = name_en WHERE 1 = 0")
                conn.commit()
        finally:
            event.remove(db.engine, "before_cursor_execute", record)
    assert statements == ["BEGIN", "SELECT", "UPDATE"]  # the upgrade (COMMIT; BEGIN IMMEDIATE) runs in the cursor


@pytest.fixture
def memory_limiter_after(instance_dir: str) -> Any:
    """The limiter is a process-wide singleton whose storage the last ``create_app`` chose: give it back its
    in-memory storage after a test that started an app with Redis."""
    yield
    from monitor import create_app

    create_app(test_config(instance_dir))


def test_the_documented_redis_limiter_storage_works(instance_dir, memory_limiter_after):
    redis = pytest.importorskip("redis", reason="the redis package is a dependency (pyproject.toml)")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis on 127.0.0.1:6379")
    from monitor import create_app

    namespace = uuid.uuid4().hex
    app = create_app(test_config(instance_dir, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0",
                                 RATELIMIT_KEY_PREFIX=namespace, LOGIN_RATE_LIMIT="3 per minute"))
    client = app.test_client()
    codes = [client.post("/login", data={"email": "nobody@test.lv", "password": "x"}).status_code
             for _ in range(4)]
    assert codes[-1] == 429 and 429 not in codes[:3]
    stored = redis.Redis.from_url("redis://127.0.0.1:6379/0").keys(f"*{namespace}*")
    assert stored, "the counts are kept in Redis, shared by every worker"


def test_listing_snapshots_reads_no_payloads(app, users, login_as):
    from monitor.extensions import db
    from monitor.reporting.models import PAYLOADS

    make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id,
                status="approved")
    for _ in range(4):
        compile_year(app, 2026)
    client = login_as("researcher")
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    PAYLOADS.clear()
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get("/reports/?year=2026").status_code == 200
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    payload_reads = [s for s in statements if re.search(r"report_snapshot\.payload\b", s)]
    assert len(payload_reads) == 1  # the one report shown; the list of compilations reads metadata only
    assert "report_snapshot.id = " in payload_reads[0].replace('"', "")
    assert any("report_snapshot" in s and "payload" not in s for s in statements)


#: a production value for every setting the README's configuration table documents (a newly documented setting must
#: be added here, so that a fresh install is known to start with it)
PRODUCTION_VALUES = {
    "DATABASE_URL": None,  # the suite's own database
    "SECRET_KEY": "9f" * 32,
    "MONITOR_FORCE_HTTPS": "false",  # true redirects the test client to https; its parsing is what is tested here
    "MONITOR_PROXY_FIX_COUNT": "1",
    "MONITOR_SESSION_COOKIE_SECURE": "true",
    "MONITOR_PERMANENT_SESSION_LIFETIME": "28800",
    "MONITOR_MAX_CONTENT_LENGTH": "2097152",
    "MONITOR_LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
    "MONITOR_API_RATE_LIMIT": "120 per minute",
    "MONITOR_RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0",
    "MONITOR_LOGIN_MAX_FAILURES": "5",
    "MONITOR_PASSWORD_MIN_LENGTH": "12",
    "MONITOR_INSTANCE_PATH": None,  # the suite's own instance folder
    "MONITOR_REPORT_SMALL_BASE": "5",
    "MONITOR_LOGIN_LOCK_SECONDS": "60",
    "MONITOR_LOGIN_LOCK_MAX_SECONDS": "900",
    "MONITOR_LOGIN_FAILURE_WINDOW_SECONDS": "3600",
    "MONITOR_ACCOUNT_RATE_LIMIT": "5 per minute;30 per hour",
    "MONITOR_TWO_FACTOR_REQUIRED_ROLES": "admin,reviewer",
    "MONITOR_TWO_FACTOR_PENDING_SECONDS": "600",
    "MONITOR_BACKUP_DIR": "/var/backups/monitor",
    "MONITOR_BACKUP_KEEP_DAILY": "7",
    "MONITOR_BACKUP_KEEP_WEEKLY": "4",
    "MONITOR_EXPORT_FILES_ON_COMPILE": "true",
    "MONITOR_MAIL_BASE_URL": "https://monitor.example.lv",
    "MONITOR_LOG_FORMAT": "json",
    "MONITOR_IMPORT_MAX_CONTENT_LENGTH": "5242880",
    "PORT": "8000",
}


def _documented_settings() -> list[str]:
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Configuration", 1)[1].split("\n## ", 1)[0]
    first_cells = re.findall(r"^\| ([^|]*`[A-Z][A-Z0-9_]+`[^|]*) \|", table, flags=re.M)
    return [name for cell in first_cells for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)]


def test_every_documented_setting_has_a_production_value_here():
    documented = _documented_settings()
    assert len(documented) >= 14
    assert sorted(set(documented) - set(PRODUCTION_VALUES)) == []


@pytest.mark.parametrize("name", sorted(k for k, v in PRODUCTION_VALUES.items() if v is not None))
def test_the_app_starts_and_serves_with_each_documented_production_setting(app, instance_dir, monkeypatch, name,
                                                                            memory_limiter_after):
    if PRODUCTION_VALUES[name].startswith("redis://"):
        redis = pytest.importorskip("redis")
        try:
            redis.Redis.from_url(PRODUCTION_VALUES[name], socket_connect_timeout=1).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
    from monitor import create_app

    monkeypatch.setenv(name, PRODUCTION_VALUES[name])
    root = logging.getLogger()  # MONITOR_LOG_FORMAT=json replaces the root logger's handlers: put them back after
    monkeypatch.setattr(root, "handlers", list(root.handlers))
    monkeypatch.setattr(root, "level", root.level)
    config = test_config(instance_dir)
    if name == "SECRET_KEY":
        config.pop("SECRET_KEY")
    if name.startswith("MONITOR_"):
        config.pop(name[len("MONITOR_"):], None)  # the environment, not the suite's override, sets it
    started = create_app(config)
    client = started.test_client()
    assert client.get("/login").status_code == 200
    assert client.get("/municipalities/").status_code == 200
    assert client.post("/login", data={"email": "nobody@test.lv", "password": PASSWORD}).status_code == 401
