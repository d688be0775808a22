"""Admin page of the scheduler: the last run of every job, the runs (filtered by job and outcome, 50 a page; quiet
stretches of runs that found nothing to do are one row each, see ``runs``), the current leader, and "compile now"
requests with their progress."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from forms import definition_years

from ..auth.models import Role
from ..extensions import db
from ..models_base import utcnow
from ..reporting.models import CompileRequest
from ..reporting.operations import request_compilation
from .models import SchedulerLease
from .runs import OUTCOMES, job_ids, parse_filters, runs_page, summaries

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")

#: the names of the jobs of ``scheduler.jobs`` on the page (an unknown id is shown as it is)
JOB_LABELS = {
    "compile_requests": _l("Compile on request (“compile now”)"),
    "send_mail": _l("Send e-mail"),
    "compile_changed": _l("Recompile changed years"),
    "compile_nightly": _l("Nightly compilation"),
    "deadline_reminders": _l("Deadline reminders"),
    "completeness_snapshot": _l("Daily completeness counts"),
    "revalidate_drafts": _l("Re-validate drafts"),
    "backup_nightly": _l("Nightly database backup"),
}


def job_label(job_id: str) -> str:
    return str(JOB_LABELS.get(job_id, job_id))


def _admin() -> None:
    if current_user.role != Role.ADMIN:
        abort(404)


@bp.route("/")
@login_required
def history():  # type: ignore[no-untyped-def]
    _admin()
    known = job_ids()
    filters = parse_filters(request.args, set(known))
    page = runs_page(filters, request.args.get("page", 1, type=int) or 1)
    requests = db.session.scalars(select(CompileRequest).order_by(CompileRequest.id.desc()).limit(20)).all()
    lease = db.session.get(SchedulerLease, "main")
    busy = any(r.status in ("pending", "running") for r in requests)
    return render_template("jobs/history.html", page=page, filters=filters, job_ids=known, outcomes=OUTCOMES,
                           job_label=job_label, summaries=summaries(),
                           never_ran=[j for j in JOB_LABELS if j not in known], requests=requests, lease=lease,
                           now=utcnow(), busy=busy, years=definition_years())


@bp.route("/compile", methods=["POST"])
@login_required
def compile_now():  # type: ignore[no-untyped-def]
    """Queue a compilation; the scheduler process picks it up within seconds (the page shows the progress)."""
    _admin()
    year = request.form.get("year", type=int)
    if year not in definition_years():
        abort(400)
    if request_compilation(year, current_user.id):
        db.session.commit()
    flash(_("The compilation of %(year)d has been requested; it starts within a few seconds.", year=year), "success")
    return redirect(url_for(".history"))
