"""Reads for the review desk and the review page (always scoped through ``visible_municipalities``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo
from typing import Any

from sqlalchemy import func, select

from ..audit.models import AuditEvent
from ..auth.models import User
from ..extensions import db
from ..registry.models import Municipality, PlanningRegion
from ..returns.models import AnnualReturn, ChangeLog, ReportingPeriod, ReviewComment, WarningNote
from ..returns.queries import visible_municipalities
from .deadlines import effective_deadline

SUBMIT_ACTIONS = ("return_submitted", "return_resubmitted")
RIGA = ZoneInfo("Europe/Riga")


@dataclass
class DeskRow:
    municipality: Municipality
    ret: AnnualReturn | None
    deadline: dt.date
    days_late: int  # > 0: first submitted (or still not submitted) that many days after the deadline
    explained_warnings: int
    open_comments: int  # comments of the latest round without an answer


def desk_rows(user: User, period: ReportingPeriod, today: dt.date, region_slug: str | None = None) -> list[DeskRow]:
    query = visible_municipalities(user).join(PlanningRegion)
    if region_slug:
        query = query.where(PlanningRegion.slug == region_slug)
    municipalities = db.session.scalars(query.order_by(PlanningRegion.id, Municipality.name_lv)).all()
    ids = [m.id for m in municipalities]
    returns = {r.municipality_id: r for r in db.session.scalars(
        select(AnnualReturn).where(AnnualReturn.year == period.year, AnnualReturn.municipality_id.in_(ids)))}
    return_ids = [r.id for r in returns.values()]
    notes = dict(db.session.execute(
        select(WarningNote.return_id, func.count()).where(WarningNote.return_id.in_(return_ids))
        .group_by(WarningNote.return_id)).all())
    rounds = {r.id: r.submission_count for r in returns.values()}
    open_comments: dict[int, int] = {}
    for return_id, round_ in db.session.execute(select(ReviewComment.return_id, ReviewComment.submission_round)
                                                .where(ReviewComment.return_id.in_(return_ids),
                                                       ReviewComment.reply.is_(None))):
        if round_ == rounds[return_id]:
            open_comments[return_id] = open_comments.get(return_id, 0) + 1
    rows = []
    for m in municipalities:
        ret = returns.get(m.id)
        deadline = effective_deadline(period, m.id)
        # deadlines are Latvian calendar days: judge the submission by its date in Riga
        submitted_on = ret.first_submitted_at.astimezone(RIGA).date() if ret and ret.first_submitted_at else None
        late = ((submitted_on or today) - deadline).days
        rows.append(DeskRow(m, ret, deadline, max(late, 0), notes.get(ret.id, 0) if ret else 0,
                            open_comments.get(ret.id, 0) if ret else 0))
    return rows


def comments_of(ret: AnnualReturn) -> list[tuple[ReviewComment, str, str | None]]:
    """All comments of a return with the author's and the replier's names, oldest first."""
    author = User.__table__.alias("author")
    replier = User.__table__.alias("replier")
    rows = db.session.execute(
        select(ReviewComment, author.c.name, replier.c.name)
        .outerjoin(author, author.c.id == ReviewComment.author_id)
        .outerjoin(replier, replier.c.id == ReviewComment.reply_by_id)
        .where(ReviewComment.return_id == ret.id).order_by(ReviewComment.id)
    ).all()
    return [(c, a or "—", r) for c, a, r in rows]


def comments_for(ret: AnnualReturn, user: User) -> list[tuple[ReviewComment, str, str | None]]:
    """The comments ``user`` may see: the municipality sees a round's comments only once the return has been
    sent back (while the reviewer is still writing them they are drafts)."""
    comments = comments_of(ret)
    if user.role in ("admin", "reviewer") or ret.status not in ("submitted", "resubmitted"):
        return comments
    return [c for c in comments if c[0].submission_round != ret.submission_count]


def submission_versions(ret: AnnualReturn) -> list[int]:
    """The return's version at each of its submissions, oldest first."""
    details = db.session.scalars(select(AuditEvent.detail).where(
        AuditEvent.return_id == ret.id, AuditEvent.action.in_(SUBMIT_ACTIONS)).order_by(AuditEvent.id))
    return [int(d["version"]) for d in details if isinstance(d, dict) and "version" in d]


def changes_between(ret: AnnualReturn, after_version: int, up_to_version: int) -> list[ChangeLog]:
    return list(db.session.scalars(select(ChangeLog).where(
        ChangeLog.return_id == ret.id, ChangeLog.version > after_version, ChangeLog.version <= up_to_version,
    ).order_by(ChangeLog.id)))


def last_decision(ret: AnnualReturn) -> Any:
    """The latest review decision (returned, approved, reopened) with its reason and who took it."""
    return db.session.execute(
        select(AuditEvent, User.name).outerjoin(User, User.id == AuditEvent.actor_id).where(
            AuditEvent.return_id == ret.id,
            AuditEvent.action.in_(("return_returned", "return_approved", "return_reopened")),
        ).order_by(AuditEvent.id.desc()).limit(1)
    ).first()
