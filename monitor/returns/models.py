"""Yearly returns, their typed answers, repeating-group rows and change history."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger, Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint, false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import JSONType, Model, UTCDateTime, utcnow
from ..registry.models import Municipality


class ReturnStatus(StrEnum):
    """The workflow of a return (no row at all means "not started"); transitions: ``monitor.returns.workflow``."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"  # sent back for correction by the reviewer (or reopened by an admin)
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"


EDITABLE_STATES = frozenset({ReturnStatus.DRAFT, ReturnStatus.RETURNED})


class AnnualReturn(Model):
    __tablename__ = "annual_return"
    __table_args__ = (UniqueConstraint("municipality_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(20), default=ReturnStatus.DRAFT)
    # bumped by every save; a save based on an older version is checked for conflicts
    version: Mapped[int] = mapped_column(Integer, default=1)
    definition_version: Mapped[str] = mapped_column(String(20))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    #: how the return came in: "form" (filled in through the service, on the web or with its Excel template) or
    #: "import" (a past year's answers loaded by an administrator from a bulk workbook; only those are overwritten
    #: by a later bulk import)
    origin: Mapped[str] = mapped_column(String(10), default="form", server_default="form")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # the latest (re)submission
    first_submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    submission_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    submitted_version: Mapped[int | None] = mapped_column(Integer)  # version at the latest submission
    is_late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())  # first submission late
    returned_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    approved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    municipality: Mapped[Municipality] = relationship()

    @property
    def is_editable(self) -> bool:
        """Only drafts and returns sent back for correction can be changed; approved returns are locked."""
        return self.status in EDITABLE_STATES

    @property
    def is_submitted(self) -> bool:
        return self.status in (ReturnStatus.SUBMITTED, ReturnStatus.RESUBMITTED, ReturnStatus.APPROVED)


class _TypedValue:
    """One typed answer; exactly one value column is used, by the field's type."""

    int_value: Mapped[int | None] = mapped_column(BigInteger)
    num_value: Mapped[Any | None] = mapped_column(Numeric(18, 4))
    text_value: Mapped[str | None] = mapped_column(Text)
    code_value: Mapped[str | None] = mapped_column(String(64), index=True)
    codes: Mapped[list[str] | None] = mapped_column(JSONType)
    date_value: Mapped[dt.date | None] = mapped_column(Date)
    is_dont_know: Mapped[bool] = mapped_column(Boolean, default=False)


class Answer(_TypedValue, Model):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("return_id", "field_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("annual_return.id", ondelete="CASCADE"), index=True)
    field_key: Mapped[str] = mapped_column(String(80), index=True)


class GroupRow(Model):
    """One row of a repeating group (a grant programme, an activity, a contact person)."""

    __tablename__ = "group_row"
    __table_args__ = (UniqueConstraint("return_id", "group_key", "uid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("annual_return.id", ondelete="CASCADE"), index=True)
    group_key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    uid: Mapped[str] = mapped_column(String(32))  # stable across saves and years ("start from last year")

    answers: Mapped[list["GroupAnswer"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, back_populates="row"
    )


class GroupAnswer(_TypedValue, Model):
    __tablename__ = "group_answer"
    __table_args__ = (UniqueConstraint("row_id", "field_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("group_row.id", ondelete="CASCADE"), index=True)
    field_key: Mapped[str] = mapped_column(String(80), index=True)

    row: Mapped[GroupRow] = relationship(back_populates="answers")


class ChangeLog(Model):
    """Every changed answer: who, when, old value, new value (canonical JSON text)."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("annual_return.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)  # the return version this change created
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    field_path: Mapped[str] = mapped_column(String(200))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="web")  # web | copy | import | demo


class WarningNote(Model):
    """The municipality's explanation of a validation warning (shown to the reviewer)."""

    __tablename__ = "warning_note"
    __table_args__ = (UniqueConstraint("return_id", "path", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("annual_return.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(String(200))
    code: Mapped[str] = mapped_column(String(80))
    comment: Mapped[str] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReviewComment(Model):
    """A reviewer's comment on a field, a section or the whole return, and the municipality's answer."""

    __tablename__ = "review_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("annual_return.id", ondelete="CASCADE"), index=True)
    section_key: Mapped[str | None] = mapped_column(String(80))  # None: about the whole return
    field_path: Mapped[str | None] = mapped_column(String(200))  # None: about the whole section
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submission_round: Mapped[int] = mapped_column(Integer)  # the submission it was written about
    # set when the return is sent back: until then the comment is the reviewer's draft, unseen by the municipality
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    reply: Mapped[str | None] = mapped_column(Text)
    reply_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    replied_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
