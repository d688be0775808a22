"""The outbox: every e-mail the service sends is first stored here, in the same transaction as the change that
caused it, so a failed or slow mail server never loses a message nor blocks the workflow."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..models_base import Model, UTCDateTime, utcnow


class MailStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (or to be retried)
    SENT = "sent"
    FAILED = "failed"  # gave up after the maximum number of attempts
    HELD = "held"  # no mail server configured (the demo): readable in the admin outbox


class OutboxMessage(Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)  # returned, approved, submitted, reminder_before…
    # the same message is never queued twice (e.g. one reminder per municipality, period and day offset)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(120))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("annual_return.id", ondelete="SET NULL"), index=True)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default=MailStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
