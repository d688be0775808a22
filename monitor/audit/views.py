"""The audit log page for admins: ``/admin/audit``, newest first, 50 events a page, filtered by a GET form.

Filters (all optional): ``municipality`` and ``user`` (ids), ``action`` (a code), ``date_from`` / ``date_to``
(Latvian calendar days, inclusive; ``YYYY-MM-DD`` as date inputs send, or ``DD.MM.YYYY`` as people type).
An invalid filter is not applied; the page says so next to the filter instead of failing. Everyone but admins
gets 404: the page does not exist for them.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Mapping

from flask import Blueprint, abort, render_template, request
from flask_babel import format_date, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import ColumnElement, func, select

from ..auth.models import Role, User
from ..clock import riga_midnight
from ..extensions import db
from ..locale import current_locale
from ..paging import Page, page_of
from ..registry.models import Municipality
from .models import AuditEvent

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")

PER_PAGE = 50
EARLIEST, LATEST = dt.date(2000, 1, 1), dt.date(2099, 12, 31)  # the dates a filter may name

ACTION_LABELS = {
    "login": _l("Signed in"),
    "login_failed": _l("Failed sign-in"),
    "login_locked": _l("Sign-in refused: too many failed attempts from one network"),
    "password_confirm_failed": _l("Wrong password when confirming a change"),
    "two_factor_enabled": _l("Two-step sign-in turned on"),
    "two_factor_disabled": _l("Two-step sign-in turned off"),
    "two_factor_failed": _l("Wrong two-step sign-in code"),
    "recovery_code_used": _l("Signed in with a recovery code"),
    "recovery_codes_renewed": _l("New recovery codes made"),
    "user_created": _l("User created"),
    "password_changed": _l("Password changed"),
    "return_started": _l("Return started"),
    "return_submitted": _l("Return submitted"),
    "return_resubmitted": _l("Return resubmitted"),
    "return_returned": _l("Return returned for correction"),
    "return_approved": _l("Return approved"),
    "return_reopened": _l("Return reopened"),
    "deadline_extended": _l("Deadline extended"),
    "period_opened": _l("Reporting year opened"),
    "period_changed": _l("Reporting year changed"),
    "comment_added": _l("Review comment added"),
    "comment_deleted": _l("Review comment deleted"),
    "comments_answered": _l("Review comments answered"),
    "report_compiled": _l("Report compiled"),
    "return_uploaded": _l("Return uploaded from Excel"),
    "return_imported": _l("Past year's return imported"),
    "history_imported": _l("Past year imported from a workbook"),
    "workbook_exported": _l("Benchmark workbook downloaded"),
}


def action_label(code: str) -> str:
    """A readable label for a known action; an unknown action is shown as its code."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def compact_detail(detail: Any) -> str:
    """The event's detail as ``key=value`` pairs (nested keys dotted, keys sorted so both databases agree);
    values with spaces or ``=`` are quoted."""
    if detail is None:
        return ""
    if not isinstance(detail, Mapping):
        return _scalar(detail)
    return " ".join(f"{key}={value}" for key, value in _flatten("", detail))


