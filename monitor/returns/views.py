"""Pages of the yearly return: list, overview, one page per section, submission check, history.

Views are thin: they parse input, call an operation, commit, redirect (or re-render with the user's input).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from forms import get_definition, validate
from forms.progress import section_progress

from ..auth.models import Role, User
from ..extensions import db
from ..templating import current_locale
from . import presenters
from .models import AnnualReturn
from .operations import (
    OperationRefused, previous_answers, save_section, start_return, submit_return, warning_notes,
)
from .queries import (
    current_period, find_return, history, may_edit, municipality_or_404, period_or_404, periods, returns_table,
)
from .storage import load_answers

bp = Blueprint("returns", __name__, url_prefix="/returns")


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _load(slug: str, year: int) -> tuple[Any, Any, AnnualReturn | None]:
    """Municipality (scoped: 404 if not visible), period (404 if none), and the return if started."""
    municipality = municipality_or_404(_user(), slug)
    period = period_or_404(year)
    return municipality, period, find_return(municipality, year)


def _return_or_404(slug: str, year: int) -> tuple[Any, Any, AnnualReturn]:
    municipality, period, ret = _load(slug, year)
    if ret is None:
        abort(404)
    return municipality, period, ret


def _require_edit(municipality: Any) -> None:
    if not may_edit(_user(), municipality):
        abort(403)


@bp.route("/")
@login_required
def index():  # type: ignore[no-untyped-def]
    user = _user()
    if user.role == Role.RESEARCHER:
        return render_template("returns/researcher.html")
    all_periods = periods()
    year = request.args.get("year", type=int)
    period = next((p for p in all_periods if p.year == year), None) or current_period() or (
        all_periods[0] if all_periods else None)
    if period is None:
        return render_template("returns/index.html", rows=[], period=None, periods=[])
    if user.role == Role.EDITOR and year is None:
        return redirect(url_for(".overview", slug=user.municipality.slug, year=period.year))
    rows = returns_table(user, period.year)
    return render_template("returns/index.html", rows=rows, period=period, periods=all_periods)


@bp.route("/<slug>/<int:year>")
@login_required
def overview(slug: str, year: int):  # type: ignore[no-untyped-def]
    municipality, period, ret = _load(slug, year)
    previous_exists = find_return(municipality, year - 1) is not None
    context: dict[str, Any] = {
        "municipality": municipality, "period": period, "ret": ret, "can_edit": may_edit(_user(), municipality),
        "previous_exists": previous_exists,
    }
    if ret is not None:
        definition = get_definition(year)
        values = load_answers(ret, definition)
        context.update(definition=definition, progress=section_progress(
            definition, values, previous_answers(municipality, year)),
            recent=_history_rows(ret, definition, limit=5))
    return render_template("returns/overview.html", **context)


@bp.route("/<slug>/<int:year>/start", methods=["POST"])
@login_required
def start(slug: str, year: int):  # type: ignore[no-untyped-def]
    municipality, period, ret = _load(slug, year)
    _require_edit(municipality)
    try:
        ret = start_return(municipality, period, _user(), from_last_year=request.form.get("from_last_year") == "1")
    except OperationRefused as exc:
        flash(exc.text(current_locale()), "error")
        return redirect(url_for(".overview", slug=slug, year=year))
    db.session.commit()
    definition = get_definition(year)
    flash(_("The return has been created. Start with the first section.") if ret.version == 1 else
          _("Last year's answers have been copied. Check every section: figures for the year itself "
            "(money spent, people, events) are left empty."), "success")
    return redirect(url_for(".section", slug=slug, year=year, section_key=definition.sections[0].key))


@bp.route("/<slug>/<int:year>/sections/<section_key>", methods=["GET", "POST"])
@login_required
def section(slug: str, year: int, section_key: str):  # type: ignore[no-untyped-def]
    municipality, period, ret = _return_or_404(slug, year)
    definition = get_definition(year)
    try:
        sec = definition.section(section_key)
    except KeyError:
        abort(404)
    can_edit = may_edit(_user(), municipality) and ret.is_editable
    previous = previous_answers(municipality, year)
    stored = load_answers(ret, definition)
    notice = None
    conflicts: list[Any] = []
    if request.method == "GET":
        result = validate(definition, stored, previous=previous)
        return _render_section(municipality, period, ret, definition, sec, stored, result, can_edit, previous)
    _require_edit(municipality)
    db.session.refresh(ret, with_for_update=True)  # concurrent saves of this return queue up here
    if not ret.is_editable:
        flash(_("This return has been submitted, so it can no longer be edited."), "error")
        return redirect(url_for(".overview", slug=slug, year=year))
    raw = presenters.collect_section(sec, request.form)
    base_version = request.form.get("base_version", type=int) or 0
    action = request.form.get("action", "save")
    if action.startswith("add:") or action.startswith("remove:"):
        notice = _change_rows(sec, raw, action)
        shown = dict(stored)
        shown.update(raw)
        result = validate(definition, shown, previous=previous)
        result.issues = []  # nothing was checked yet: only show problems after a save
        return _render_section(municipality, period, ret, definition, sec, shown, result, can_edit, previous,
                               notice=notice, base_version=base_version)
    outcome = save_section(ret, section_key, raw, base_version=base_version, actor=_user(), previous=previous)
    if outcome.saved:
        db.session.commit()
        count = len(outcome.changes)
        flash(ngettext("Saved: %(num)d answer changed.", "Saved: %(num)d answers changed.", count) if count
              else _("Saved. Nothing had changed."), "success")
        target = section_key
        if action == "save_next":
            keys = [s.key for s in definition.sections]
            index = keys.index(section_key)
            if index + 1 < len(keys):
                target = keys[index + 1]
            else:
                return redirect(url_for(".submit", slug=slug, year=year))
        return redirect(url_for(".section", slug=slug, year=year, section_key=target))
    db.session.rollback()
    shown = dict(stored)
    shown.update(raw)
    if outcome.conflicts:
        conflicts = _describe_conflicts(definition, outcome.conflicts)
    return _render_section(
        municipality, period, ret, definition, sec, shown, outcome.result, can_edit, previous,
        conflicts=conflicts, base_version=ret.version if conflicts else base_version, failed=True, status=409 if
        conflicts else 422,
    )


def _change_rows(sec: Any, raw: dict[str, Any], action: str) -> str:
    parts = action.split(":")
    group_key = parts[1]
    if group_key not in raw or not isinstance(raw[group_key], list):
        abort(400)
    rows = raw[group_key]
    group = sec.fields[[f.key for f in sec.fields].index(group_key)]
    if parts[0] == "add":
        if len(rows) >= group.max_rows:
            return _("No more rows can be added here.")
        rows.append({"_uid": None})
        return _("A new row has been added below. Fill it in and save.")
    try:
        del rows[int(parts[2])]
    except (IndexError, ValueError):
        abort(400)
    return _("The row has been removed from the form. Save the section to remove it from the return.")


def _describe_conflicts(definition: Any, changes: list[Any]) -> list[dict[str, Any]]:
    from ..auth.models import User as UserModel

    names = {u.id: u.name for u in db.session.query(UserModel).filter(
        UserModel.id.in_({c.user_id for c in changes if c.user_id}))}
    locale = current_locale()
    return [{
        "path": c.field_path,
        "anchor": presenters.anchor(c.field_path),
        "label": presenters.path_label(definition, c.field_path, locale),
        "value": presenters.display_logged(definition, c.field_path, c.new_value, locale),
        "who": names.get(c.user_id, "—"),
        "at": c.changed_at,
    } for c in changes]


def _render_section(
    municipality: Any, period: Any, ret: AnnualReturn, definition: Any, sec: Any, values: dict[str, Any],
    result: Any, can_edit: bool, previous: Any, *, notice: str | None = None, conflicts: list[Any] | None = None,
    base_version: int | None = None, failed: bool = False, status: int = 200,
):  # type: ignore[no-untyped-def]
    keys = {f.key for f in sec.fields}
    issues = [i for i in result.issues if i.path and definition.section_of(i.path) in (sec.key,) or
              (not i.path and failed)]
    by_path: dict[str, list[Any]] = {}
    for issue in issues:
        by_path.setdefault(issue.path, []).append(issue)
    group_issues = {k: by_path.get(k, []) for k in keys}
    stored_values = values
    index = [s.key for s in definition.sections].index(sec.key)
    return render_template(
        "returns/section.html",
        municipality=municipality, period=period, ret=ret, definition=definition, section=sec,
        values=stored_values, issues=issues, by_path=by_path, group_issues=group_issues, can_edit=can_edit,
        notice=notice, conflicts=conflicts or [], base_version=base_version if base_version is not None
        else ret.version, failed=failed,
        progress=section_progress(definition, load_answers(ret, definition), previous),
        prev_section=definition.sections[index - 1] if index > 0 else None,
        next_section=definition.sections[index + 1] if index + 1 < len(definition.sections) else None,
    ), status


@bp.route("/<slug>/<int:year>/submit", methods=["GET", "POST"])
@login_required
def submit(slug: str, year: int):  # type: ignore[no-untyped-def]
    municipality, period, ret = _return_or_404(slug, year)
    definition = get_definition(year)
    can_edit = may_edit(_user(), municipality) and ret.is_editable
    previous = previous_answers(municipality, year)
    notes = {key: n.comment for key, n in warning_notes(ret).items()}
    conflicts: list[Any] = []
    status = 200
    if request.method == "POST":
        _require_edit(municipality)
        db.session.refresh(ret, with_for_update=True)
        posted = {
            tuple(name[len("note::"):].split("::", 1)): value
            for name, value in request.form.items() if name.startswith("note::") and "::" in name[6:]
        }
        try:
            outcome = submit_return(ret, base_version=request.form.get("base_version", type=int) or 0,
                                    actor=_user(), notes=posted, previous=previous)
        except OperationRefused as exc:
            flash(exc.text(current_locale()), "error")
            return redirect(url_for(".overview", slug=slug, year=year))
        if outcome.submitted:
            db.session.commit()
            flash(_("The return has been submitted. Thank you! The planning region will review it."), "success")
            return redirect(url_for(".overview", slug=slug, year=year))
        db.session.rollback()
        notes.update(posted)
        result = outcome.result
        conflicts = _describe_conflicts(definition, outcome.conflicts)
        status = 409 if conflicts else 422
    else:
        result = validate(definition, load_answers(ret, definition), submit=True, previous=previous)
    return render_template(
        "returns/submit.html", municipality=municipality, period=period, ret=ret, definition=definition,
        result=result, notes=notes, can_edit=can_edit, conflicts=conflicts,
        section_of=definition.section_of, submitted_attempt=request.method == "POST",
    ), status


@bp.route("/<slug>/<int:year>/history")
@login_required
def changes(slug: str, year: int):  # type: ignore[no-untyped-def]
    municipality, period, ret = _return_or_404(slug, year)
    rows = _history_rows(ret, get_definition(year))
    return render_template("returns/history.html", municipality=municipality, period=period, ret=ret, rows=rows)


def _history_rows(ret: AnnualReturn, definition: Any, limit: int = 500) -> list[dict[str, Any]]:
    locale = current_locale()
    return [{
        "at": log.changed_at,
        "who": name or _("system"),
        "label": presenters.path_label(definition, log.field_path, locale),
        "old": presenters.display_logged(definition, log.field_path, log.old_value, locale),
        "new": presenters.display_logged(definition, log.field_path, log.new_value, locale),
        "source": log.source,
        "version": log.version,
    } for log, name in history(ret, limit)]
