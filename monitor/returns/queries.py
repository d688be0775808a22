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
from ..periods.models import ReportingPeriod
from ..periods.queries import current_period
from ..registry.models import Municipality, PlanningRegion
from .models import EDITABLE_STATES, AnnualReturn, ChangeLog, ReturnStatus


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


def default_period(user: User, today: dt.date | None = None) -> ReportingPeriod | None:
    """The reporting year a page opens on when the address names none (the year switch offers the others).

    A new reporting year opens empty every November while last year's returns are still being reviewed and
    corrected, so the year open for entry is not always where the work is:

    * a municipality editor opens on the oldest open year whose return waits for them (a draft, or one returned
      for correction), else on the year open for entry — the return they have to fill in;
    * everyone else (the review desk, the returns list, the completeness dashboard) opens on the newest open
      year in which a return they may see has reached review (submitted, returned, resubmitted or approved),
      else on the year open for entry.

    Years that have not opened yet are never chosen while one has; with no period at all: None.
    """
    from ..clock import riga_today  # looked up at call time: a test may set the clock

    today = today or riga_today()
    opened = select(ReportingPeriod.year).where(ReportingPeriod.opens_on <= today)
    if user.role == Role.EDITOR:
        year = db.session.scalar(
            select(AnnualReturn.year).where(
                AnnualReturn.municipality_id == user.municipality_id, AnnualReturn.status.in_(EDITABLE_STATES),
                AnnualReturn.year.in_(opened))
            .order_by(AnnualReturn.year).limit(1))
    else:
        visible = visible_municipalities(user).with_only_columns(Municipality.id)
        year = db.session.scalar(
            select(AnnualReturn.year).where(
                AnnualReturn.municipality_id.in_(visible), AnnualReturn.status != ReturnStatus.DRAFT,
                AnnualReturn.year.in_(opened))
            .order_by(AnnualReturn.year.desc()).limit(1))
    if year is not None:
        return db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year))
    return current_period(today) or db.session.scalar(
        select(ReportingPeriod).order_by(ReportingPeriod.year.desc()).limit(1))


def return_years(municipality: Municipality, today: dt.date | None = None) -> list[tuple[int, str | None]]:
    """The municipality's reporting years that have opened, newest first, each with its return's state (None:
    not started) — the year switch of a return's page."""
    from ..clock import riga_today  # looked up at call time: a test may set the clock

    today = today or riga_today()
    states = dict(db.session.execute(
        select(AnnualReturn.year, AnnualReturn.status).where(AnnualReturn.municipality_id == municipality.id)).all())
    years = db.session.scalars(
        select(ReportingPeriod.year).where(ReportingPeriod.opens_on <= today).order_by(ReportingPeriod.year.desc()))
    return [(year, states.get(year)) for year in years]


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
