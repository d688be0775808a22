"""Effective deadlines: the period's deadline, unless the municipality was granted an extension for that period.

Read-only helpers (no writes, no commit); deadlines are Latvian calendar days (``monitor.clock``).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from ..extensions import db
from .models import DeadlineExtension, ReportingPeriod


def effective_deadline(period: ReportingPeriod, municipality_id: int) -> dt.date:
    """The deadline that applies to ``municipality_id`` in ``period``: the later of its extension (if any) and the
    period's deadline — moving the general deadline later must not leave an extended municipality behind."""
    extended = db.session.scalar(
        select(DeadlineExtension.deadline).where(
            DeadlineExtension.period_id == period.id, DeadlineExtension.municipality_id == municipality_id
        )
    )
    return max(extended, period.deadline) if extended else period.deadline


def extended_deadlines(period: ReportingPeriod) -> dict[int, dt.date]:
    """``{municipality_id: effective deadline}`` for every municipality with an extension in ``period`` (one
    query, for jobs over all municipalities); a municipality not in the mapping has the period's deadline."""
    rows = db.session.execute(
        select(DeadlineExtension.municipality_id, DeadlineExtension.deadline).where(
            DeadlineExtension.period_id == period.id
        )
    )
    return {municipality_id: max(deadline, period.deadline) for municipality_id, deadline in rows}


def deadline_for(period: ReportingPeriod, extensions: dict[int, dt.date], municipality_id: int) -> dt.date:
    """The effective deadline from a preloaded :func:`extended_deadlines` mapping."""
    return extensions.get(municipality_id, period.deadline)
