"""Backups on the configured database (SQLite or PostgreSQL): a round trip leaves every table identical row by row,
``verify`` catches a changed file, ``restore`` refuses a newer schema and asks before overwriting, the nightly job
writes a backup and applies retention."""

from __future__ import annotations

import datetime as dt
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, delete, select, update

from tests.conftest import is_postgres, make_user
from tests.factories import compile_year, complete_answers, make_return


def all_rows(app) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table in the database (alembic_version included), ordered by primary key."""
    from monitor.extensions import db

    with app.app_context():
        meta = MetaData()
        meta.reflect(bind=db.engine)
        out = {}
        with db.engine.connect() as conn:
            for table in meta.sorted_tables:
                order = list(table.primary_key.columns) or list(table.columns)
                out[table.name] = [tuple(row) for row in conn.execute(select(table).order_by(*order))]
        db.session.remove()
        return out


@pytest.fixture
def filled(app, users):
    """Returns in several states with repeating groups, a compiled report, job runs, audit events."""
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    make_return(app, "liepaja", 2026, complete_answers(), actor_id=users["editor_other"].id, status="submitted")
    make_return(app, "cesu-novads", 2025, {"respondent_name": "Jānis Bērziņš"}, actor_id=users["editor"].id)
    compile_year(app, 2026)
    from scheduler.jobs import JOBS
    from scheduler.runner import run_job

    run_job(app, next(j for j in JOBS if j.id == "compile_requests"))
    return users


def _in_app(app, fn):
    from monitor.extensions import db

    with app.app_context():
        try:
            return fn()
        finally:
            db.session.remove()


def _damage(app) -> None:
    """Change, delete and add rows across tables, as a bad day would."""
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn, Answer

    def change():
        db.session.execute(delete(Answer).where(Answer.field_key == "respondent_name"))
        db.session.execute(update(User).values(name="Changed"))
        db.session.execute(update(AnnualReturn).values(status="draft"))
        db.session.commit()

    _in_app(app, change)
    make_user(app, "intruder@test.lv", "admin")


def test_round_trip_every_table_identical(app, filled, tmp_path):
    from monitor.backup.operations import create_backup, restore_backup, verify_backup

    before = all_rows(app)
    assert sum(len(rows) for rows in before.values()) > 500 and before["alembic_version"]
    path, manifest = _in_app(app, lambda: create_backup(tmp_path))
    assert manifest.engine == ("postgresql" if is_postgres() else "sqlite")
    assert manifest.row_counts == {name: len(rows) for name, rows in before.items()}
    assert _in_app(app, lambda: verify_backup(path)) == manifest
    assert path.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only

    _damage(app)
    assert all_rows(app) != before
    asked = []
    result = _in_app(app, lambda: restore_backup(path, lambda m, relation: asked.append(relation) or True))
    assert asked == ["same"] and result == (manifest, "same")
    after = all_rows(app)
    for table in before:  # table by table, so a failure names the table
        assert after[table] == before[table], table
    assert set(after) == set(before)
    # the restored database goes on working: new rows get fresh ids (sequences restored on PostgreSQL)
    make_user(app, "after@test.lv", "researcher")


def _rewrite(path: Path, out: Path, manifest_change=None, dump_change=None) -> Path:
    with tarfile.open(path) as tar:
        manifest = json.loads(tar.extractfile("manifest.json").read())
        dump = tar.extractfile(manifest["dump_name"]).read()
    if manifest_change:
        manifest_change(manifest)
    if dump_change:
        dump = dump_change(dump)
    with tarfile.open(out, "w") as tar:
        for name, data in (("manifest.json", json.dumps(manifest).encode()), (manifest["dump_name"], dump)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out


def test_verify_detects_a_changed_or_broken_file(app, filled, tmp_path):
    from monitor.backup.manifest import BackupError
    from monitor.backup.operations import create_backup, verify_backup

    path, _manifest = _in_app(app, lambda: create_backup(tmp_path / "b"))

    def flip(dump: bytes) -> bytes:
        middle = len(dump) // 2
        return dump[:middle] + bytes([dump[middle] ^ 0xFF]) + dump[middle + 1:]

    tampered = _rewrite(path, tmp_path / "tampered.tar", dump_change=flip)
    with pytest.raises(BackupError, match="checksum does not match"):
        _in_app(app, lambda: verify_backup(tampered))
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(BackupError):
        _in_app(app, lambda: verify_backup(truncated))
    not_a_backup = tmp_path / "notes.tar"
    not_a_backup.write_bytes(b"just some text" * 100)
    with pytest.raises(BackupError, match="not a readable backup"):
        _in_app(app, lambda: verify_backup(not_a_backup))
    # an edited manifest (a table's row count) with the dump intact: on SQLite the dump is counted and it shows
    if not is_postgres():
        edited = _rewrite(path, tmp_path / "edited.tar",
                          manifest_change=lambda m: m["row_counts"].update(answer=m["row_counts"]["answer"] + 1))
        with pytest.raises(BackupError, match="answer"):
            _in_app(app, lambda: verify_backup(edited))


def test_restore_refuses_a_newer_schema_and_another_engine(app, filled, tmp_path):
    from monitor.backup.manifest import BackupError
    from monitor.backup.operations import create_backup, restore_backup

    path, _manifest = _in_app(app, lambda: create_backup(tmp_path / "b"))
    before = all_rows(app)
    newer = _rewrite(path, tmp_path / "newer.tar", manifest_change=lambda m: m.update(schema_revision="0099_later"))
    asked = []
    with pytest.raises(BackupError, match="newer than this code"):
        _in_app(app, lambda: restore_backup(newer, lambda m, r: asked.append(r) or True))
    other = "sqlite" if is_postgres() else "postgresql"
    foreign = _rewrite(path, tmp_path / "other.tar", manifest_change=lambda m: m.update(engine=other))
    with pytest.raises(BackupError, match="across engines is not supported"):
        _in_app(app, lambda: restore_backup(foreign, lambda m, r: asked.append(r) or True))
    assert asked == [] and all_rows(app) == before  # never asked, nothing touched


def test_cli_asks_before_overwriting(app, filled, tmp_path):
    runner = app.test_cli_runner()
    created = runner.invoke(args=["backup", "create", "--dir", str(tmp_path)])
    assert created.exit_code == 0, created.output
    path = next(tmp_path.glob("monitor-backup-*.tar"))
    verified = runner.invoke(args=["backup", "verify", str(path)])
    assert verified.exit_code == 0 and "OK" in verified.output
    _damage(app)
    damaged = all_rows(app)
    answered_no = runner.invoke(args=["backup", "restore", str(path)], input="n\n")
    assert answered_no.exit_code != 0 and "will be replaced" in answered_no.output and "cancelled" in answered_no.output
    assert all_rows(app) == damaged
    answered_yes = runner.invoke(args=["backup", "restore", str(path)], input="y\n")
    assert answered_yes.exit_code == 0 and "match the manifest" in answered_yes.output, answered_yes.output
    assert all_rows(app) != damaged
    broken = tmp_path / "broken.tar"
    broken.write_bytes(b"x" * 2000)
    failed = runner.invoke(args=["backup", "verify", str(broken)])
    assert failed.exit_code == 1 and "broken.tar" in failed.output


def test_nightly_job_writes_a_backup_and_applies_retention(app, users, tmp_path, monkeypatch):
    from monitor.backup.manifest import backup_file_name
    from scheduler.jobs import JOBS
    from scheduler.runner import run_job

    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path))
    start = dt.datetime(2026, 10, 1, 0, 30, tzinfo=dt.UTC)
    old = [tmp_path / backup_file_name(start + dt.timedelta(days=i)) for i in range(30)]
    for p in old:
        p.write_bytes(b"an old backup")
    (tmp_path / "README.txt").write_text("not a backup: never touched")
    run = run_job(app, next(j for j in JOBS if j.id == "backup_nightly"))
    assert run.outcome == "ok", run.error
    new = tmp_path / run.result["file"]
    assert new.exists() and run.result["bytes"] == new.stat().st_size
    left = {p.name for p in tmp_path.iterdir()}
    # today's backup and 6 more days (the newest of the old ones), plus the newest of the 4 latest weeks
    assert "README.txt" in left and new.name in left
    assert len(run.result["removed"]) == len(old) - (len(left) - 2)
    assert {p.name for p in old[-6:]} <= left and old[0].name not in left
