"""Admin page of the scheduler: job runs, the current leader, and "compile now" requests with their progress."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forms import definition_years

from ..auth.models import Role
from ..extensions import db
from ..models_base import utcnow
from .models import CompileRequest, JobRun, SchedulerLease

bp = Blueprint("jobs", __name__, url_prefix="/admin/jobs")


def _admin() -> None:
    if current_user.role != Role.ADMIN:
        abort(404)


@bp.route("/")
@login_required
def history():  # type: ignore[no-untyped-def]
    _admin()
    runs = db.session.scalars(select(JobRun).order_by(JobRun.id.desc()).limit(100)).all()
    requests = db.session.scalars(select(CompileRequest).order_by(CompileRequest.id.desc()).limit(20)).all()
    lease = db.session.get(SchedulerLease, "main")
    busy = any(r.status in ("pending", "running") for r in requests)
    return render_template("jobs/history.html", runs=runs, requests=requests, lease=lease, now=utcnow(),
                           busy=busy, years=definition_years())


@bp.route("/compile", methods=["POST"])
@login_required
def compile_now():  # type: ignore[no-untyped-def]
    """Queue a compilation; the scheduler process picks it up within seconds (the page shows the progress)."""
    _admin()
    year = request.form.get("year", type=int)
    if year not in definition_years():
        abort(400)
    pending = db.session.scalar(select(CompileRequest).where(
        CompileRequest.year == year, CompileRequest.status.in_(("pending", "running"))))
    if pending is None:
        db.session.add(CompileRequest(year=year, requested_by_id=current_user.id))
        db.session.commit()
    flash(_("The compilation of %(year)d has been requested; it starts within a few seconds.", year=year), "success")
    return redirect(url_for(".history"))
