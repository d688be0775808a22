"""The completeness dashboard page: ``/dashboard?year=YYYY`` (default: ``returns.queries.default_period``).

Admins see the nation and every planning region, reviewers their own region; everyone else gets 404 (the page
does not exist for them). The page is read-only, works without JavaScript and prints as a report.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import format_percent, lazy_gettext as _l
from flask_login import current_user, login_required

from ..auth.models import User
from ..clock import riga_today
from ..periods.queries import periods
from ..returns.queries import default_period
from .dashboard import (
    APPROVED, AWAITING_REVIEW, IN_PROGRESS, NOT_STARTED, NOT_YET_DUE, ON_TIME, OVERDUE, RETURNED, STATES,
    SUBMITTED_LATE, TIMELINESS, Count, completeness, may_view_dashboard,
)

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

STATE_LABELS = {
    APPROVED: _l("Approved"),
    AWAITING_REVIEW: _l("Awaiting review (submitted or resubmitted)"),
    RETURNED: _l("Returned for correction"),
    IN_PROGRESS: _l("In progress (draft)"),
    NOT_STARTED: _l("Not started (no return)"),
}
TIMELINESS_LABELS = {
    ON_TIME: _l("Submitted on time"),
    SUBMITTED_LATE: _l("Submitted late"),
    OVERDUE: _l("Not submitted, deadline passed"),
    NOT_YET_DUE: _l("Not submitted, not yet due"),
}


def percent(value: Count | float | None) -> str:
    """A share as a whole percentage in the current locale; "—" when there is no base."""
    share = value.share if isinstance(value, Count) else value
    return "—" if share is None else format_percent(share)


@bp.route("")
@login_required
def index():  # type: ignore[no-untyped-def]
    user: User = current_user._get_current_object()
    if not may_view_dashboard(user):
        abort(404)
    all_periods = periods()  # newest first
    if not all_periods:
        return render_template("review/dashboard.html", board=None, periods=[])
    year = request.args.get("year", type=int)
    if year is None:  # where the work is, as on the returns list and the review desk (returns.queries)
        period = default_period(user, riga_today()) or all_periods[0]
    else:
        period = next((p for p in all_periods if p.year == year), None)
        if period is None:
            abort(404)
    board = completeness(user, period.year, riga_today())
    return render_template(
        "review/dashboard.html", board=board, period=period, periods=all_periods, states=STATES,
        timeliness=TIMELINESS, state_labels=STATE_LABELS, timeliness_labels=TIMELINESS_LABELS, percent=percent,
    )
