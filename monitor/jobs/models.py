"""What the scheduler process records: each job run, the leader lease, the daily completeness counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..models_base import JSONType, Model, UTCDateTime, utcnow


class JobRun(Model):
    """One run of a job, or one stretch of consecutive runs that found nothing to do (``outcome == "idle"``):
    ``run_count`` runs from ``started_at`` to ``last_started_at`` / ``finished_at`` (see ``monitor.jobs.runs``)."""

    __tablename__ = "job_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(60), index=True)
    holder: Mapped[str] = mapped_column(String(120))  # which scheduler process ran it
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    outcome: Mapped[str] = mapped_column(String(20), default="running")  # running | ok | idle | failed
    result: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    error: Mapped[str | None] = mapped_column(Text)
    run_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    last_started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # the latest run of the stretch


class SchedulerLease(Model):
    """One row per lease name: the process holding an unexpired lease is the only one that runs jobs."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120), default="")
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class CompletenessSnapshot(Model):
    """The daily completeness counts per reporting year (for trends: who was late when)."""

    __tablename__ = "completeness_snapshot"
    __table_args__ = (UniqueConstraint("day", "year"),)  # one per day and year: running the job twice adds nothing

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, index=True)
    year: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, Any]] = mapped_column(JSONType)
