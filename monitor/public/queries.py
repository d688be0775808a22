"""What public pages (and, later, the search and the open-data API) read: the published tables and the
registry — never ``AnnualReturn`` or answers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..periods.models import ReportingPeriod
from ..registry.models import Municipality, PlanningRegion
from .extract import PublicView
from .models import PublishedProfile


def municipality_by_slug(slug: str) -> Municipality | None:
    return db.session.scalar(select(Municipality).options(selectinload(Municipality.region))
                             .where(Municipality.slug == slug))


def latest_profile(municipality_id: int) -> PublishedProfile | None:
    """The municipality's newest published year (its measures "in force"), or None: nothing approved yet."""
    return db.session.scalar(select(PublishedProfile).where(
        PublishedProfile.municipality_id == municipality_id, PublishedProfile.is_latest.is_(True)))


def profile_view(profile: PublishedProfile) -> PublicView:
    return PublicView.from_json(profile.content)


def current_reporting_year(today: dt.date) -> int | None:
    """The newest reporting year open for entry today (the year a current return would be about)."""
    return db.session.scalar(select(ReportingPeriod.year).where(ReportingPeriod.opens_on <= today)
                             .order_by(ReportingPeriod.year.desc()).limit(1))


def is_out_of_date(year: int, current_year: int | None) -> bool:
    """"May be out of date": the newest approved year is older than the previous reporting year."""
    return current_year is not None and year < current_year - 1


@dataclass(frozen=True)
class IndexEntry:
    municipality: Municipality
    year: int | None  # the newest published year, None: nothing approved
    approved_at: dt.datetime | None


def index_by_region() -> list[tuple[PlanningRegion, list[IndexEntry]]]:
    """All planning regions with their municipalities (by name) and each one's newest published year."""
    latest = {row.municipality_id: row for row in db.session.execute(
        select(PublishedProfile.municipality_id, PublishedProfile.year, PublishedProfile.approved_at)
        .where(PublishedProfile.is_latest.is_(True)))}
    regions = db.session.scalars(select(PlanningRegion).order_by(PlanningRegion.id)).all()
    municipalities = db.session.scalars(select(Municipality).order_by(Municipality.name_lv)).all()
    out = []
    for region in regions:
        entries = []
        for m in municipalities:
            if m.region_id == region.id:
                found = latest.get(m.id)
                entries.append(IndexEntry(m, found.year if found else None, found.approved_at if found else None))
        out.append((region, entries))
    return out


@dataclass(frozen=True)
class PublishedVersion:
    """What changes whenever any published copy does (a new approval, a re-approval, a rebuild, a deletion): the
    number of copies, the newest write and the largest id. Cheap (one aggregate over ≤ 43 × years rows): the
    search page and the open-data API derive their ETag and Last-Modified from it before doing any work."""

    count: int
    last_published_at: dt.datetime | None
    max_id: int | None

    def tag(self) -> str:
        stamp = self.last_published_at.isoformat() if self.last_published_at else "-"
        return f"{self.count}:{stamp}:{self.max_id}"


def published_version() -> PublishedVersion:
    row = db.session.execute(select(func.count(PublishedProfile.id), func.max(PublishedProfile.published_at),
                                    func.max(PublishedProfile.id))).one()
    return PublishedVersion(row[0] or 0, row[1], row[2])


@dataclass(frozen=True)
class Place:
    slug: str
    name_lv: str
    name_en: str

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_lv


def regions_with_municipalities() -> list[tuple[Place, list[Place]]]:
    """Planning regions in registry order, each with its municipalities by Latvian name (the search's filters;
    plain rows, not ORM objects: every search page reads them)."""
    regions = db.session.execute(select(PlanningRegion.id, PlanningRegion.slug, PlanningRegion.name_lv,
                                        PlanningRegion.name_en).order_by(PlanningRegion.id)).all()
    municipalities = db.session.execute(select(Municipality.region_id, Municipality.slug, Municipality.name_lv,
                                               Municipality.name_en).order_by(Municipality.name_lv)).all()
    return [(Place(r.slug, r.name_lv, r.name_en),
             [Place(m.slug, m.name_lv, m.name_en) for m in municipalities if m.region_id == r.id]) for r in regions]
