"""Reporting years and deadline extensions (the tables ``reporting_period`` and ``deadline_extension``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..models_base import Model, UTCDateTime, utcnow


class ReportingPeriod(Model):
    """A reporting year: which definition it uses, when it opens, and its deadline."""

    __tablename__ = "reporting_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    definition_version: Mapped[str] = mapped_column(String(20))
    opens_on: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)


class DeadlineExtension(Model):
    """A later deadline for one municipality in one reporting year."""

    __tablename__ = "deadline_extension"
    __table_args__ = (UniqueConstraint("period_id", "municipality_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("reporting_period.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    deadline: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