def _flatten(prefix: str, mapping: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for key in sorted(mapping, key=str):
        value = mapping[key]
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            pairs.extend(_flatten(name + ".", value))
        else:
            pairs.append((name, _scalar(value)))
    return pairs


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(_scalar(v) for v in value)
    if isinstance(value, Mapping):
        return "{}"
    text = str(value)
    if not text or any(c.isspace() or c in '="' for c in text):
        return json.dumps(text, ensure_ascii=False)
    return text


@dataclass
class Filters:
    """The filters that were valid (and are applied), the problems of those that were not, and the raw input."""

    municipality_id: int | None = None
    user_id: int | None = None
    action: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    def query_args(self) -> dict[str, str]:
        """The applied filters as URL arguments (what page links carry)."""
        args = {"municipality": self.municipality_id, "user": self.user_id, "action": self.action,
                "date_from": self.date_from.isoformat() if self.date_from else None,
                "date_to": self.date_to.isoformat() if self.date_to else None}
        return {k: str(v) for k, v in args.items() if v is not None}

    def conditions(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.municipality_id is not None:
            out.append(AuditEvent.municipality_id == self.municipality_id)
        if self.user_id is not None:
            out.append(AuditEvent.actor_id == self.user_id)
        if self.action is not None:
            out.append(AuditEvent.action == self.action)
        if self.date_from is not None:
            out.append(AuditEvent.at >= riga_midnight(self.date_from))
        if self.date_to is not None:
            out.append(AuditEvent.at < riga_midnight(self.date_to + dt.timedelta(days=1)))
        return out


def collation_key(text: str) -> list[tuple[str, int]]:
    """Alphabetical order as Latvian readers expect it: a letter with a diacritic follows its base letter
    (Ā after A, Č after C), instead of after Z as in code-point order."""
    return [(unicodedata.normalize("NFD", ch)[0], len(unicodedata.normalize("NFD", ch))) for ch in text.casefold()]


def parse_date(text: str) -> dt.date | None:
    """``2026-11-26`` or ``26.11.2026`` → a date; anything else → None."""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def parse_filters(args: Mapping[str, str], municipality_ids: set[int], user_ids: set[int],
                  actions: set[str]) -> Filters:
    """Read the filter form; an empty field means "any", an invalid one is reported and not applied."""
    f = Filters(raw={k: (args.get(k) or "").strip()[:100]
                     for k in ("municipality", "user", "action", "date_from", "date_to")})
    raw = f.raw
    if raw["municipality"]:
        if raw["municipality"].isdigit() and int(raw["municipality"]) in municipality_ids:
            f.municipality_id = int(raw["municipality"])
        else:
            f.errors["municipality"] = _("There is no such municipality. Choose one from the list.")
    if raw["user"]:
        if raw["user"].isdigit() and int(raw["user"]) in user_ids:
            f.user_id = int(raw["user"])
        else:
            f.errors["user"] = _("There is no such user. Choose one from the list.")
    if raw["action"]:
        if raw["action"] in actions:
            f.action = raw["action"]
        else:
            f.errors["action"] = _("There is no such action. Choose one from the list.")
    for key in ("date_from", "date_to"):
        if raw[key]:
            day = parse_date(raw[key])
            if day is None:
                f.errors[key] = _("“%(value)s” is not a date. Enter a date as DD.MM.YYYY, for example "
                                  "26.11.2026.", value=raw[key])
            elif not EARLIEST <= day <= LATEST:  # far dates would overflow the time-zone arithmetic
                f.errors[key] = _("Enter a date between %(earliest)s and %(latest)s.",
                                  earliest=format_date(EARLIEST, "dd.MM.yyyy"),
                                  latest=format_date(LATEST, "dd.MM.yyyy"))
                day = None
            setattr(f, key, day)
    if f.date_from and f.date_to and f.date_to < f.date_from:
        f.errors["date_to"] = _("The end date is before the start date.")
        f.date_to = None
    return f


def events_page(filters: Filters, page: int) -> Page:
    """One page of events matching the applied filters, newest first, with actor name and municipality."""
    conditions = filters.conditions()
    return page_of(
        select(AuditEvent, User.name, Municipality)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .outerjoin(Municipality, Municipality.id == AuditEvent.municipality_id)
        .where(*conditions).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()),
        select(func.count()).select_from(AuditEvent).where(*conditions), page, PER_PAGE)


@bp.route("")
@login_required
def log():  # type: ignore[no-untyped-def]
    if current_user.role != Role.ADMIN:
        abort(404)
    locale = current_locale()
    municipalities = sorted(db.session.scalars(select(Municipality)),
                            key=lambda m: (m.region_id, collation_key(m.name(locale))))
    users = sorted(db.session.scalars(select(User)), key=lambda u: (collation_key(u.name), u.email))
    recorded = set(db.session.scalars(select(AuditEvent.action).distinct()))
    # a known action without events yet is a valid filter (an empty list), but is only offered once it occurs
    filters = parse_filters(request.args, {m.id for m in municipalities}, {u.id for u in users},
                            recorded | set(ACTION_LABELS))
    if filters.action:
        recorded.add(filters.action)
    actions = sorted(recorded, key=lambda code: action_label(code).casefold())
    page = events_page(filters, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "audit/log.html", page=page, filters=filters, municipalities=municipalities, users=users,
        actions=[(code, action_label(code)) for code in actions], action_label=action_label,
        compact_detail=compact_detail,
    )
