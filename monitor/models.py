"""Imports every model so that the metadata (and Alembic) sees all tables."""

from .audit.models import AuditEvent
from .auth.models import Role, User
from .mail.models import OutboxMessage
from .registry.models import Municipality, PlanningRegion
from .returns.models import (
    AnnualReturn, Answer, ChangeLog, DeadlineExtension, GroupAnswer, GroupRow, ReportingPeriod, ReviewComment,
    WarningNote,
)

__all__ = [
    "AnnualReturn", "Answer", "AuditEvent", "ChangeLog", "DeadlineExtension", "GroupAnswer", "GroupRow", "Municipality",
    "OutboxMessage", "PlanningRegion", "ReportingPeriod", "ReviewComment", "Role", "User", "WarningNote",
]
