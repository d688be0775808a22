"""Back up, verify and restore the configured database; prune old backups. Called by ``flask backup …`` and by the
nightly scheduler job (``monitor.jobs.operations.back_up_database``): one path for both.

Restoring works within one engine (a SQLite backup into SQLite, a PostgreSQL backup into PostgreSQL); moving
between engines is not supported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import tarfile
import tempfile
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from alembic.script import ScriptDirectory
from flask import current_app

from ..extensions import db
from ..models_base import utcnow
from . import postgres, sqlite
from .manifest import (
    MANIFEST_NAME, BackupError, Manifest, backup_file_name, backup_time, count_differences, revision_relation,
)
from .retention import backups_to_keep

RIGA = ZoneInfo("Europe/Riga")
CHUNK = 1024 * 1024


def backup_dir() -> Path:
    configured = current_app.config.get("BACKUP_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "backups"


def _engine_name() -> str:
    name = db.engine.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise BackupError(f"backups of a {name} database are not supported")
    return name


def code_revisions() -> list[str]:
    """The code's migrations, head first (from the source tree, else where ``flask db`` looks for them)."""
    migrate = current_app.extensions.get("migrate")
    candidates = [Path(current_app.root_path).parent / "migrations", Path(getattr(migrate, "directory", "migrations"))]
    directory = next((d for d in candidates if (d / "env.py").exists()), None)
    if directory is None:
        raise BackupError("the migrations folder was not found (run the command from the project's folder), so the "
                          "backup's schema revision cannot be compared with this code's")
    return [rev.revision for rev in ScriptDirectory(str(directory)).walk_revisions()]


def current_counts() -> dict[str, int]:
    if _engine_name() == "sqlite":
        import sqlite3

        conn = sqlite3.connect(sqlite.database_path(db.engine.url))
        try:
            return sqlite.table_counts(conn)
        finally:
            conn.close()
    with db.engine.connect() as conn:
        return postgres.table_counts(conn)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def create_backup(directory: Path | None = None, now: dt.datetime | None = None) -> tuple[Path, Manifest]:
    """Dump the configured database into a new backup file in ``directory`` (made if missing; readable by its
    owner only, since it holds personal data and password hashes). → (its path, its manifest)."""
    engine = _engine_name()
    directory = directory or backup_dir()
    directory.mkdir(parents=True, exist_ok=True)
    now = now or utcnow()
    with tempfile.TemporaryDirectory(dir=directory, prefix=".backup-") as work:
        dump_name = "database.sqlite3.gz" if engine == "sqlite" else "database.pgdump"
        dump_file = Path(work) / dump_name
        if engine == "sqlite":
            counts, revision, tool = sqlite.dump(sqlite.database_path(db.engine.url), dump_file)
        else:
            counts, revision, tool = postgres.dump(db.engine, dump_file)
        manifest = Manifest(created_at=now.astimezone(dt.UTC).isoformat(), engine=engine, schema_revision=revision,
                            row_counts=counts, dump_name=dump_name, dump_sha256=_sha256(dump_file),
                            dump_size=dump_file.stat().st_size, tool=tool)
        part = Path(work) / "backup.tar"
        with tarfile.open(part, "w", format=tarfile.PAX_FORMAT) as tar:
            data = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size, info.mtime, info.mode = len(data), int(now.timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump_file, arcname=dump_name, recursive=False)
        os.chmod(part, 0o600)
        attempt = 0
        while (target := directory / backup_file_name(now, attempt)).exists():
            attempt += 1 if attempt else 2
        os.replace(part, target)
    return target, manifest


def read_manifest(path: Path) -> Manifest:
    try:
        with tarfile.open(path, "r:") as tar:
            member = tar.extractfile(MANIFEST_NAME)
            if member is None:
                raise BackupError("the file holds no manifest")
            return Manifest.from_json(member.read())
    except KeyError as exc:
        raise BackupError(f"{path.name} holds no {MANIFEST_NAME}: not a backup of this service") from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path.name} is not a readable backup file ({exc})") from exc


