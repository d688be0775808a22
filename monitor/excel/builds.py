"""Exports built on request, off the web request: a user asks (``request_build``), the scheduler's ``export_builds``
job builds and stores the file (``process_export_builds``), the user's page follows the progress and then offers
the download. Like "compile now" (``monitor.jobs``): a row per request, claimed by the scheduler process."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update

from forms import definition_years

from ..database import next_pending
from ..extensions import db
from ..models_base import utcnow
from .exporting import ExportRequest, export_years
from .models import ExportBuild
from .stored import build_file

ACTIVE = ("pending", "running")
#: a build still "running" after this long was left by a scheduler process that died: it is queued again
STUCK_AFTER = dt.timedelta(minutes=30)


def request_build(export: ExportRequest, actor: Any) -> ExportBuild:
    """The user's build of ``export``: the one already waiting or running, else a new one (flushed)."""
    found = db.session.scalar(select(ExportBuild).where(
        ExportBuild.requested_by_id == actor.id, ExportBuild.variant == export.variant(),
        ExportBuild.status.in_(ACTIVE)).order_by(ExportBuild.id.desc()).limit(1))
    if found is not None:
        return found
    build = ExportBuild(variant=export.variant(), choices=export.args(), requested_by_id=actor.id,
                        years_total=len(export_years(export.first, export.last)))
    db.session.add(build)
    db.session.flush()
    return build


def build_request(build: ExportBuild) -> ExportRequest:
    """What the build was asked for (the choices were checked when it was requested)."""
    export, errors = ExportRequest.parse(build.choices, definition_years())
    if export is None:
        raise ValueError(f"export build {build.id}: {errors}")
    return export


def process_export_builds() -> dict[str, Any]:
    """Claim waiting builds one by one and build each (its progress is committed as the years are read); a failure
    is recorded on the build and the next one goes on. A build left running by a process that died is queued
    again (``STUCK_AFTER``)."""
    requeued = db.session.execute(update(ExportBuild).where(
        ExportBuild.status == "running", ExportBuild.started_at < utcnow() - STUCK_AFTER).values(status="pending"))
    db.session.commit()
    done = failed = 0
    while True:
        build = next_pending(db.session, ExportBuild)
        if build is None:
            result = {"built": done, "failed": failed}
            return {**result, "requeued": requeued.rowcount} if requeued.rowcount else result
        build_id = build.id
        build.status, build.started_at, build.years_done = "running", utcnow(), 0
        db.session.commit()  # the user's page shows "running" now

        def progress(years_done: int, _total: int) -> None:
            db.session.get(ExportBuild, build_id).years_done = years_done
            db.session.commit()

        try:
            stored = build_file(build_request(build), trigger="request", progress=progress)
            build = db.session.get(ExportBuild, build_id)
            build.file_id, build.status, build.years_done = stored.id, "done", build.years_total
            done += 1
        except Exception as exc:  # noqa: BLE001 - the build records why it failed
            db.session.rollback()
            build = db.session.get(ExportBuild, build_id)
            build.status, build.error = "failed", f"{type(exc).__name__}: {exc}"[:1000]
            failed += 1
        build.finished_at = utcnow()
        db.session.commit()
