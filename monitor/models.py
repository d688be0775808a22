"""Imports every model so that the metadata (and Alembic) sees all tables."""

from .audit.models import AuditEvent
from .auth.models import Role, User
from .registry.models import Municipality, PlanningRegion
from .returns.models import AnnualReturn, Answer, ChangeLog, GroupAnswer, GroupRow, ReportingPeriod, WarningNote

__all__ = [
    "AnnualReturn", "Answer", "AuditEvent", "ChangeLog", "GroupAnswer", "GroupRow", "Municipality",
    "PlanningRegion", "ReportingPeriod", "Role", "User", "WarningNote",
]
