"""Migrations upgrade an empty database to the models' schema, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from tests.conftest import ROOT, database_url, is_postgres


@pytest.fixture
def empty_database_url(tmp_path):
    """A brand-new empty database: a new SQLite file, or a new schema on the PostgreSQL server."""
    if not is_postgres():
        yield f"sqlite:///{tmp_path}/empty.sqlite3"
        return
    from monitor.config import normalise_database_url

    url = normalise_database_url(database_url())
    schema = f"mig_{uuid.uuid4().hex[:10]}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def test_upgrade_from_empty_matches_the_models(instance_dir, empty_database_url):
    from flask_migrate import downgrade, upgrade

    from monitor import create_app
    from monitor.extensions import db
    from tests.conftest import test_config

    app = create_app(test_config(instance_dir, SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        tables = set(inspect(db.engine).get_table_names())
        assert {"annual_return", "answer", "group_row", "group_answer", "change_log", "user_account",
                "municipality", "planning_region", "reporting_period", "audit_event", "warning_note"} <= tables
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
        assert diff == [], diff
        downgrade(directory=str(ROOT / "migrations"), revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_sqlite_foreign_keys_are_enforced(app):
    from sqlalchemy.exc import IntegrityError

    from monitor.extensions import db
    from monitor.returns.models import Answer

    with app.app_context():
        db.session.add(Answer(return_id=999999, field_key="x"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_0006_fills_in_the_summary_of_snapshots_compiled_before(instance_dir, empty_database_url):
    """A snapshot stored before the summary existed gets one from its payload, equal to what a compilation writes."""
    import json

    from flask_migrate import upgrade

    from monitor import create_app
    from monitor.extensions import db
    from reports.summary import summarise
    from tests.conftest import test_config

    payload = {"n_units": 2, "coverage": {"counted": 2, "expected": 43},
               "indicators": [{"key": "k.share", "computation": "share",
                               "national": {"value": "50", "n": 2, "n_missing": 1},
                               "regions": {"riga-region": {"value": None, "n": 0, "n_missing": 0}}}]}
    app = create_app(test_config(instance_dir, SQLALCHEMY_DATABASE_URI=empty_database_url))
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="0005_return_origin")
        with db.engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO report_snapshot (year, compiled_at, definition_version, reference_version, "
                "inputs_fingerprint, statuses, trigger, payload) VALUES (2025, CURRENT_TIMESTAMP, '2025.1', '', "
                "'f', 'approved', 'cli', :payload)"), {"payload": json.dumps(payload)})
        upgrade(directory=str(ROOT / "migrations"))
        with db.engine.connect() as conn:
            stored = conn.execute(text("SELECT summary FROM report_snapshot")).scalar()
        stored = json.loads(stored) if isinstance(stored, str) else stored
        assert stored == summarise(payload)
        assert stored["indicators"]["k.share"]["national"] == ["50", 2, 1]
        assert stored["indicators"]["k.share"]["regions"]["riga-region"] == [None, 0, 0]
        assert stored["coverage"] == {"counted": 2, "expected": 43}
        db.engine.dispose()
