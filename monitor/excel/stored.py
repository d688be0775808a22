"""Research exports built once and stored (``ExportFile``): which stored file is current, building and storing one,
and the files the scheduler builds for a year when it compiles the year's report.

A file is current while the inputs it was built from are unchanged: ``export_fingerprint`` — a few small queries,
no answers read — digests each year's latest report snapshot (id, compile time, inputs), the returns counted (id,
version, state: every change of answers or state bumps the version), the registry's names, the definition versions
and ``FORMAT_VERSION``. Whatever changes any of them makes every stored file of those years out of date: it is never
served again, and the next build of its variant replaces it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
import time
from typing import Any, Iterable

from flask import current_app
from sqlalchemy import delete, func, select

from forms import get_definition

from ..extensions import db
from ..models_base import utcnow
from ..registry.models import Municipality, PlanningRegion
from ..reporting.models import ReportSnapshot
from ..returns.models import AnnualReturn
from .exporting import EXPORT_STATUSES, ExportRequest, Progress, data_rows, export_years, write_export
from .models import ExportFile

log = logging.getLogger(__name__)

#: bump when the writers' output changes (sheets, columns, notes): every stored file is then rebuilt
FORMAT_VERSION = "2"
SPOOL_BYTES = 16 * 1024 * 1024


def export_fingerprint(years: Iterable[int], statuses: Iterable[str]) -> str:
    """The digest of everything an export of ``years`` counting ``statuses`` is built from (see the module)."""
    years, statuses = sorted(set(years)), sorted(set(statuses))
    latest = select(func.max(ReportSnapshot.id)).where(ReportSnapshot.year.in_(years)) \
        .group_by(ReportSnapshot.year).scalar_subquery()
    snapshots = db.session.execute(
        select(ReportSnapshot.year, ReportSnapshot.id, ReportSnapshot.compiled_at, ReportSnapshot.inputs_fingerprint)
        .where(ReportSnapshot.id.in_(latest)).order_by(ReportSnapshot.year)).all()
    returns = db.session.execute(
        select(AnnualReturn.year, AnnualReturn.id, AnnualReturn.version, AnnualReturn.status,
               AnnualReturn.municipality_id)
        .where(AnnualReturn.year.in_(years), AnnualReturn.status.in_(statuses))
        .order_by(AnnualReturn.year, AnnualReturn.id)).all()
    municipalities = db.session.execute(
        select(Municipality.id, Municipality.slug, Municipality.name_lv, Municipality.name_en, Municipality.region_id)
        .order_by(Municipality.id)).all()
    regions = db.session.execute(
        select(PlanningRegion.id, PlanningRegion.slug, PlanningRegion.name_lv, PlanningRegion.name_en)
        .order_by(PlanningRegion.id)).all()
    inputs = {
        "format": FORMAT_VERSION, "years": years, "statuses": statuses,
        "definitions": [_definition_version(y) for y in years],
        "snapshots": [[y, i, at.isoformat(), f] for y, i, at, f in snapshots],
        "returns": [list(r) for r in returns], "municipalities": [list(m) for m in municipalities],
        "regions": [list(r) for r in regions],
    }
    return hashlib.sha256(json.dumps(inputs, ensure_ascii=False).encode("utf-8")).hexdigest()


def _definition_version(year: int) -> str | None:
    try:
        return get_definition(year).version
    except KeyError:
        return None


def current_file(export: ExportRequest, fingerprint: str | None = None) -> ExportFile | None:
    """The stored file of ``export`` built from today's inputs, if there is one (its content is not loaded)."""
    if fingerprint is None:
        fingerprint = export_fingerprint(export_years(export.first, export.last), export.statuses)
    return db.session.scalar(select(ExportFile).where(ExportFile.variant == export.variant(),
                                                      ExportFile.fingerprint == fingerprint))


def build_file(export: ExportRequest, *, trigger: str, progress: Progress | None = None) -> ExportFile:
    """The current stored file of ``export``: the one there is, or a new one built and stored now (flushed). Older
    files of the same variant are deleted: they are out of date and would never be served again.

    ``progress`` is called as the years are read (the caller may commit there: the file's fingerprint is taken
    first, so a change made while it is built makes the file look older than it is, never newer)."""
    years = export_years(export.first, export.last)
    fingerprint = export_fingerprint(years, export.statuses)
    found = current_file(export, fingerprint)
    if found is not None:
        return found
    started = time.perf_counter()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as out:
        counts = write_export(export, out, progress)
        out.seek(0)
        content = out.read()
    variant = export.variant()
    db.session.execute(delete(ExportFile).where(ExportFile.variant == variant,
                                                ExportFile.fingerprint != fingerprint))
    stored = ExportFile(
        variant=variant, first_year=export.first, last_year=export.last, format=export.format,
        fingerprint=fingerprint, content=content, sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        rows=dict(counts), data_rows=data_rows(counts), trigger=trigger, built_at=utcnow(),
        build_ms=round((time.perf_counter() - started) * 1000))
    db.session.add(stored)
    db.session.flush()
    return stored


def year_variants(year: int) -> list[ExportRequest]:
    """Every download the page offers for one year: Excel or CSV, codes or labels, Latvian or English."""
    return [ExportRequest(year, year, fmt, labels, locale, EXPORT_STATUSES)
            for fmt in ("xlsx", "csv") for labels in (False, True) for locale in ("lv", "en")]


def store_year_files(year: int) -> list[ExportFile]:
    """Build and store every variant of ``year`` that has no current file (nothing when all are current); returns
    the files built."""
    fingerprint = export_fingerprint([year], EXPORT_STATUSES)
    built = []
    for export in year_variants(year):
        if current_file(export, fingerprint) is None:
            built.append(build_file(export, trigger="compile"))
    return built


def store_year_files_safely(year: int, failed: dict[str, Any]) -> int:
    """``store_year_files`` for the scheduler, in a savepoint of its own: a failure is logged and recorded in
    ``failed`` (by year) and never loses what the job did before. Off (``EXPORT_FILES_ON_COMPILE``): nothing is
    built, and every download is built on request. Returns the number of files built."""
    if not current_app.config.get("EXPORT_FILES_ON_COMPILE", True):
        return 0
    savepoint = db.session.begin_nested()
    try:
        built = len(store_year_files(year))
        savepoint.commit()
        return built
    except Exception as exc:  # noqa: BLE001 - the downloads of this year are then built on request
        savepoint.rollback()
        log.exception("the export files of %s could not be built", year)
        failed[str(year)] = f"{type(exc).__name__}: {exc}"[:500]
        return 0
