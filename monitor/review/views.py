"""The review desk, the review page of one return, and the reporting periods (admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from forms import available_years, get_definition

from ..auth.models import Role, User
from ..clock import riga_today
from ..extensions import db
from ..locale import current_locale
from ..mail.dispatch import send_queued_for
from ..periods.deadlines import effective_deadline
from ..periods.models import DeadlineExtension, ReportingPeriod
from ..periods.queries import period_or_404, periods
from ..refusals import OperationRefused
from ..registry.models import Municipality, PlanningRegion
from ..returns import presenters
from ..returns.operations import stored_return, warning_notes
from ..returns.queries import default_period, find_return, municipality_or_404, visible_municipalities
from ..returns.workflow import Action, allowed_actions
from . import operations as ops
from .queries import by_field, changes_between, comments_of, desk_rows, last_decision, submission_versions

bp = Blueprint("review", __name__, url_prefix="/review")


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _reviewing_roles() -> None:
    if _user().role not in (Role.ADMIN, Role.REVIEWER):
        abort(404)


def _commit_and_mail(message: str, ret: Any) -> None:
    """Commit the change with the e-mail it queued, then try to deliver that e-mail at once."""
    db.session.commit()
    flash(message, "success")
    send_queued_for(ret.id)


def _refused(exc: OperationRefused, slug: str, year: int):  # type: ignore[no-untyped-def]
    db.session.rollback()
    flash(exc.text(current_locale()), "error")
    return redirect(url_for(".detail", slug=slug, year=year))


@bp.route("/")
@login_required
def desk():  # type: ignore[no-untyped-def]
    _reviewing_roles()
    all_periods = periods()
    year = request.args.get("year", type=int)
    period = next((p for p in all_periods if p.year == year), None) or default_period(_user())
    if period is None:
        abort(404)
    region = request.args.get("region") if _user().role == Role.ADMIN else None
    rows = desk_rows(_user(), period, riga_today(), region or None)
    regions = db.session.scalars(select(PlanningRegion).order_by(PlanningRegion.id)).all()
    return render_template("review/desk.html", rows=rows, period=period, periods=all_periods, regions=regions,
                           region=region, today=riga_today())


@bp.route("/<slug>/<int:year>")
@login_required
def detail(slug: str, year: int):  # type: ignore[no-untyped-def]
    _reviewing_roles()
    municipality = municipality_or_404(_user(), slug)
    period = period_or_404(year)
    ret = find_return(municipality, year)
    if ret is None:
        abort(404)
    definition = get_definition(year)
    stored = stored_return(ret, definition)
    values, previous, result = stored.values, stored.previous, stored.checked
    notes = warning_notes(ret)
    comments = comments_of(ret)
    versions = submission_versions(ret)
    changed: list[dict[str, Any]] = []
    if len(versions) >= 2:
        locale = current_locale()
        changed = [{
            "label": presenters.path_label(definition, c.field_path, locale),
            "old": presenters.display_logged(definition, c.field_path, c.old_value, locale),
            "new": presenters.display_logged(definition, c.field_path, c.new_value, locale),
        } for c in changes_between(ret, versions[-2], versions[-1])]
    return render_template(
        "review/detail.html", municipality=municipality, period=period, ret=ret, definition=definition,
        values=values, previous=previous or {}, warnings=result.warnings, errors=result.errors, notes=notes,
        comments=comments, field_comments=by_field(comments),
        round_comments=[c for c in comments if c[0].submission_round == ret.submission_count],
        changed=changed, rounds=len(versions), actions=allowed_actions(ret, _user()), Action=Action,
        deadline=effective_deadline(period, municipality.id), decision=last_decision(ret),
    )


def _return_for(slug: str, year: int) -> Any:
    _reviewing_roles()
    municipality = municipality_or_404(_user(), slug)
    ret = find_return(municipality, year, for_update=True)
    if ret is None:
        abort(404)
    return ret


@bp.route("/<slug>/<int:year>/comments", methods=["POST"])
@login_required
def add_comment(slug: str, year: int):  # type: ignore[no-untyped-def]
    ret = _return_for(slug, year)
    section_key = request.form.get("section_key") or None
    try:
        ops.add_comment(ret, _user(), body=request.form.get("body", ""), section_key=section_key,
                        field_path=request.form.get("field_path") or None)
    except OperationRefused as exc:
        return _refused(exc, slug, year)
    db.session.commit()
    flash(_("The comment has been added. The municipality sees it when you return the report for correction."),
          "success")
    anchor = f"#section-{section_key}" if section_key else "#comments"
    return redirect(url_for(".detail", slug=slug, year=year) + anchor)


@bp.route("/<slug>/<int:year>/comments/<int:comment_id>/delete", methods=["POST"])
@login_required
def delete_comment(slug: str, year: int, comment_id: int):  # type: ignore[no-untyped-def]
    ret = _return_for(slug, year)
    try:
        ops.delete_comment(ret, _user(), comment_id)
    except OperationRefused as exc:
        return _refused(exc, slug, year)
    db.session.commit()
    flash(_("The comment has been deleted."), "success")
    return redirect(url_for(".detail", slug=slug, year=year) + "#comments")


@bp.route("/<slug>/<int:year>/decision", methods=["POST"])
@login_required
def decide(slug: str, year: int):  # type: ignore[no-untyped-def]
    ret = _return_for(slug, year)
    action = request.form.get("action")
    base_version = request.form.get("base_version", type=int) or 0
    try:
        if action == Action.RETURN:
            ops.return_for_correction(ret, _user(), reason=request.form.get("reason", ""), base_version=base_version)
            message = _("The return has been sent back to the municipality for correction.")
        elif action == Action.APPROVE:
            ops.approve_return(ret, _user(), base_version=base_version, note=request.form.get("reason"))
            message = _("The return has been approved.")
        elif action == Action.REOPEN:
            ops.reopen_return(ret, _user(), reason=request.form.get("reason", ""), base_version=base_version)
            message = _("The return has been reopened and sent back to the municipality.")
        else:
            abort(400)
    except OperationRefused as exc:
        return _refused(exc, slug, year)
    _commit_and_mail(message, ret)
    return redirect(url_for(".detail", slug=slug, year=year))


# ------------------------------------------------------------------------------------------------- periods

def _admin() -> None:
    if _user().role != Role.ADMIN:
        abort(404)


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.form.get(name, ""))
    except ValueError:
        return None


@bp.route("/periods", methods=["GET", "POST"])
@login_required
def period_list():  # type: ignore[no-untyped-def]
    _admin()
    error = None
    if request.method == "POST":
        year = request.form.get("year", type=int)
        opens_on, deadline = _date("opens_on"), _date("deadline")
        if year is None or opens_on is None or deadline is None:
            error = _("Choose the year and enter both dates.")
        else:
            try:
                ops.open_period(_user(), year=year, opens_on=opens_on, deadline=deadline)
            except OperationRefused as exc:
                db.session.rollback()
                error = exc.text(current_locale())
            else:
                db.session.commit()
                flash(_("The reporting year %(year)d is open.", year=year), "success")
                return redirect(url_for(".period_list"))
    existing = periods()
    extensions = db.session.execute(
        select(DeadlineExtension, Municipality, ReportingPeriod.year).join(Municipality).join(ReportingPeriod)
        .order_by(ReportingPeriod.year.desc(), Municipality.name_lv)).all()
    open_years = [y for y in available_years() if y not in {p.year for p in existing}]
    municipalities = db.session.scalars(visible_municipalities(_user()).order_by(Municipality.name_lv)).all()
    return render_template("review/periods.html", periods=existing, extensions=extensions, open_years=open_years,
                           municipalities=municipalities, error=error), (400 if error else 200)


@bp.route("/periods/<int:year>", methods=["POST"])
@login_required
def period_change(year: int):  # type: ignore[no-untyped-def]
    _admin()
    period = period_or_404(year)
    opens_on, deadline = _date("opens_on"), _date("deadline")
    try:
        if opens_on is None or deadline is None:
            raise OperationRefused("dates", "Ievadiet abus datumus.", "Enter both dates.")
        ops.change_period(_user(), period, opens_on=opens_on, deadline=deadline)
    except OperationRefused as exc:
        db.session.rollback()
        flash(exc.text(current_locale()), "error")
        return redirect(url_for(".period_list"))
    db.session.commit()
    flash(_("The dates of %(year)d have been changed.", year=year), "success")
    return redirect(url_for(".period_list"))


@bp.route("/periods/<int:year>/extensions", methods=["POST"])
@login_required
def extend(year: int):  # type: ignore[no-untyped-def]
    _admin()
    period = period_or_404(year)
    municipality = db.session.scalar(select(Municipality).where(Municipality.slug == request.form.get("municipality")))
    deadline = _date("deadline")
    try:
        if municipality is None or deadline is None:
            raise OperationRefused("input", "Izvēlieties pašvaldību un ievadiet jauno termiņu.",
                                   "Choose the municipality and enter the new deadline.")
        ops.extend_deadline(_user(), period, municipality, deadline=deadline, reason=request.form.get("reason", ""))
    except OperationRefused as exc:
        db.session.rollback()
        flash(exc.text(current_locale()), "error")
        return redirect(url_for(".period_list"))
    db.session.commit()
    flash(_("The deadline of %(name)s has been extended.", name=municipality.name(current_locale())), "success")
    return redirect(url_for(".period_list"))
