"""The admin outbox: every queued e-mail with its state, newest first, and one message's full text.

Read-only and for administrators only (anyone else gets 404, so that the page's existence does not leak).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select

from ..extensions import db
from .models import MailStatus, OutboxMessage

bp = Blueprint("mail", __name__, url_prefix="/admin/outbox")

PAGE_SIZE = 50
STATUS_LABELS = {
    MailStatus.PENDING: _l("Waiting to be sent"),
    MailStatus.SENT: _l("Sent"),
    MailStatus.FAILED: _l("Not delivered"),
    MailStatus.HELD: _l("Held (no mail server)"),
}
KIND_LABELS = {
    "submitted": _l("Return submitted"),
    "resubmitted": _l("Return resubmitted"),
    "returned": _l("Returned for correction"),
    "approved": _l("Return approved"),
    "reminder_before": _l("Reminder before the deadline"),
    "reminder_today": _l("Reminder on the deadline day"),
    "reminder_after": _l("Reminder after the deadline"),
}


def _require_admin() -> None:
    if current_user.role != "admin":
        abort(404)


@bp.route("")
@login_required
def outbox():  # type: ignore[no-untyped-def]
    _require_admin()
    status = request.args.get("status") or None
    if status is not None and status not in STATUS_LABELS:
        status = None
    page = max(request.args.get("page", default=1, type=int) or 1, 1)
    query = select(OutboxMessage)
    count_query = select(func.count()).select_from(OutboxMessage)
    if status:
        query = query.where(OutboxMessage.status == status)
        count_query = count_query.where(OutboxMessage.status == status)
    total = db.session.scalar(count_query) or 0
    messages = list(db.session.scalars(
        query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ))
    return render_template(
        "mail/outbox.html", messages=messages, total=total, status=status, page=page,
        has_next=page * PAGE_SIZE < total, status_labels=STATUS_LABELS, kind_labels=KIND_LABELS,
    )


@bp.route("/<int:message_id>")
@login_required
def outbox_message(message_id: int):  # type: ignore[no-untyped-def]
    _require_admin()
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    return render_template("mail/outbox_message.html", message=message, status_labels=STATUS_LABELS,
                           kind_labels=KIND_LABELS)
