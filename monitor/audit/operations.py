"""Writing to the audit log, always in the caller's transaction."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from .models import AuditEvent


def record_event(
    action: str,
    actor: Any | None,
    *,
    municipality_id: int | None = None,
    return_id: int | None = None,
    reason: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        municipality_id=municipality_id,
        return_id=return_id,
        reason=reason,
        detail=detail,
    )
    db.session.add(event)
    return event
