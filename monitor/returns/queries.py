"""Every read of returns goes through these scoping helpers: a user sees only what their role allows.

A municipality, or a return, that the user may not see answers 404 (not 403), so that existence does not leak.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort
from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload

from ..auth.models import Role, User
from ..extensions import db
from ..paging import Page, page_of
from ..registry.models import Municipality, PlanningRegion
from .models import AnnualReturn, ChangeLog, ReportingPeriod


def visible_municipalities(user: User) -> Select[tuple[Municipality]]:
    """Municipalities whose individual returns ``user`` may read."""
    query = select(Municipality).options(joinedload(Municipality.region))
    if user.role == Role.ADMIN:
        return query
    if user.role == Role.REVIEWER:
        return query.where(Municipality.region_id == user.region_id)
    if user.role == Role.EDITOR:
        return query.where(Municipality.id == user.municipality_id)
    return query.where(Municipality.id.is_(None))  # researchers: aggregated data only


def municipality_or_404(user: User, slug: str) -> Municipality:
    municipality = db.session.scalar(visible_municipalities(user).where(Municipality.slug == slug))
    if municipality is None:
        abort(404)
    return municipality


def may_edit(user: User, municipality: Municipality) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.EDITOR and user.municipality_id == municipality.id)


def period_or_404(year: int) -> ReportingPeriod:
    period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year))
    if period is None:
        abort(404)
    return period


def periods() -> list[ReportingPeriod]:
    return list(db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.year.desc())))


def current_period(today: dt.date | None = None) -> ReportingPeriod | None:
    """The newest reporting year that is open for entry today."""
    from ..review.deadlines import riga_today

    today = today or riga_today()
    return db.session.scalar(
        select(ReportingPeriod).where(ReportingPeriod.opens_on <= today).order_by(ReportingPeriod.year.desc())
    )


def find_return(municipality: Municipality, year: int, *, for_update: bool = False) -> AnnualReturn | None:
    query = select(AnnualReturn).where(
        AnnualReturn.municipality_id == municipality.id, AnnualReturn.year == year
    )
    if for_update:
        query = query.with_for_update()
    return db.session.scalar(query)


def returns_table(user: User, year: int) -> list[tuple[Municipality, AnnualReturn | None]]:
    """The municipalities the user may see, each with its return for ``year`` (or None: not started)."""
    municipalities = db.session.scalars(
        visible_municipalities(user).join(PlanningRegion).order_by(PlanningRegion.id, Municipality.name_lv)
    ).all()
    returns = {
        r.municipality_id: r for r in db.session.scalars(
            select(AnnualReturn).where(
                AnnualReturn.year == year, AnnualReturn.municipality_id.in_([m.id for m in municipalities])
            )
        )
    }
    return [(m, returns.get(m.id)) for m in municipalities]


def changes_since(ret: AnnualReturn, version: int) -> list[ChangeLog]:
    return list(db.session.scalars(
        select(ChangeLog).where(ChangeLog.return_id == ret.id, ChangeLog.version > version)
        .order_by(ChangeLog.id)
    ))


HISTORY_PER_PAGE = 50


def _history(ret: AnnualReturn) -> Select[Any]:
    """Every change of the return's answers with the name of who made it, newest first."""
    return (select(ChangeLog, User.name).outerjoin(User, User.id == ChangeLog.user_id)
            .where(ChangeLog.return_id == ret.id).order_by(ChangeLog.id.desc()))


def history(ret: AnnualReturn, limit: int) -> list[Any]:
    """The latest ``limit`` changes (the overview's "latest changes")."""
    return list(db.session.execute(_history(ret).limit(limit)))


def history_page(ret: AnnualReturn, number: int) -> Page:
    """Page ``number`` of the history of changes (``HISTORY_PER_PAGE`` changes a page, newest first)."""
    count = select(func.count()).select_from(ChangeLog).where(ChangeLog.return_id == ret.id)
    return page_of(_history(ret), count, number, HISTORY_PER_PAGE)
