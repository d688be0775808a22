"""Deliver a change's e-mail right after the change is committed (the web layer's convenience)."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from .models import MailStatus, OutboxMessage


def send_queued_for(return_id: int) -> None:
    """Try once, now, to send the pending messages about a return. Must be called after the commit: a failure
    leaves them pending for the retry job (``flask mail send``) and never undoes the change."""
    from .operations import try_send_now

    pending = db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.return_id == return_id, OutboxMessage.status == MailStatus.PENDING)).all()
    if pending:
        try_send_now(list(pending))
