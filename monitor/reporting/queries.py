"""The glue between the database and the pure ``reports`` package: returns → ``UnitRecord``s, reference rows →
``ReferenceFigure``s, and the snapshots."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from forms import get_definition, validate
from reports.records import UnitRecord
from reports.reference import ReferenceFigure
from reports.summary import summarise

from ..extensions import db
from ..registry.models import Municipality, PlanningRegion
from ..returns.models import AnnualReturn
from ..returns.storage import load_answers_bulk
from .models import ReferenceDataset, ReferenceFigureRow, ReportSnapshot


def unit_records(year: int, problems: list[dict[str, str]] | None = None) -> list[UnitRecord]:
    """Every return of ``year`` (any state: the report decides which states count), with its typed answers.

    A return whose stored answers no longer pass validation (e.g. after a definition change) is left out, so one
    broken return cannot stop a compilation; when ``problems`` is given, each one left out is reported there.
    """
    try:
        definition = get_definition(year)
    except KeyError:
        return []  # a year without a definition in this codebase has no returns to read
    rows = db.session.execute(
        select(AnnualReturn, Municipality.slug, PlanningRegion.slug)
        .join(Municipality, Municipality.id == AnnualReturn.municipality_id)
        .join(PlanningRegion, PlanningRegion.id == Municipality.region_id)
        .where(AnnualReturn.year == year).order_by(Municipality.slug)
    ).all()
    answers = load_answers_bulk([r for r, _m, _g in rows], definition)
    records = []
    for ret, slug, region in rows:
        broken = [i for i in validate(definition, answers[ret.id]).issues if i.blocks_draft]
        if broken:
            if problems is not None:
                problems.append({"municipality": slug, "year": str(year), "problem": broken[0].en})
            continue
        records.append(UnitRecord(unit=slug, region=region, year=year, values=answers[ret.id], status=ret.status))
    return records


def expected_units() -> dict[str, str]:
    """Every municipality of the registry (slug → planning-region slug): the units a report's coverage expects a
    return from (43 since the 2021 reform)."""
    rows = db.session.execute(select(Municipality.slug, PlanningRegion.slug)
                              .join(PlanningRegion, PlanningRegion.id == Municipality.region_id)
                              .order_by(Municipality.slug)).all()
    return {slug: region for slug, region in rows}


def place_names(locale: str = "lv") -> dict[str, str]:
    """Municipality and planning-region names by slug in ``locale`` (reports and tables carry slugs)."""
    names = {m.slug: m.name(locale) for m in db.session.scalars(select(Municipality))}
    names.update({r.slug: r.name(locale) for r in db.session.scalars(select(PlanningRegion))})
    return names


def region_names(locale: str = "lv") -> dict[str, str]:
    return {r.slug: r.name(locale) for r in db.session.scalars(select(PlanningRegion).order_by(PlanningRegion.id))}


def current_reference() -> tuple[list[ReferenceFigure], str]:
    """The current version of every reference dataset as figures, and a version label like
    ``biss_2017:1a2b…;survey_2022:3c4d…`` (empty when no reference data is loaded)."""
    datasets = db.session.scalars(
        select(ReferenceDataset).where(ReferenceDataset.is_current.is_(True)).order_by(ReferenceDataset.key)
    ).all()
    figures: list[ReferenceFigure] = []
    for dataset in datasets:
        for row in db.session.scalars(select(ReferenceFigureRow).where(ReferenceFigureRow.dataset_id == dataset.id)
                                      .order_by(ReferenceFigureRow.id)):
            figures.append(ReferenceFigure(
                dataset=dataset.key, indicator_key=row.indicator_key, question_key=row.question_key,
                scope=row.scope, value=float(row.value) if row.value is not None else None, unit=row.unit,
                base_n=row.base_n, source_line=row.source_line, exact=row.exact, note=row.note,
                qualifier=row.qualifier, source_line_end=row.source_line_end, counterpart=row.counterpart,
                note_lv=row.note_lv or "",
            ))
    return figures, ";".join(f"{d.key}:{d.version}" for d in datasets)


def latest_snapshot(year: int) -> ReportSnapshot | None:
    return db.session.scalar(select(ReportSnapshot).where(ReportSnapshot.year == year)
                             .order_by(ReportSnapshot.id.desc()).limit(1))


def snapshots(year: int | None = None, limit: int = 50) -> list[ReportSnapshot]:
    query = select(ReportSnapshot).order_by(ReportSnapshot.id.desc()).limit(limit)
    if year is not None:
        query = query.where(ReportSnapshot.year == year)
    return list(db.session.scalars(query))


def latest_summaries() -> dict[int, tuple[ReportSnapshot, dict[str, Any]]]:
    """Per year with a snapshot: its latest compilation and that compilation's summary (``reports.summary``), read
    without any payload — except for a snapshot stored without a summary, whose payload is summarised here."""
    latest_ids = select(ReportSnapshot.year, db.func.max(ReportSnapshot.id).label("id")) \
        .group_by(ReportSnapshot.year).subquery()
    rows = db.session.scalars(select(ReportSnapshot).join(latest_ids, latest_ids.c.id == ReportSnapshot.id)
                              .order_by(ReportSnapshot.year)).all()
    return {s.year: (s, s.summary if s.summary is not None else summarise(s.payload)) for s in rows}