def extract_dump(path: Path, work: Path) -> tuple[Manifest, Path]:
    """The manifest and the dump (written into ``work``) once its size and SHA-256 match the manifest's."""
    manifest = read_manifest(path)
    out = work / Path(manifest.dump_name).name
    digest = hashlib.sha256()
    try:
        with tarfile.open(path, "r:") as tar:
            member = tar.extractfile(manifest.dump_name)
            if member is None:
                raise BackupError(f"the dump {manifest.dump_name} is missing from the file")
            with out.open("wb") as f:
                while chunk := member.read(CHUNK):
                    digest.update(chunk)
                    f.write(chunk)
    except KeyError as exc:
        raise BackupError(f"the dump {manifest.dump_name} is missing from the file") from exc
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"the dump cannot be read from the file ({exc})") from exc
    if out.stat().st_size != manifest.dump_size or digest.hexdigest() != manifest.dump_sha256:
        raise BackupError("the dump's checksum does not match the manifest: the file is damaged or was changed")
    return manifest, out


def _check_dump(manifest: Manifest, dump_file: Path) -> None:
    if manifest.engine == "sqlite":
        counts, revision = sqlite.check(dump_file)
        problems = count_differences(manifest.row_counts, counts)
        if problems:
            raise BackupError("the dump's row counts differ from the manifest: " + "; ".join(problems))
        if revision != manifest.schema_revision:
            raise BackupError(f"the dump's schema revision {revision} differs from the manifest's "
                              f"{manifest.schema_revision}")
    else:
        missing = set(manifest.row_counts) - postgres.listed_tables(dump_file)
        if missing:
            raise BackupError("the dump holds no data for: " + ", ".join(sorted(missing)))


def verify_backup(path: Path) -> Manifest:
    """Checksum, manifest and a readable dump (SQLite: opened, integrity-checked and counted table by table;
    PostgreSQL: its table of contents read by pg_restore). Raises BackupError saying what is wrong."""
    with tempfile.TemporaryDirectory(prefix="monitor-verify-") as work:
        manifest, dump_file = extract_dump(path, Path(work))
        _check_dump(manifest, dump_file)
    return manifest


def restore_backup(path: Path, confirm: Callable[[Manifest, str], bool]) -> tuple[Manifest, str] | None:
    """Replace the configured database by the backup's content, after verifying it and asking ``confirm``
    (manifest, "same" | "older" schema) — None when it says no. Refuses a backup of the other engine or of a
    newer schema than the code's. After the restore every table's row count must equal the manifest's."""
    engine = _engine_name()
    with tempfile.TemporaryDirectory(prefix="monitor-restore-") as work:
        manifest, dump_file = extract_dump(path, Path(work))
        if manifest.engine != engine:
            raise BackupError(f"this is a backup of a {manifest.engine} database and the configured database is "
                              f"{engine}: restoring across engines is not supported")
        relation = revision_relation(manifest.schema_revision, code_revisions())
        if relation == "newer":
            raise BackupError(f"the backup's schema revision {manifest.schema_revision} is newer than this code's "
                              f"({code_revisions()[0]}): restore it with the version of the service that made it")
        _check_dump(manifest, dump_file)
        if not confirm(manifest, relation):
            return None
        db.session.remove()
        db.engine.dispose()
        if engine == "sqlite":
            sqlite.restore(dump_file, sqlite.database_path(db.engine.url))
        else:
            postgres.restore(db.engine, dump_file)
        db.engine.dispose()
    problems = count_differences(manifest.row_counts, current_counts())
    if problems:
        raise BackupError("restored, but the row counts differ from the manifest: " + "; ".join(problems))
    return manifest, relation


def prune_backups(directory: Path | None = None) -> list[str]:
    """Delete the backups that retention does not keep (only files named like backups). → the deleted names."""
    directory = directory or backup_dir()
    config = current_app.config
    stamps = {p: at.astimezone(RIGA) for p in directory.glob("monitor-backup-*.tar")
              if (at := backup_time(p.name)) is not None}
    keep = backups_to_keep(stamps, int(config.get("BACKUP_KEEP_DAILY", 7)), int(config.get("BACKUP_KEEP_WEEKLY", 4)))
    removed = []
    for p in sorted(set(stamps) - keep):
        p.unlink()
        removed.append(p.name)
    return removed
