"""Queueing e-mail about the review workflow and deadlines (the return's side of ``monitor.mail``, which keeps the
outbox, the texts and the sending; here because ``returns`` and ``review`` operations queue it in their transaction).

Contract of every function here: it only ADDS ``OutboxMessage`` rows to the session, inside the caller's
transaction, and flushes (so the returned messages have ids, e.g. for ``try_send_now``). It never
commits, never talks to a mail server and never reads the logged-in user: if the caller's transaction is rolled
back, no message remains. Sending is ``monitor.mail.operations`` (``try_send_now``, ``send_pending``).

Each message is written in the recipient's language (``User.locale``), and only active accounts receive mail.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Callable, Iterable

from flask import current_app
from sqlalchemy import select

from ..auth.models import Role, User
from ..extensions import db
from ..mail import texts
from ..mail.links import absolute_url
from ..mail.models import MailStatus, OutboxMessage
from ..models_base import utcnow
from ..periods.deadlines import extended_deadlines
from ..periods.models import ReportingPeriod
from ..registry.models import Municipality
from .models import AnnualReturn, ReturnStatus

Values = Callable[[str], dict[str, object]]  # locale → the values of the texts in that language


# ----------------------------------------------------------------------------------------------- workflow


def notify_submitted(ret: AnnualReturn) -> list[OutboxMessage]:
    """To every active reviewer of the return's planning region: the return was submitted (or, when its status
    is 'resubmitted', resubmitted) and waits for review; links to ``/review/<slug>/<year>``."""
    municipality = ret.municipality
    kind = texts.RESUBMITTED if ret.status == ReturnStatus.RESUBMITTED else texts.SUBMITTED
    url = absolute_url(f"/review/{municipality.slug}/{ret.year}")
    return _queue_all(_active(Role.REVIEWER, User.region_id == municipality.region_id), kind,
                      lambda locale: {"municipality": municipality.name(locale), "year": ret.year, "url": url},
                      ret=ret)


def notify_returned(ret: AnnualReturn, reason: str, comment_count: int) -> list[OutboxMessage]:
    """To every active editor of the return's municipality: returned for correction, with the reason and the
    number of field comments; links to ``/returns/<slug>/<year>``."""
    municipality = ret.municipality
    url = absolute_url(f"/returns/{municipality.slug}/{ret.year}")
    reason = (reason or "").strip()
    return _queue_all(
        _active(Role.EDITOR, User.municipality_id == ret.municipality_id), texts.RETURNED,
        lambda locale: {"municipality": municipality.name(locale), "year": ret.year, "url": url, "reason": reason,
                        "comments": texts.comments_paragraph(comment_count, locale)},
        ret=ret,
    )


def notify_approved(ret: AnnualReturn) -> list[OutboxMessage]:
    """To every active editor of the return's municipality: the return was approved; links to the return."""
    municipality = ret.municipality
    url = absolute_url(f"/returns/{municipality.slug}/{ret.year}")
    return _queue_all(_active(Role.EDITOR, User.municipality_id == ret.municipality_id), texts.APPROVED,
                      lambda locale: {"municipality": municipality.name(locale), "year": ret.year, "url": url},
                      ret=ret)


# ---------------------------------------------------------------------------------------------- reminders


def reminder_key(period: ReportingPeriod, municipality: Municipality, deadline: dt.date, offset: int,
                 user_id: int) -> str:
    """The dedupe key of one reminder. The effective deadline is part of it, so that after a deadline extension
    the municipality is reminded again relative to its new deadline; the offset is signed (-7, +1)."""
    return f"reminder:{period.year}:{municipality.slug}:{deadline.isoformat()}:{offset:+d}:{user_id}"


def reminder_kind(offset: int) -> str | None:
    """The reminder due ``offset`` days after the deadline (negative: before it), per MAIL_REMINDER_DAYS_*."""
    if offset <= 0 and -offset in config_days("MAIL_REMINDER_DAYS_BEFORE"):
        return texts.REMINDER_TODAY if offset == 0 else texts.REMINDER_BEFORE
    if offset > 0 and offset in config_days("MAIL_REMINDER_DAYS_AFTER"):
        return texts.REMINDER_AFTER
    return None


