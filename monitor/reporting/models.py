"""Versioned reference data (2017 BISS, 2022 survey) and stored report snapshots."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..caching import ReadCache
from ..models_base import JSONType, Model, UTCDateTime, utcnow


class ReferenceDataset(Model):
    """One version of a reference dataset; a corrected figure makes a new version, the old one stays readable."""

    __tablename__ = "reference_dataset"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40))  # biss_2017 | survey_2022
    version: Mapped[str] = mapped_column(String(32))  # digest of the figures: same figures, same version
    source: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)

    figures: Mapped[list["ReferenceFigureRow"]] = relationship(
        cascade="all, delete-orphan", back_populates="dataset", order_by="ReferenceFigureRow.id")


class ReferenceFigureRow(Model):
    __tablename__ = "reference_figure"

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("reference_dataset.id", ondelete="CASCADE"), index=True)
    indicator_key: Mapped[str] = mapped_column(String(160), index=True)
    question_key: Mapped[str | None] = mapped_column(String(80))
    scope: Mapped[str] = mapped_column(String(40))  # national or a planning-region slug
    value: Mapped[Any | None] = mapped_column(Numeric(18, 4))  # None: described only in words
    unit: Mapped[str] = mapped_column(String(40))
    base_n: Mapped[int | None] = mapped_column(Integer)
    source_line: Mapped[int | None] = mapped_column(Integer)
    source_line_end: Mapped[int | None] = mapped_column(Integer)
    exact: Mapped[bool] = mapped_column(Boolean, default=True)
    qualifier: Mapped[str | None] = mapped_column(String(40))  # lt, gt, approx, range:…: a bound is never subtracted
    counterpart: Mapped[str | None] = mapped_column(Text)  # the 2022 counterpart as the study states it
    note: Mapped[str] = mapped_column(Text, default="")
    note_lv: Mapped[str] = mapped_column(Text, default="", server_default="")  # the note in Latvian

    dataset: Mapped[ReferenceDataset] = relationship(back_populates="figures")


#: decoded payloads are large (≈1 MB of JSON for 43 municipalities): a few per process; summaries are small
PAYLOADS = ReadCache(8)
SUMMARIES = ReadCache(256)


class ReportSnapshot(Model):
    """A compiled report as it was: the same inputs give the same payload; old snapshots stay readable."""

    __tablename__ = "report_snapshot"
    __table_args__ = (Index("ix_report_snapshot_year_fingerprint", "year", "inputs_fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    compiled_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    definition_version: Mapped[str] = mapped_column(String(20))
    reference_version: Mapped[str] = mapped_column(String(80))  # e.g. "biss_2017:ab12…;survey_2022:cd34…"
    inputs_fingerprint: Mapped[str] = mapped_column(String(64))
    statuses: Mapped[str] = mapped_column(String(80))  # which return states were counted, e.g. "approved"
    trigger: Mapped[str] = mapped_column(String(20), default="cli")  # cli | web | scheduler
    compiled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # the whole report; deferred, so listing snapshots reads their metadata only (read it as ``payload``)
    stored_payload: Mapped[dict[str, Any]] = deferred(mapped_column("payload", JSONType, nullable=False))
    # ``reports.summary.summarise(payload)``: what pages spanning years read (``None`` only for rows written before
    # migration 0006 filled it in; read it as ``summary``)
    stored_summary: Mapped[dict[str, Any] | None] = deferred(mapped_column("summary", JSONType, nullable=True))

    documents: Mapped[list["ReportDocument"]] = relationship(
        cascade="all, delete-orphan", back_populates="snapshot", order_by="ReportDocument.locale")

    def _cache_key(self) -> tuple[Any, ...] | None:
        if self.id is None or self.compiled_at is None:
            return None
        return (self.id, self.compiled_at.isoformat(), self.inputs_fingerprint)

    @property
    def payload(self) -> dict[str, Any]:
        """The compiled report (decoded once per process and shared: read it, never change it)."""
        key = self._cache_key()
        return self.stored_payload if key is None else PAYLOADS.get(key, lambda: self.stored_payload)

    @payload.setter
    def payload(self, value: dict[str, Any]) -> None:
        PAYLOADS.discard(self._cache_key())
        self.stored_payload = value

    @property
    def summary(self) -> dict[str, Any] | None:
        key = self._cache_key()
        return self.stored_summary if key is None else SUMMARIES.get(key, lambda: self.stored_summary)

    @summary.setter
    def summary(self, value: dict[str, Any] | None) -> None:
        SUMMARIES.discard(self._cache_key())
        self.stored_summary = value


class ReportDocument(Model):
    """The yearly comparative report of one snapshot as a PDF in one language, built once and stored beside it."""

    __tablename__ = "report_document"
    __table_args__ = (UniqueConstraint("snapshot_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("report_snapshot.id", ondelete="CASCADE"), index=True)
    locale: Mapped[str] = mapped_column(String(5))  # lv | en
    content: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    built_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    build_ms: Mapped[int | None] = mapped_column(Integer)

    snapshot: Mapped[ReportSnapshot] = relationship(back_populates="documents")


class CompileRequest(Model):
    """A "compile now" request (a click, or an import of past years): the scheduler picks it up within seconds and
    reports progress here."""

    __tablename__ = "compile_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    requested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending|running|done|failed
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    snapshot_id: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
