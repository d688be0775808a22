"""Imports every model so that the metadata (and Alembic) sees all tables."""

from .audit.models import AuditEvent
from .auth.models import LoginThrottle, RecoveryCode, Role, User, UserSession
from .excel.models import ExportBuild, ExportFile
from .jobs.models import CompletenessSnapshot, JobRun, SchedulerLease
from .mail.models import OutboxMessage
from .periods.models import DeadlineExtension, ReportingPeriod
from .public.models import PublishedMeasure, PublishedProfile
from .registry.models import Municipality, PlanningRegion
from .reporting.models import CompileRequest, ReferenceDataset, ReferenceFigureRow, ReportSnapshot
from .returns.models import AnnualReturn, Answer, ChangeLog, GroupAnswer, GroupRow, ReviewComment, WarningNote

__all__ = [
    "CompileRequest", "CompletenessSnapshot", "ExportBuild", "ExportFile", "JobRun", "SchedulerLease",
    "AnnualReturn", "Answer", "AuditEvent", "ChangeLog", "DeadlineExtension", "GroupAnswer", "GroupRow", "LoginThrottle", "Municipality",
    "OutboxMessage", "PlanningRegion", "PublishedMeasure", "PublishedProfile", "RecoveryCode", "ReferenceDataset", "ReferenceFigureRow", "ReportSnapshot", "ReportingPeriod", "ReviewComment", "Role", "User", "UserSession", "WarningNote",
]
