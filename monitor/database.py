"""Engine behaviour the whole service relies on: SQLite set-up, who takes SQLite's write lock, broken connections,
and knowing whether the current request has committed.

**SQLite transactions.** In WAL mode readers never wait for a writer, but a deferred transaction that reads and then
writes fails at once (``SQLITE_BUSY_SNAPSHOT``) if another connection wrote meanwhile (ecosystem.md §4.3). So a
transaction that will write takes the write lock up front (``BEGIN IMMEDIATE``, waiting up to ``busy_timeout``), and
a transaction that only reads uses a deferred ``BEGIN`` and never waits. The request knows which it is: ``GET``,
``HEAD`` and ``OPTIONS`` requests read; every other request, and all work outside a request (jobs, CLI, demo), may
write. A reading request that does write after all (a download is audited, a stale public copy is refreshed) ends
its read transaction before its first write statement and takes the write lock then — it has written nothing yet, so
nothing is lost, and the write waits its turn instead of failing.

**Broken connections.** PostgreSQL connections are checked before use (``pool_pre_ping``). A SQLite connection that
saw the file become read-only, the disk fill up or the file vanish is discarded by :func:`_invalidate_broken`
rather than returned to the pool to fail a later save.

**Commit tracking.** :func:`committed_in_request` says whether the current request's session has committed, so an
error page can say truthfully that a step was saved even if showing the next page failed.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

#: request methods that only read (their transactions use a deferred BEGIN on SQLite)
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITES = ("insert", "update", "delete", "replace", "create", "drop", "alter")
#: SQLite errors after which a connection is not trusted again (the pool opens a new one)
_BROKEN_SQLITE = ("readonly", "read-only", "disk i/o error", "database or disk is full", "disk image is malformed",
                  "unable to open database file")


def reading_request() -> bool:
    """True inside a request whose method only reads."""
    return has_request_context() and request.method in READING_METHODS


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """SQLite: foreign keys on, wait for a busy database, WAL, and let SQLAlchemy emit BEGIN (ecosystem §4.3)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("foreign_keys=ON", "busy_timeout=10000", "journal_mode=WAL"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn: Any) -> None:
    if conn.dialect.name != "sqlite":
        return
    if reading_request():
        conn.exec_driver_sql("BEGIN")
        conn.info["sqlite_reading"] = True
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
        conn.info["sqlite_reading"] = False


@event.listens_for(Engine, "before_cursor_execute")
def _sqlite_upgrade_to_writer(conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
    """A reading request's first write: end the read transaction (nothing written yet) and take the write lock."""
    if conn.info.get("sqlite_reading") and statement.lstrip()[:7].lower().startswith(_WRITES):
        conn.info["sqlite_reading"] = False
        cursor.execute("COMMIT")
        cursor.execute("BEGIN IMMEDIATE")


@event.listens_for(Engine, "handle_error")
def _invalidate_broken(context: Any) -> None:
    """A SQLite connection that hit a read-only file, a full disk or a vanished file is not reused."""
    if context.engine is None or context.engine.dialect.name != "sqlite":
        return
    message = str(context.original_exception).lower()
    if any(part in message for part in _BROKEN_SQLITE):
        context.is_disconnect = True
        context.invalidate_pool_on_disconnect = False  # the other connections are checked as they are used


@event.listens_for(Session, "after_commit")
def _note_commit(_session: Session) -> None:
    if has_request_context():
        g.monitor_committed = True


def committed_in_request() -> bool:
    """Whether this request has committed a transaction (its changes are stored, whatever happens next)."""
    return bool(has_request_context() and g.get("monitor_committed"))


def next_pending(session: Session, model: Any) -> Any:
    """The oldest row of a work queue (``status == "pending"``) for this process to claim, or None. On PostgreSQL
    a row another scheduler process is claiming is skipped (``SKIP LOCKED``); SQLite has one writer at a time."""
    query = select(model).where(model.status == "pending").order_by(model.id).limit(1)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.scalar(query)
