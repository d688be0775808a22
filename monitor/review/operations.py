"""Review operations: comments, return for correction, approve, reopen, deadline extensions, periods.

Like every operation they check what is allowed, record the audit event, queue e-mail in the same transaction,
and never commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Mapping

from sqlalchemy import select

from forms import available_years, get_definition

from ..audit.operations import record_event
from ..auth.models import Role, User
from ..clock import submitted_late
from ..extensions import db
from ..models_base import utcnow
from ..periods.deadlines import deadline_for, extended_deadlines
from ..periods.models import DeadlineExtension, ReportingPeriod
from ..public.operations import publish_return
from ..refusals import OperationRefused
from ..registry.models import Municipality
from ..returns.models import AnnualReturn, ReturnStatus, ReviewComment
from ..returns.notifications import notify_approved, notify_returned
from ..returns.workflow import Action, Actor, actor_kinds, check

MAX_COMMENT = 4000
UNDER_REVIEW = (ReturnStatus.SUBMITTED, ReturnStatus.RESUBMITTED)


def _stale(ret: AnnualReturn, base_version: int) -> None:
    if base_version != ret.version:
        raise OperationRefused(
            "stale", "Kamēr lapa bija atvērta, pārskats mainījās. Atjaunojiet lapu un pārbaudiet vēlreiz.",
            "The return changed while the page was open. Reload the page and check again.",
        )


def _text(body: str | None, *, required: bool = True) -> str:
    text = (body or "").strip()
    if required and not text:
        raise OperationRefused("empty", "Komentārs ir tukšs.", "The comment is empty.")
    if len(text) > MAX_COMMENT:
        raise OperationRefused("too_long", f"Komentārs ir par garu (vairāk nekā {MAX_COMMENT} zīmes).",
                               f"The comment is too long (more than {MAX_COMMENT} characters).")
    return text


def add_comment(
    ret: AnnualReturn, actor: User, *, body: str, section_key: str | None = None, field_path: str | None = None,
) -> ReviewComment:
    """A reviewer's comment on a field, a section or (neither given) the whole return, while it is under review."""
    if not {Actor.REGION_REVIEWER, Actor.ADMIN} & actor_kinds(actor, ret):
        raise OperationRefused("not_allowed", "Komentēt var tikai reģiona izvērtētājs vai administrators.",
                               "Only the region's reviewer or an administrator can comment.")
    if ret.status not in UNDER_REVIEW:
        raise OperationRefused("wrong_state", "Komentēt var tikai iesniegtu pārskatu, kamēr to izvērtē.",
                               "Comments can only be added while a submitted return is being reviewed.")
    definition = get_definition(ret.year)
    if section_key is not None:
        try:
            section = definition.section(section_key)
        except KeyError:
            raise OperationRefused("bad_section", "Nezināma sadaļa.", "Unknown section.") from None
        if field_path and field_path not in {f.key for f in section.fields}:
            raise OperationRefused("bad_field", "Šāda jautājuma šajā sadaļā nav.", "No such question in this section.")
    elif field_path:
        raise OperationRefused("bad_field", "Jautājumam jānorāda sadaļa.", "A question needs its section.")
    comment = ReviewComment(return_id=ret.id, section_key=section_key, field_path=field_path or None,
                            body=_text(body), author_id=actor.id, submission_round=ret.submission_count)
    db.session.add(comment)
    db.session.flush()
    record_event("comment_added", actor, municipality_id=ret.municipality_id, return_id=ret.id,
                 detail={"comment": comment.id, "section": section_key, "field": field_path or None})
    return comment


def delete_comment(ret: AnnualReturn, actor: User, comment_id: int) -> None:
    """Remove a comment not yet sent to the municipality (the current round, while under review)."""
    comment = db.session.get(ReviewComment, comment_id)
    if comment is None or comment.return_id != ret.id:
        raise OperationRefused("not_found", "Komentārs nav atrasts.", "Comment not found.")
    if comment.sent_at is not None or ret.status not in UNDER_REVIEW:
        raise OperationRefused("sent", "Pašvaldībai nosūtītu komentāru vairs nevar dzēst.",
                               "A comment already sent to the municipality cannot be deleted.")
    if comment.author_id != actor.id and actor.role != Role.ADMIN:
        raise OperationRefused("not_allowed", "Dzēst var tikai savus komentārus.", "You can only delete your own "
                               "comments.")
    record_event("comment_deleted", actor, municipality_id=ret.municipality_id, return_id=ret.id,
                 detail={"comment": comment.id, "body": comment.body[:500]})
    db.session.delete(comment)


