"""The production recipe's processes (compose.yaml: migrate, gunicorn with deploy/gunicorn.conf.py, one
scheduler) start with its settings against a local PostgreSQL and Redis and answer ``/health``
(``deploy/try_recipe.py``; Docker itself is not available to the tests)."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import ROOT, database_url, is_postgres

REDIS_URL = "redis://127.0.0.1:6379/14"


def _server_url() -> str:
    """The PostgreSQL server of the suite (or the local one on a SQLite run), as a URL of its ``postgres`` db."""
    url = sa.engine.make_url(database_url() if is_postgres() else "postgresql+psycopg://postgres@127.0.0.1:5432/x")
    return url.set(drivername="postgresql+psycopg", database="postgres").render_as_string(hide_password=False)


def _requirements() -> str | None:
    if not Path(sys.executable).with_name("gunicorn").exists():
        return "gunicorn is not installed next to this Python"
    try:
        import redis
        import yaml  # noqa: F401  (deploy/try_recipe.py reads compose.yaml)
    except ImportError as exc:
        return f"{exc.name} is not installed"
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError:
        return "no Redis on 127.0.0.1:6379"
    try:
        engine = sa.create_engine(_server_url(), connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except sa.exc.OperationalError:
        return "no PostgreSQL server (the recipe's database) on the suite's URL or 127.0.0.1:5432"
    return None


@pytest.fixture
def recipe_database():
    missing = _requirements()
    if missing:
        pytest.skip(f"the recipe's processes cannot run here: {missing}")
    name = f"try_recipe_{uuid.uuid4().hex[:10]}"
    server = sa.create_engine(_server_url(), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.engine.make_url(_server_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def test_the_recipes_processes_start_with_its_settings_and_answer_health(recipe_database):
    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        import try_recipe
    finally:
        sys.path.remove(str(ROOT / "deploy"))
    outcome = try_recipe.try_recipe(recipe_database, REDIS_URL, seconds=12)
    failed = [(name, detail) for name, ok, detail in outcome.checks if not ok]
    assert failed == []
    names = [name for name, _ok, _detail in outcome.checks]
    assert "web: /health answers 200 with the database" in names and "scheduler: ran jobs" in names


def test_the_recipe_reads_its_settings_from_the_files():
    pytest.importorskip("yaml")
    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        import try_recipe
    finally:
        sys.path.remove(str(ROOT / "deploy"))
    recipe = try_recipe.read_recipe()
    env = recipe.environment
    assert recipe.web[0] == "gunicorn" and "deploy/gunicorn.conf.py" in recipe.web
    assert recipe.scheduler == ["python", "-m", "scheduler"] and recipe.scheduler_replicas == 1
    assert env["MONITOR_LOG_FORMAT"] == "json" and env["MONITOR_RATELIMIT_STORAGE_URI"].startswith("redis://")
    assert env["DATABASE_URL"].startswith("postgresql://") and env["MONITOR_MAIL_BASE_URL"].startswith("https://")
    assert env["MONITOR_FORCE_HTTPS"] == "true" and env["MONITOR_PROXY_FIX_COUNT"] == "1"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("SECRET_KEY", "MONITOR_MAIL_BASE_URL", "PORT", "MONITOR_LOG_FORMAT", "MONITOR_RATELIMIT_STORAGE_URI",
                 "DATABASE_URL", "MONITOR_FORCE_HTTPS", "MONITOR_PROXY_FIX_COUNT"):
        assert f"`{name}`" in readme, name
