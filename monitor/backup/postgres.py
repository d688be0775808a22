"""PostgreSQL: ``pg_dump --format=custom`` of the service's schema, taken in the same snapshot as the row counts
(an exported snapshot); restore by dropping the schema and replaying the dump with ``psql`` in one transaction,
so a failed restore leaves the database as it was. Needs the PostgreSQL client programs (``pg_dump``,
``pg_restore``, ``psql``) of the server's major version or newer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL, Connection, Engine

from .manifest import BackupError

LOCK_TIMEOUT = "30s"  # how long the restore waits for other sessions to let go of the tables


def program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found on PATH: install the PostgreSQL client programs of the server's "
                          "major version (Debian: apt-get install postgresql-client-15) and try again")
    return found


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """The URL as libpq takes it (no driver, no password) and the environment carrying the password."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return url.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(args: list[str], env: dict[str, str], what: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(args, env=env, capture_output=True, **kwargs)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[-2000:]
        raise BackupError(f"{what} failed: {message}")
    return done


def table_counts(conn: Connection) -> dict[str, int]:
    names = list(conn.scalars(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                   "ORDER BY tablename")))
    quote = conn.dialect.identifier_preparer.quote
    return {name: conn.execute(text(f"SELECT count(*) FROM {quote(name)}")).scalar_one() for name in names}


def revision(conn: Connection) -> str | None:
    if conn.scalar(text("SELECT to_regclass('alembic_version')")) is None:
        return None
    return ",".join(sorted(conn.scalars(text("SELECT version_num FROM alembic_version")))) or None


def dump(engine: Engine, out: Path) -> tuple[dict[str, int], str | None, str]:
    """→ (row counts, schema revision, tool), counted in the very snapshot pg_dump copies."""
    pg_dump = program("pg_dump")
    uri, env = _libpq(engine.url)
    version = _run([pg_dump, "--version"], env, "pg_dump --version").stdout.decode().strip()
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            snapshot = conn.scalar(text("SELECT pg_export_snapshot()"))
            schema = conn.scalar(text("SELECT current_schema()"))
            counts, rev = table_counts(conn), revision(conn)
            _run([pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--schema={schema}", "--file", str(out),
                  "--dbname", uri], env, "pg_dump")
    return counts, rev, version


def listed_tables(dump_file: Path) -> set[str]:
    """The tables whose data the dump holds (``pg_restore --list``: the dump's table of contents is readable)."""
    done = _run([program("pg_restore"), "--list", str(dump_file)], dict(os.environ), "pg_restore --list")
    tables = set()
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        match = re.match(r"^\d+; \d+ \d+ TABLE DATA \S+ (\S+) ", line)
        if match:
            tables.add(match.group(1))
    return tables


def restore(engine: Engine, dump_file: Path) -> None:
    """Drop the service's schema and replay the dump, all in one transaction. The dump is first turned into an SQL
    script beside it (so a pg_restore failure can never leave a half-replayed, committed database)."""
    pg_restore, psql = program("pg_restore"), program("psql")
    uri, env = _libpq(engine.url)
    with engine.connect() as conn:
        schema = conn.scalar(text("SELECT current_schema()"))
    engine.dispose()  # our own idle connections hold nothing, but let go of them anyway
    script = dump_file.with_suffix(".sql")
    _run([pg_restore, "--no-owner", "--no-privileges", "--file", str(script), str(dump_file)], env,
         "pg_restore (nothing was changed)")
    quoted = '"' + str(schema).replace('"', '""') + '"'
    try:
        replay = subprocess.run(
            [psql, "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1",
             "--command", f"SET lock_timeout = '{LOCK_TIMEOUT}'", "--command", f"DROP SCHEMA {quoted} CASCADE",
             "--file", str(script), "--dbname", uri],
            env=env, capture_output=True)
    finally:
        script.unlink(missing_ok=True)
    if replay.returncode != 0:
        message = replay.stderr.decode("utf-8", "replace").strip()[-2000:]
        if "lock timeout" in message:
            message += " — another process is using the database: stop the web app and the scheduler first"
        raise BackupError(f"the restore failed and was rolled back (nothing was changed): {message}")