def return_for_correction(ret: AnnualReturn, actor: User, *, reason: str, base_version: int) -> int:
    """Send the return back with the reviewer's reason and this round's comments; returns how many comments."""
    transition = check(ret, Action.RETURN, actor, reason)
    _stale(ret, base_version)
    reason = _text(reason)
    now = utcnow()
    drafts = [c for c in round_comments(ret) if c.sent_at is None]
    for comment in drafts:  # from now on the municipality sees them
        comment.sent_at = now
    count = len(drafts)
    ret.status = transition.target
    ret.returned_at = now
    ret.version += 1
    record_event("return_returned", actor, municipality_id=ret.municipality_id, return_id=ret.id, reason=reason,
                 detail={"year": ret.year, "round": ret.submission_count, "comments": count})
    notify_returned(ret, reason, count)
    return count


def approve_return(ret: AnnualReturn, actor: User, *, base_version: int, note: str | None = None) -> None:
    """Approve: the return is locked from now on (an admin may reopen it with a reason)."""
    transition = check(ret, Action.APPROVE, actor)
    _stale(ret, base_version)
    ret.status = transition.target
    ret.approved_at = utcnow()
    ret.version += 1
    publish_return(ret)  # replaces the public copy of an earlier approval of this year
    record_event("return_approved", actor, municipality_id=ret.municipality_id, return_id=ret.id,
                 reason=_text(note, required=False) or None, detail={"year": ret.year,
                                                                     "round": ret.submission_count})
    notify_approved(ret)


def reopen_return(ret: AnnualReturn, actor: User, *, reason: str, base_version: int) -> None:
    """Admin only: an approved return goes back to the municipality for correction, with the reason."""
    transition = check(ret, Action.REOPEN, actor, reason)
    _stale(ret, base_version)
    reason = _text(reason)
    ret.status = transition.target
    ret.returned_at = utcnow()
    ret.approved_at = None  # the published copy stays: the last approved answers are public until re-approval
    ret.version += 1
    record_event("return_reopened", actor, municipality_id=ret.municipality_id, return_id=ret.id, reason=reason,
                 detail={"year": ret.year})
    notify_returned(ret, reason, 0)


def answer_comments(ret: AnnualReturn, actor: User, replies: Mapping[int, str]) -> int:
    """The municipality answers the reviewer's comments (while the return is back with it). Returns the count."""
    if not ret.is_editable:
        raise OperationRefused("wrong_state", "Atbildēt uz komentāriem var, kamēr pārskats ir atgriezts labošanai.",
                               "Comments can be answered while the return is back for correction.")
    if not {Actor.OWN_EDITOR, Actor.ADMIN} & actor_kinds(actor, ret):
        raise OperationRefused("not_allowed", "Atbildēt var pašvaldības lietotāji.", "Only the municipality's "
                               "users can answer.")
    # only the comments the return was last sent back with: answers the reviewer has already read stay as they were
    comments = {c.id: c for c in db.session.scalars(select(ReviewComment).where(
        ReviewComment.return_id == ret.id, ReviewComment.sent_at.is_not(None),
        ReviewComment.submission_round == ret.submission_count))}
    answered = []
    for comment_id, text in replies.items():
        comment = comments.get(comment_id)
        text = _text(text, required=False)
        if comment is None or text == (comment.reply or ""):
            continue
        comment.reply, comment.reply_by_id, comment.replied_at = text or None, actor.id, utcnow()
        answered.append(comment.id)
    if answered:
        record_event("comments_answered", actor, municipality_id=ret.municipality_id, return_id=ret.id,
                     detail={"comments": answered})
    return len(answered)


def check_replies(replies: Mapping[int, str]) -> None:
    """Refuse (before anything is saved) answers that are too long."""
    for text in replies.values():
        _text(text, required=False)


