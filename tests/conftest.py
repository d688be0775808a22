"""Shared fixtures. The same suite runs on SQLite (default) and PostgreSQL (``DATABASE_URL=postgresql://…``).

The schema is created once per run by the Alembic migrations (so every run also proves that they work);
before each test every table is emptied and the registry and reporting periods are loaded again.

Tests never keep an application context pushed while they use the test client: Flask-Login keeps the user
in ``g``, and a shared context would leak the user from one client to another. Set-up code runs inside
``with app.app_context():`` blocks (or the ``in_app`` helper) instead.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PASSWORD = "correct horse battery staple"


def database_url() -> str:
    return os.environ.get("DATABASE_URL", "")


def is_postgres() -> bool:
    return database_url().startswith(("postgres://", "postgresql"))


def test_config(tmp_dir: str, **extra: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "ARGON2_PROFILE": "CHEAPEST",
        # the limiter is a process-wide singleton: keep it enabled everywhere, with a limit tests never reach
        "RATELIMIT_ENABLED": True,
        "LOGIN_RATE_LIMIT": "100000 per minute",
        "ACCOUNT_RATE_LIMIT": "100000 per minute",
        # signing in takes the password only, whatever the role (tests/monitor/test_two_factor.py turns it on)
        "TWO_FACTOR_REQUIRED_ROLES": "",
        "API_RATE_LIMIT": "100000 per minute",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_SECURE": False,
        "SQLALCHEMY_DATABASE_URI": database_url() or f"sqlite:///{tmp_dir}/test.sqlite3",
        # a report PDF takes seconds to build: the tests that want them from the scheduler turn this on
        "REPORT_DOCUMENTS_ON_COMPILE": False,
    }
    config.update(extra)
    return config


test_config.__test__ = False  # a helper, not a test (modules import it by name)


@pytest.fixture(scope="session")
def instance_dir() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="monitor-test-") as tmp:
        os.environ["MONITOR_INSTANCE_PATH"] = tmp
        yield tmp


def _reset_schema(app: Flask) -> None:
    from flask_migrate import upgrade

    from monitor.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        upgrade(directory=str(ROOT / "migrations"))


@pytest.fixture(scope="session")
def app(instance_dir: str) -> Flask:
    from monitor import create_app

    application = create_app(test_config(instance_dir))
    _reset_schema(application)
    return application


def empty_tables(app: Flask) -> None:
    from monitor.cli import ensure_periods
    from monitor.extensions import db
    from monitor.registry.operations import load_registry

    with app.app_context():
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f'DELETE FROM "{table}"'))
        load_registry()
        ensure_periods()
        db.session.commit()
        db.session.remove()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> None:
    if "app" in request.fixturenames:
        empty_tables(request.getfixturevalue("app"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass(frozen=True)
class UserRef:
    """A user created for a test (plain data, usable outside the application context)."""

    id: int
    email: str
    role: str
    municipality: str | None
    region: str | None


def make_user(app: Flask, email: str, role: str, municipality: str | None = None, region: str | None = None,
              locale: str = "lv") -> UserRef:
    from sqlalchemy import select

    from monitor.auth.models import Role
    from monitor.auth.operations import create_user
    from monitor.extensions import db
    from monitor.registry.models import Municipality, PlanningRegion

    with app.app_context():
        m = db.session.scalar(select(Municipality).where(Municipality.slug == municipality)) if municipality else None
        r = db.session.scalar(select(PlanningRegion).where(PlanningRegion.slug == region)) if region else None
        user = create_user(email=email, name=email.split("@")[0].title(), password=PASSWORD, role=Role(role),
                           municipality=m, region=r, locale=locale)
        db.session.commit()
        return UserRef(user.id, user.email, user.role, municipality, region)


@pytest.fixture
def users(app: Flask) -> dict[str, UserRef]:
    """One user per role; the editors are of Cēsu novads (two) and Liepāja; the reviewer is Vidzeme's."""
    return {
        "admin": make_user(app, "admin@test.lv", "admin"),
        "reviewer": make_user(app, "reviewer@test.lv", "reviewer", region="vidzeme-region"),
        "reviewer_other": make_user(app, "kurzeme@test.lv", "reviewer", region="kurzeme-region"),
        "editor": make_user(app, "editor@test.lv", "editor", municipality="cesu-novads"),
        "editor2": make_user(app, "editor2@test.lv", "editor", municipality="cesu-novads"),
        "editor_other": make_user(app, "other@test.lv", "editor", municipality="liepaja"),
        "researcher": make_user(app, "researcher@test.lv", "researcher"),
    }


def login(client: FlaskClient, user: UserRef, password: str = PASSWORD) -> FlaskClient:
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


@pytest.fixture
def login_as(app: Flask, users: dict[str, UserRef]) -> Callable[[str], FlaskClient]:
    """``login_as("editor")`` → a fresh test client signed in as that user."""

    def _login(role_key: str) -> FlaskClient:
        return login(app.test_client(), users[role_key])

    return _login


def in_app(app: Flask, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` inside an application context and commit."""
    from monitor.extensions import db

    with app.app_context():
        result = fn(*args, **kwargs)
        db.session.commit()
        return result
