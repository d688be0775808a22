"""Effective deadlines: the period's deadline, unless the municipality was granted an extension for that period.

Read-only helpers (no writes, no commit); deadlines are Latvian calendar days (a return is on time on the day itself).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..extensions import db
from ..returns.models import DeadlineExtension, ReportingPeriod


def effective_deadline(period: ReportingPeriod, municipality_id: int) -> dt.date:
    """The deadline that applies to ``municipality_id`` in ``period``: its extension's date if it has one (an
    extension replaces the period deadline, whether it is later or, exceptionally, earlier), else the period's."""
    extended = db.session.scalar(
        select(DeadlineExtension.deadline).where(
            DeadlineExtension.period_id == period.id, DeadlineExtension.municipality_id == municipality_id
        )
    )
    return extended or period.deadline


def extended_deadlines(period: ReportingPeriod) -> dict[int, dt.date]:
    """``{municipality_id: deadline}`` of every extension in ``period`` (one query, for jobs over all
    municipalities); a municipality not in the mapping has the period's deadline."""
    rows = db.session.execute(
        select(DeadlineExtension.municipality_id, DeadlineExtension.deadline).where(
            DeadlineExtension.period_id == period.id
        )
    )
    return {municipality_id: deadline for municipality_id, deadline in rows}