def round_comments(ret: AnnualReturn) -> list[ReviewComment]:
    """The comments written about the latest submission."""
    return list(db.session.scalars(select(ReviewComment).where(
        ReviewComment.return_id == ret.id, ReviewComment.submission_round == ret.submission_count,
    ).order_by(ReviewComment.id)))


# ------------------------------------------------------------------------------------ periods and deadlines

def _admin_only(actor: User) -> None:
    if actor.role != Role.ADMIN:
        raise OperationRefused("not_allowed", "Tas ir atļauts tikai administratoram.", "Only an administrator may "
                               "do this.")


def open_period(actor: User, *, year: int, opens_on: dt.date, deadline: dt.date) -> ReportingPeriod:
    """Open a reporting year with its form definition (there must be one for the year)."""
    _admin_only(actor)
    if year not in available_years():
        raise OperationRefused("no_definition", f"{year}. gadam nav pārskata veidlapas.",
                               f"There is no return definition for {year}.")
    if db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year)) is not None:
        raise OperationRefused("exists", f"{year}. pārskata gads jau ir atvērts.", f"Reporting year {year} is "
                               "already open.")
    _check_dates(opens_on, deadline)
    period = ReportingPeriod(year=year, definition_version=get_definition(year).version, opens_on=opens_on,
                             deadline=deadline)
    db.session.add(period)
    db.session.flush()
    record_event("period_opened", actor, detail={"year": year, "opens_on": opens_on.isoformat(),
                                                 "deadline": deadline.isoformat()})
    return period


def change_period(actor: User, period: ReportingPeriod, *, opens_on: dt.date, deadline: dt.date) -> None:
    _admin_only(actor)
    _check_dates(opens_on, deadline)
    before = {"opens_on": period.opens_on.isoformat(), "deadline": period.deadline.isoformat()}
    period.opens_on, period.deadline = opens_on, deadline
    refresh_lateness(period)
    record_event("period_changed", actor, detail={"year": period.year, "before": before,
                                                  "after": {"opens_on": opens_on.isoformat(),
                                                            "deadline": deadline.isoformat()}})


def _check_dates(opens_on: dt.date, deadline: dt.date) -> None:
    if deadline < opens_on:
        raise OperationRefused("dates", "Iesniegšanas termiņš nevar būt pirms atvēršanas datuma.",
                               "The deadline cannot be before the opening date.")


def extend_deadline(
    actor: User, period: ReportingPeriod, municipality: Municipality, *, deadline: dt.date, reason: str,
) -> DeadlineExtension:
    """A later deadline for one municipality (replacing an earlier extension)."""
    _admin_only(actor)
    reason = _text(reason)
    if deadline <= period.deadline:
        raise OperationRefused("not_later", "Pagarinātajam termiņam jābūt vēlākam par vispārējo termiņu.",
                               "The extended deadline must be later than the general deadline.")
    extension = db.session.scalar(select(DeadlineExtension).where(
        DeadlineExtension.period_id == period.id, DeadlineExtension.municipality_id == municipality.id))
    if extension is None:
        extension = DeadlineExtension(period_id=period.id, municipality_id=municipality.id, deadline=deadline,
                                      reason=reason, granted_by_id=actor.id)
        db.session.add(extension)
    else:
        extension.deadline, extension.reason, extension.granted_by_id = deadline, reason, actor.id
        extension.granted_at = utcnow()
    db.session.flush()
    refresh_lateness(period, municipality.id)
    record_event("deadline_extended", actor, municipality_id=municipality.id, reason=reason,
                 detail={"year": period.year, "deadline": deadline.isoformat()})
    return extension


def refresh_lateness(period: ReportingPeriod, municipality_id: int | None = None) -> None:
    """Re-judge "submitted late" after a deadline changed, so that every page tells the same story."""
    query = select(AnnualReturn).where(AnnualReturn.year == period.year,
                                       AnnualReturn.first_submitted_at.is_not(None))
    if municipality_id is not None:
        query = query.where(AnnualReturn.municipality_id == municipality_id)
    extensions = extended_deadlines(period)
    for ret in db.session.scalars(query):
        ret.is_late = submitted_late(ret.first_submitted_at, deadline_for(period, extensions, ret.municipality_id))
