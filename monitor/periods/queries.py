"""Reads of reporting periods (no writes, no commit)."""

from __future__ import annotations

import datetime as dt

from flask import abort
from sqlalchemy import select

from ..extensions import db
from .models import ReportingPeriod


def period_or_404(year: int) -> ReportingPeriod:
    period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year))
    if period is None:
        abort(404)
    return period


def periods() -> list[ReportingPeriod]:
    return list(db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.year.desc())))


def current_period(today: dt.date | None = None) -> ReportingPeriod | None:
    """The newest reporting year that is open for entry today."""
    from ..clock import riga_today  # looked up at call time: a test may set the clock

    today = today or riga_today()
    return db.session.scalar(
        select(ReportingPeriod).where(ReportingPeriod.opens_on <= today).order_by(ReportingPeriod.year.desc())
    )
