"""Reads for the review desk and the review page (always scoped through ``visible_municipalities``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from forms import get_definition, validate

from ..audit.models import AuditEvent
from ..auth.models import User
from ..clock import riga_date
from ..database import reading_request
from ..extensions import db
from ..periods.deadlines import deadline_for, extended_deadlines
from ..periods.models import ReportingPeriod
from ..registry.models import Municipality, PlanningRegion
from ..returns.models import AnnualReturn, ChangeLog, ReviewComment, WarningNote
from ..returns.queries import visible_municipalities
from ..returns.storage import CHECKS, answers_key, load_answers_bulk

SUBMIT_ACTIONS = ("return_submitted", "return_resubmitted")


@dataclass
class DeskRow:
    municipality: Municipality
    ret: AnnualReturn | None
    deadline: dt.date
    days_late: int  # > 0: first submitted (or still not submitted) that many days after the deadline
    #: the warnings of a submitted return's answers as they are now (None: never submitted, so not counted) …
    warnings: int | None
    #: … and those of them with no explanation from the municipality (explanations are written when submitting)
    unexplained_warnings: int | None
    open_comments: int  # comments sent to the municipality (latest round) that it has not answered


def desk_rows(user: User, period: ReportingPeriod, today: dt.date, region_slug: str | None = None) -> list[DeskRow]:
    """The review desk: one row per visible municipality (a fixed number of queries, whatever their count)."""
    query = visible_municipalities(user).join(PlanningRegion)
    if region_slug:
        query = query.where(PlanningRegion.slug == region_slug)
    municipalities = db.session.scalars(query.order_by(PlanningRegion.id, Municipality.name_lv)).all()
    ids = [m.id for m in municipalities]
    returns = {r.municipality_id: r for r in db.session.scalars(
        select(AnnualReturn).where(AnnualReturn.year == period.year, AnnualReturn.municipality_id.in_(ids)))}
    warnings = _warning_counts(period.year, list(returns.values()))
    open_comments = _open_comment_counts(list(returns.values()))
    extensions = extended_deadlines(period)
    rows = []
    for m in municipalities:
        ret = returns.get(m.id)
        deadline = deadline_for(period, extensions, m.id)
        submitted_on = riga_date(ret.first_submitted_at) if ret and ret.first_submitted_at else None
        late = ((submitted_on or today) - deadline).days
        total, unexplained = warnings.get(ret.id, (None, None)) if ret else (None, None)
        rows.append(DeskRow(m, ret, deadline, max(late, 0), total, unexplained,
                            open_comments.get(ret.id, 0) if ret else 0))
    return rows


def _warning_counts(year: int, returns: list[AnnualReturn]) -> dict[int, tuple[int, int]]:
    """``{return_id: (warnings, of them without the municipality's explanation)}`` for the returns submitted at
    least once (validated as they are now, against last year); a return never submitted has no entry.

    The submit-mode check of each return is the one the return's own pages cache under its version and last
    year's (``returns.storage.CHECKS``): the desk validates only returns changed since it was last shown."""
    submitted = [r for r in returns if r.first_submitted_at is not None]
    if not submitted:
        return {}
    definition = get_definition(year)
    previous_returns = {r.municipality_id: r for r in db.session.scalars(select(AnnualReturn).where(
        AnnualReturn.year == year - 1, AnnualReturn.municipality_id.in_([r.municipality_id for r in submitted])))}
    try:
        previous_definition = get_definition(year - 1)
    except KeyError:  # no definition for last year in this codebase
        previous_definition, previous_returns = None, {}
    keys = {}
    for ret in submitted:
        last = previous_returns.get(ret.municipality_id)
        own = answers_key(ret, definition)
        keys[ret.id] = (own, answers_key(last, previous_definition) if last else None) if own else None
    checked = {ret.id: CHECKS.peek(keys[ret.id]) if keys[ret.id] else None for ret in submitted}
    missing = [ret for ret in submitted if checked[ret.id] is None]
    if missing:
        answers = load_answers_bulk(missing, definition)
        lasts = [previous_returns[r.municipality_id] for r in missing if r.municipality_id in previous_returns]
        previous = load_answers_bulk(lasts, previous_definition) if lasts and previous_definition else {}
        for ret in missing:
            last = previous_returns.get(ret.municipality_id)
            checked[ret.id] = validate(definition, answers[ret.id], submit=True,
                                       previous=previous.get(last.id) if last else None)
            if keys[ret.id] and reading_request():
                CHECKS.get(keys[ret.id], lambda found=checked[ret.id]: found)
    notes: dict[int, set[tuple[str, str]]] = {}
    for note in db.session.scalars(select(WarningNote).where(WarningNote.return_id.in_([r.id for r in submitted]))):
        notes.setdefault(note.return_id, set()).add((note.path, note.code))
    out = {}
    for ret in submitted:
        found = checked[ret.id].warnings
        explained = notes.get(ret.id, set())
        out[ret.id] = (len(found), sum(1 for w in found if (w.path, w.code) not in explained))
    return out


def _open_comment_counts(returns: list[AnnualReturn]) -> dict[int, int]:
    """Unanswered comments of the latest round that was sent back to the municipality."""
    rows = db.session.execute(select(ReviewComment.return_id, ReviewComment.submission_round, ReviewComment.reply)
                              .where(ReviewComment.return_id.in_([r.id for r in returns]),
                                     ReviewComment.sent_at.is_not(None))).all()
    latest: dict[int, int] = {}
    for return_id, round_, _reply in rows:
        latest[return_id] = max(latest.get(return_id, 0), round_)
    out: dict[int, int] = {}
    for return_id, round_, reply in rows:
        if round_ == latest[return_id] and not reply:
            out[return_id] = out.get(return_id, 0) + 1
    return out


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
    """The comments ``user`` may see: the municipality sees a comment only once the return was sent back with it
    (until then it is the reviewer's draft; a draft left when the return is approved is never shown)."""
    comments = comments_of(ret)
    if user.role in ("admin", "reviewer"):
        return comments
    return [c for c in comments if c[0].sent_at is not None]


def by_field(comments: list[tuple[ReviewComment, str, str | None]]) -> dict[str, list[Any]]:
    """Comments on one question each, by the question's key (shown beside it, the question highlighted)."""
    out: dict[str, list[Any]] = {}
    for item in comments:
        if item[0].field_path:
            out.setdefault(item[0].field_path, []).append(item)
    return out


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
