"""Stored research exports (the benchmark workbook and the CSV zip) and the requests to build one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..models_base import JSONType, Model, UTCDateTime, utcnow


class ExportFile(Model):
    """One research export, built once and stored: the scheduler builds every variant of a year when it compiles
    the year's report; a range of years (or a year without a current file) is built on request (``ExportBuild``).

    ``variant`` names what was asked for (years, format, codes or labels, language, counted states); ``fingerprint``
    the inputs it was built from (``monitor.excel.stored.export_fingerprint``). A file is served while its
    fingerprint is the current one; a newer file of the same variant replaces it."""

    __tablename__ = "export_file"
    __table_args__ = (UniqueConstraint("variant", "fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    variant: Mapped[str] = mapped_column(String(120), index=True)  # e.g. "2026-2026.xlsx.codes.lv.approved"
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    format: Mapped[str] = mapped_column(String(8))  # xlsx | csv
    fingerprint: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    rows: Mapped[dict[str, Any]] = mapped_column(JSONType)  # rows written per sheet (or CSV file), header excluded
    data_rows: Mapped[int] = mapped_column(Integer)  # rows of the Data sheet (data.csv): what a download audits
    trigger: Mapped[str] = mapped_column(String(20))  # compile | request | cli
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    build_ms: Mapped[int | None] = mapped_column(Integer)


class ExportBuild(Model):
    """A user's request for an export that is not stored yet: the scheduler builds it within seconds and records
    its progress here (years read of the years asked for); the user's page refreshes itself until it is ready."""

    __tablename__ = "export_build"

    id: Mapped[int] = mapped_column(primary_key=True)
    variant: Mapped[str] = mapped_column(String(120))
    choices: Mapped[dict[str, str]] = mapped_column(JSONType)  # the download page's choices (ExportRequest.args())
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|running|done|failed
    years_total: Mapped[int] = mapped_column(Integer, default=0)
    years_done: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    file_id: Mapped[int | None] = mapped_column(ForeignKey("export_file.id", ondelete="SET NULL"))
    error: Mapped[str | None] = mapped_column(Text)
