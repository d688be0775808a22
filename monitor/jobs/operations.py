"""The operations the scheduled jobs run (``scheduler.jobs`` says which runs when). Each is called inside the
application context by the wrapper in ``scheduler.runner``, which commits (or rolls back) and records the run; each
returns a small result dict. The CLI and tests call the same functions."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select

from forms import available_years, get_definition, validate

from ..clock import riga_today
from ..database import next_pending
from ..extensions import db
from ..models_base import utcnow
from ..periods.models import ReportingPeriod
from ..reporting.models import CompileRequest
from ..returns.models import AnnualReturn, ReturnStatus
from ..returns.storage import load_answers_bulk
from .models import CompletenessSnapshot

log = logging.getLogger(__name__)


def tick() -> dict[str, Any]:
    return {"at": utcnow().isoformat()}


def _open_years(today: dt.date | None = None) -> list[int]:
    """Reporting years whose period has opened (next year's period exists ahead of time: nothing to do yet)."""
    years = set(available_years())
    today = today or riga_today()
    return sorted(p.year for p in db.session.scalars(select(ReportingPeriod))
                  if p.year in years and p.opens_on <= today)


def _build_documents(snapshot: Any, failed: dict[str, str]) -> bool:
    """Build and store the PDFs of a new snapshot in a savepoint of their own: a failure is logged and recorded in
    ``failed`` (by year) and never loses the snapshot. Off (``REPORT_DOCUMENTS_ON_COMPILE``): nothing is built."""
    from flask import current_app

    from monitor.reporting.document import build_documents

    if not current_app.config.get("REPORT_DOCUMENTS_ON_COMPILE", True):
        return False
    savepoint = db.session.begin_nested()
    try:
        build_documents(snapshot)
        savepoint.commit()
        return True
    except Exception as exc:  # noqa: BLE001 - the snapshot stays; the report page builds the PDF on request
        savepoint.rollback()
        log.exception("the report documents of snapshot %s (%s) could not be built", snapshot.id, snapshot.year)
        failed[str(snapshot.year)] = f"{type(exc).__name__}: {exc}"[:500]
        return False


def compile_open_years() -> dict[str, Any]:
    """Compile every open year; one failing year is reported and does not stop the others. A new snapshot gets its
    report documents (PDF, Latvian and English) at once; so does a latest snapshot that has none yet. Every year's
    downloads (workbooks and CSV zips) are stored where they are missing or out of date."""
    from monitor.excel.stored import store_year_files_safely
    from monitor.reporting.operations import compile_snapshot

    result: dict[str, Any] = {"compiled": [], "unchanged": [], "failed": {}, "excluded": [], "documents": [],
                              "documents_failed": {}, "export_files": {}, "export_files_failed": {}}
    for year in _open_years():
        savepoint = db.session.begin_nested()
        try:
            snapshot, new = compile_snapshot(year, trigger="scheduler", problems=result["excluded"])
            savepoint.commit()
            result["compiled" if new else "unchanged"].append(year)
        except Exception as exc:  # noqa: BLE001 - reported in the job's result, the other years go on
            savepoint.rollback()
            result["failed"][str(year)] = f"{type(exc).__name__}: {exc}"[:500]
            continue
        # a new snapshot, or the latest one still without its documents (compiled by the CLI or the demo, or its
        # build failed last time)
        if (new or not snapshot.documents) and _build_documents(snapshot, result["documents_failed"]):
            result["documents"].append(year)
        if built := store_year_files_safely(year, result["export_files_failed"]):
            result["export_files"][str(year)] = built
    return result


def process_compile_requests() -> dict[str, Any]:
    """Claim pending "compile now" requests one by one; progress (running, done) is committed as it happens. A new
    snapshot gets its report documents and its downloads after the request is marked done (a failure is in the
    job's result)."""
    from monitor.excel.stored import store_year_files_safely
    from monitor.reporting.operations import compile_snapshot

    done = 0
    documents: list[int] = []
    failed: dict[str, str] = {}
    while True:
        request = next_pending(db.session, CompileRequest)
        if request is None:
            result: dict[str, Any] = {"processed": done}
            if documents or failed:
                result.update(documents=documents, documents_failed=failed)
            return result
        request.status, request.started_at = "running", utcnow()
        db.session.commit()  # the admin page shows "running" now
        snapshot, new = None, False
        try:
            snapshot, new = compile_snapshot(request.year, actor=None, trigger="scheduler")
            request.snapshot_id, request.status = snapshot.id, "done"
        except Exception as exc:  # noqa: BLE001 - the request records why it failed
            db.session.rollback()
            request = db.session.get(CompileRequest, request.id)
            request.status, request.error = "failed", f"{type(exc).__name__}: {exc}"[:1000]
        request.finished_at = utcnow()
        db.session.commit()
        done += 1
        if snapshot is not None and new and _build_documents(snapshot, failed):
            db.session.commit()
            documents.append(snapshot.id)
        if snapshot is not None and store_year_files_safely(snapshot.year, failed):
            db.session.commit()


def send_mail() -> dict[str, Any]:
    from monitor.mail.operations import send_pending

    report = send_pending()
    return {k: v for k, v in vars(report).items() if isinstance(v, int)}


def queue_reminders(today: dt.date | None = None) -> dict[str, Any]:
    from monitor.returns.notifications import periods_to_remind, queue_deadline_reminders

    today = today or riga_today()
    queued = {p.year: len(queue_deadline_reminders(p, today)) for p in periods_to_remind(today)}
    return {"queued": queued}


def take_completeness_snapshot(today: dt.date | None = None) -> dict[str, Any]:
    """Counts of returns by state per open year, once a day (a second run the same day stores nothing)."""
    today = today or riga_today()
    stored = []
    for year in _open_years(today):
        exists = db.session.scalar(select(CompletenessSnapshot.id).where(
            CompletenessSnapshot.day == today, CompletenessSnapshot.year == year))
        if exists:
            continue
        counts: dict[str, int] = {}
        late = 0
        for status, is_late in db.session.execute(select(AnnualReturn.status, AnnualReturn.is_late)
                                                  .where(AnnualReturn.year == year)):
            counts[status] = counts.get(status, 0) + 1
            late += bool(is_late)
        db.session.add(CompletenessSnapshot(day=today, year=year, counts={"by_status": counts, "late": late}))
        stored.append(year)
    return {"stored": stored}


def revalidate_drafts() -> dict[str, Any]:
    """Drafts started under an older definition version: move them to the current one and count how many now
    have errors (the municipality sees them on its next visit; nothing is changed in the answers)."""
    result: dict[str, Any] = {}
    for year in _open_years():
        definition = get_definition(year)
        stale = db.session.scalars(select(AnnualReturn).where(
            AnnualReturn.year == year, AnnualReturn.status.in_((ReturnStatus.DRAFT, ReturnStatus.RETURNED)),
            AnnualReturn.definition_version != definition.version)).all()
        answers = load_answers_bulk(stale, definition)
        with_errors = 0
        for ret in stale:
            with_errors += bool(validate(definition, answers[ret.id]).errors)
            ret.definition_version = definition.version
        result[str(year)] = {"revalidated": len(stale), "with_errors": with_errors}
    return result


def back_up_database() -> dict[str, Any]:
    """The nightly backup into ``BACKUP_DIR`` (see ``monitor.backup``), then retention (7 daily, 4 weekly)."""
    from monitor.backup.operations import create_backup, prune_backups

    path, manifest = create_backup()
    return {"file": path.name, "bytes": path.stat().st_size, "rows": sum(manifest.row_counts.values()),
            "removed": prune_backups(path.parent)}
