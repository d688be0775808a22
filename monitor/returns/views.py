"""Pages of the yearly return: list, overview, one page per section, submission check, history.

Views are thin: they parse input, call an operation, commit, redirect (or re-render with the user's input).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from forms import get_definition, validate
from forms.progress import progress_of, section_progress

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
    if request.method == "POST":
        _require_edit(municipality)
        db.session.refresh(ret, with_for_update=True)  # concurrent saves of this return queue up here
        if not ret.is_editable:
            flash(_("This return has been submitted, so it can no longer be edited."), "error")
            return redirect(url_for(".overview", slug=slug, year=year))
    page = _SectionPage(municipality, period, ret, definition, sec)
    if request.method == "GET":
        return page.render(page.stored, page.checked.as_draft().issues)
    raw = presenters.collect_section(sec, request.form)
    base_version = request.form.get("base_version", type=int) or 0
    action = request.form.get("action", "save")
    shown = dict(page.stored)
    shown.update(raw)
    if action.startswith("add:") or action.startswith("remove:"):
        notice = _change_rows(sec, raw, action)
        # nothing was checked yet: problems are shown after a save
        return page.render(shown, [], notice=notice, base_version=base_version)
    outcome = save_section(ret, section_key, raw, base_version=base_version, actor=_user(),
                           previous=page.previous, current=page.stored)
    if outcome.saved:
        db.session.commit()
        count = len(outcome.changes)
        flash(ngettext("Saved: %(num)d answer changed.", "Saved: %(num)d answers changed.", count) if count
              else _("Saved. Nothing had changed."), "success")
        keys = [s.key for s in definition.sections]
        if action == "save_next":
            if keys.index(section_key) + 1 == len(keys):
                return redirect(url_for(".submit", slug=slug, year=year))
            section_key = keys[keys.index(section_key) + 1]
        return redirect(url_for(".section", slug=slug, year=year, section_key=section_key))
    db.session.rollback()  # nothing was written; this also releases the row lock
    conflicts = _describe_conflicts(definition, outcome.conflicts) if outcome.conflicts else []
    return page.render(
        shown, outcome.result.issues, conflicts=conflicts, failed=True,
        base_version=ret.version if conflicts else base_version, status=409 if conflicts else 422,
    )


class _SectionPage:
    """What every render of a section page needs; the return is loaded and validated once per request."""

    def __init__(self, municipality: Any, period: Any, ret: AnnualReturn, definition: Any, sec: Any) -> None:
        self.municipality, self.period, self.ret, self.definition, self.section = (
            municipality, period, ret, definition, sec)
        self.previous = previous_answers(municipality, ret.year)
        self.stored = load_answers(ret, definition)
        self.can_edit = may_edit(_user(), municipality) and ret.is_editable
        self._checked: Any = None

    @property
    def checked(self) -> Any:
        """Submit-mode validation of the stored answers (progress, and the draft issues on a plain view)."""
        if self._checked is None:
            self._checked = validate(self.definition, self.stored, submit=True, previous=self.previous)
        return self._checked

    def render(self, values: dict[str, Any], issues: list[Any], *, notice: str | None = None,
               conflicts: list[Any] | None = None, base_version: int | None = None, failed: bool = False,
               status: int = 200):  # type: ignore[no-untyped-def]
        definition, sec = self.definition, self.section
        # this section's issues; an issue about the whole return ("" path) only after a failed save
        shown = [i for i in issues if (definition.section_of(i.path) == sec.key if i.path else failed)]
        by_path: dict[str, list[Any]] = {}
        for issue in shown:
            by_path.setdefault(issue.path, []).append(issue)
        index = [s.key for s in definition.sections].index(sec.key)
        return render_template(
            "returns/section.html",
            municipality=self.municipality, period=self.period, ret=self.ret, definition=definition, section=sec,
            values=values, issues=shown, by_path=by_path,
            group_issues={f.key: by_path.get(f.key, []) for f in sec.fields}, can_edit=self.can_edit,
            notice=notice, conflicts=conflicts or [], failed=failed,
            base_version=self.ret.version if base_version is None else base_version,
            progress=progress_of(definition, self.checked),
            prev_section=definition.sections[index - 1] if index > 0 else None,
            next_section=definition.sections[index + 1] if index + 1 < len(definition.sections) else None,
        ), status


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