def queue_deadline_reminders(period: ReportingPeriod, today: dt.date) -> list[OutboxMessage]:
    """Queue today's reminders of ``period``: to the active editors of every municipality that has not submitted
    (no return, or a draft; a return sent back for correction is not reminded about), when ``today`` is one of
    the configured days before/after the municipality's effective deadline (an extension replaces the period's).

    Idempotent: a reminder whose dedupe key exists is skipped, so a second run on the same day queues nothing.
    (Two runs at the very same moment would collide on the key's unique constraint at commit; one of them fails.)
    Nothing is queued before the period opens.
    """
    if today < period.opens_on:
        return []
    extensions = extended_deadlines(period)
    not_due = set(db.session.scalars(select(AnnualReturn.municipality_id).where(
        AnnualReturn.year == period.year, AnnualReturn.status != ReturnStatus.DRAFT)))
    editors: dict[int, list[User]] = defaultdict(list)
    for user in _active(Role.EDITOR):
        editors[user.municipality_id].append(user)  # type: ignore[index]

    planned: list[tuple[Municipality, User, str, dt.date, int, str]] = []
    for municipality in db.session.scalars(select(Municipality).order_by(Municipality.slug)):
        if municipality.id in not_due:
            continue
        deadline = extensions.get(municipality.id, period.deadline)
        offset = (today - deadline).days
        kind = reminder_kind(offset)
        if kind is None:
            continue
        for user in editors.get(municipality.id, []):
            key = reminder_key(period, municipality, deadline, offset, user.id)
            planned.append((municipality, user, kind, deadline, offset, key))
    if not planned:
        return []

    keys = [p[-1] for p in planned]
    existing = set(db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys))))
    messages = []
    for municipality, user, kind, deadline, offset, key in planned:
        if key in existing:
            continue
        url = absolute_url(f"/returns/{municipality.slug}/{period.year}")
        is_extended = municipality.id in extensions

        def values(locale: str, m: Municipality = municipality, d: dt.date = deadline, o: int = offset,
                   u: str = url, ext: bool = is_extended) -> dict[str, object]:
            return {"municipality": m.name(locale), "year": period.year, "url": u,
                    "deadline": texts.format_day(d, locale), "relative": texts.relative_days(o, locale),
                    "deadline_label": texts.deadline_label(ext, locale)}

        messages.append(_message(user, kind, values, municipality_id=municipality.id, dedupe_key=key))
    db.session.flush()
    return messages


def periods_to_remind(today: dt.date) -> list[ReportingPeriod]:
    """Periods whose reminder window (from the earliest effective deadline minus the longest "before" offset to
    the latest plus the longest "after" offset) includes ``today``, and which have opened."""
    before = max(config_days("MAIL_REMINDER_DAYS_BEFORE"), default=0)
    after = max(config_days("MAIL_REMINDER_DAYS_AFTER"), default=0)
    result = []
    for period in db.session.scalars(select(ReportingPeriod).order_by(ReportingPeriod.year)):
        deadlines = [period.deadline, *extended_deadlines(period).values()]
        first = min(deadlines) - dt.timedelta(days=before)
        last = max(deadlines) + dt.timedelta(days=after)
        if period.opens_on <= today and first <= today <= last:
            result.append(period)
    return result


# ------------------------------------------------------------------------------------------------ helpers


def config_days(key: str) -> frozenset[int]:
    """A MAIL_REMINDER_DAYS_* setting: a sequence of whole days, or "7,1" (from the environment)."""
    raw = current_app.config.get(key) or ()
    if isinstance(raw, str):
        raw = [part for part in raw.replace(";", ",").split(",") if part.strip()]
    elif isinstance(raw, int):
        raw = [raw]
    return frozenset(abs(int(day)) for day in raw)


def _active(role: Role, *criteria: object) -> list[User]:
    query = select(User).where(User.role == role, User.is_active_account.is_(True), *criteria)  # type: ignore[arg-type]
    return list(db.session.scalars(query.order_by(User.id)))


def _queue_all(recipients: Iterable[User], kind: str, values: Values, *, ret: AnnualReturn) -> list[OutboxMessage]:
    messages = [_message(user, kind, values, municipality_id=ret.municipality_id, return_id=ret.id)
                for user in recipients]
    db.session.flush()
    return messages


def _message(user: User, kind: str, values: Values, *, municipality_id: int | None, return_id: int | None = None,
             dedupe_key: str | None = None) -> OutboxMessage:
    locale = texts.normalise_locale(user.locale)
    subject, body = texts.render(kind, locale, name=user.name, **values(locale))
    now = utcnow()
    message = OutboxMessage(
        kind=kind, dedupe_key=dedupe_key, to_email=user.email, to_name=user.name[:120], user_id=user.id,
        locale=locale, subject=subject[:300], body=body, return_id=return_id, municipality_id=municipality_id,
        status=MailStatus.PENDING, attempts=0, created_at=now, next_attempt_at=now,
    )
    db.session.add(message)
    return message
