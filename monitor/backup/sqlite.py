"""SQLite: dump with the online backup API (a consistent copy while the service runs), gzipped; restore with the
same API into the configured database file (one step: other connections wait for it)."""

from __future__ import annotations

import gzip
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

from .manifest import BackupError

PAGES_PER_STEP = 4096  # copy in steps so a running service is not blocked for the whole copy


def database_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("the configured SQLite database is in memory: there is nothing on disk to back up")
    return Path(url.database)


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def revision(conn: sqlite3.Connection) -> str | None:
    try:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.OperationalError:
        return None
    return ",".join(sorted(r[0] for r in rows)) or None


def dump(source: Path, out: Path) -> tuple[dict[str, int], str | None, str]:
    """Copy ``source`` into ``out`` (gzipped); → (row counts, schema revision, tool) of the copy itself."""
    if not source.exists():
        raise BackupError(f"the SQLite database {source} does not exist")
    copy = out.with_suffix("")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(copy)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
        counts, rev = table_counts(dst), revision(dst)
    finally:
        dst.close()
        src.close()
    with copy.open("rb") as plain, gzip.open(out, "wb", compresslevel=6) as packed:
        shutil.copyfileobj(plain, packed, 1024 * 1024)
    copy.unlink()
    return counts, rev, f"sqlite3 {sqlite3.sqlite_version} online backup API, gzip"


def unpack(dump_file: Path) -> Path:
    plain = dump_file.with_suffix(".plain")
    try:
        with gzip.open(dump_file, "rb") as packed, plain.open("wb") as out:
            shutil.copyfileobj(packed, out, 1024 * 1024)
    except (OSError, EOFError) as exc:
        raise BackupError(f"the dump cannot be decompressed ({exc})") from exc
    return plain


def check(dump_file: Path) -> tuple[dict[str, int], str | None]:
    """Open the dump as a database: integrity check, then its row counts and revision."""
    plain = unpack(dump_file)
    try:
        conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
        try:
            status = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if status != "ok":
                raise BackupError(f"the dumped database is damaged: {status}")
            return table_counts(conn), revision(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the dump is not a readable SQLite database ({exc})") from exc
    finally:
        plain.unlink(missing_ok=True)


def restore(dump_file: Path, target: Path) -> None:
    """Replace the whole content of ``target`` by the dump's (the target file is created if missing)."""
    plain = unpack(dump_file)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)  # one step: readers never see a half-restored database
        except sqlite3.OperationalError as exc:
            raise BackupError(f"the database {target} is in use ({exc}): stop the web app and the scheduler, "
                              "then restore again") from exc
        finally:
            dst.close()
            src.close()
    finally:
        plain.unlink(missing_ok=True)
