"""Pages of the yearly return: list, overview, one page per section, submission check, history.

Views are thin: they parse input, call an operation, commit, redirect (or re-render with the user's input).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required

from forms import get_definition, validate
from forms.progress import progress_of

from ..auth.models import Role, User
from ..clock import riga_today
from ..extensions import db
from ..locale import current_locale
from ..mail.dispatch import send_queued_for
from ..periods.deadlines import effective_deadline
from ..periods.queries import period_or_404, periods
from ..refusals import OperationRefused
from ..review.operations import answer_comments, check_replies
from ..review.queries import by_field, comments_for, last_decision
from . import presenters
from .edit import fingerprint
from .models import AnnualReturn
from .operations import (
    ensure_editable, previous_answers, save_section, start_return, stored_return, submit_return, warning_notes,
)
from .queries import (
    default_period, find_return, history, history_page, may_edit, municipality_or_404, return_years, returns_table,
)

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
    if user.role == Role.RESEARCHER:  # researchers work with the aggregated reports, not with single returns
        return redirect(url_for("reports.index"))
    all_periods = periods()
    year = request.args.get("year", type=int)
    period = next((p for p in all_periods if p.year == year), None) or default_period(user)
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
        "previous_exists": previous_exists, "years": return_years(municipality),
    }
    if ret is not None:
        definition = get_definition(year)
        comments = comments_for(ret, _user())
        context.update(
            definition=definition, progress=progress_of(definition, stored_return(ret, definition).checked),
            recent=[_history_row(log, name, definition, current_locale()) for log, name in history(ret, 5)],
            decision=last_decision(ret),
            general_comments=[c for c in comments if not c[0].section_key],
            comment_counts={s.key: sum(1 for c in comments if c[0].section_key == s.key
                                       and c[0].submission_round == ret.submission_count)
                            for s in definition.sections})
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
    if request.method == "GET":
        page = _SectionPage(municipality, period, ret, definition, sec)
        return page.render(page.stored, page.checked.as_draft().issues)
    _require_edit(municipality)
    db.session.refresh(ret, with_for_update=True)  # concurrent saves of this return queue up here
    page = _SectionPage(municipality, period, ret, definition, sec)
    try:
        raw = presenters.collect_section(sec, request.form)
    except presenters.BadForm:
        abort(400)
    shown = {**page.stored, **raw}
    try:
        ensure_editable(ret)
    except OperationRefused as exc:
        # submitted or approved meanwhile: show what was typed (nothing is lost from view), read-only, with why
        page.can_edit = False
        return page.render(validate(definition, shown).values, [], notice=exc.text(current_locale()), status=409)
    base_version = request.form.get("base_version", type=int)
    if base_version is None or not 1 <= base_version <= ret.version:
        abort(400)
    action = request.form.get("action", "save")
    replies = _posted_replies()
    if action.startswith("add:") or action.startswith("remove:"):
        notice = _change_rows(sec, raw, action)
        # nothing was checked yet: problems are shown after a save
        return page.render({**page.stored, **raw}, [], notice=notice, base_version=base_version, replies=replies,
                           fingerprints=request.form.get("fingerprints", ""))
    try:
        check_replies(replies)
    except OperationRefused as exc:
        return page.render({**page.stored, **raw}, [], notice=exc.text(current_locale()), base_version=base_version,
                           replies=replies, fingerprints=request.form.get("fingerprints", ""), status=422)
    fingerprints = _parse_fingerprints(request.form.get("fingerprints"))
    raw = presenters.without_blank_rows(sec, raw)  # the rows shown again are the rows that were validated
    outcome = save_section(ret, section_key, raw, base_version=base_version,
                           actor=_user(), previous=page.previous, current=page.stored, fingerprints=fingerprints)
    if outcome.saved and replies:
        answer_comments(ret, _user(), {k: v for k, v in replies.items() if k in page.comment_ids})
    if outcome.saved:
        db.session.commit()
        count = len(outcome.changes)
        flash(ngettext("Saved: %(num)d answer changed.", "Saved: %(num)d answers changed.", count) if count
              else _("Saved. Nothing had changed."), "success")
        if outcome.taken_over:
            flash(_("Meanwhile another user changed other answers of this section; their answers were kept: "
                    "%(answers)s.", answers=", ".join(sorted({c["label"] for c in _describe_conflicts(
                        definition, outcome.taken_over)}))), "info")
        for note in outcome.not_kept:  # typed into a question that does not apply: say so, never drop silently
            flash(note.text(current_locale()), "info")
        keys = [s.key for s in definition.sections]
        if action == "save_next":
            if keys.index(section_key) + 1 == len(keys):
                return redirect(url_for(".submit", slug=slug, year=year))
            section_key = keys[keys.index(section_key) + 1]
        return redirect(url_for(".section", slug=slug, year=year, section_key=section_key))
    db.session.rollback()  # nothing was written; this also releases the row lock
    conflicts = _describe_conflicts(definition, outcome.conflicts) if outcome.conflicts else []
    shown = {**page.stored, **raw, **({k: v for k, v in outcome.merged.items() if k not in _user_keys(outcome)}
                                      if conflicts else {})}
    return page.render(
        shown, outcome.result.issues, conflicts=conflicts, failed=True, replies=replies,
        # after a conflict the form is based on the current version: saving again stores what it shows
        base_version=ret.version if conflicts else base_version,
        fingerprints=None if conflicts else request.form.get("fingerprints", ""), status=409 if conflicts else 422,
    )


def _posted_replies() -> dict[int, str]:
    """The municipality's answers to the reviewer's comments, posted as ``reply::<comment id>``."""
    return {int(k[len("reply::"):]): v for k, v in request.form.items()
            if k.startswith("reply::") and k[len("reply::"):].isdigit()}


@bp.route("/<slug>/<int:year>/replies", methods=["POST"])
@login_required
def replies(slug: str, year: int):  # type: ignore[no-untyped-def]
    """Answers to comments about the whole return (shown on the overview page)."""
    municipality, period, ret = _return_or_404(slug, year)
    _require_edit(municipality)
    db.session.refresh(ret, with_for_update=True)
    try:
        posted = _posted_replies()
        check_replies(posted)
        count = answer_comments(ret, _user(), posted)
    except OperationRefused as exc:
        db.session.rollback()
        flash(exc.text(current_locale()), "error")
        return redirect(url_for(".overview", slug=slug, year=year))
    db.session.commit()
    flash(ngettext("%(num)d answer saved.", "%(num)d answers saved.", count) if count else
          _("Nothing had changed."), "success")
    return redirect(url_for(".overview", slug=slug, year=year))


def _user_keys(outcome: Any) -> set[str]:
    """The answers in conflict (both changed): the form keeps the user's input for those."""
    from forms.schema import path_root

    return {path_root(c.field_path) for c in outcome.conflicts}


def _parse_fingerprints(text: str | None) -> dict[str, str] | None:
    if not text:
        return None
    pairs = (item.split(":", 1) for item in text.split(";") if ":" in item)
    return {k: v for k, v in pairs}


class _SectionPage:
    """What every render of a section page needs; the return is loaded and validated once per request."""

    def __init__(self, municipality: Any, period: Any, ret: AnnualReturn, definition: Any, sec: Any) -> None:
        self.municipality, self.period, self.ret, self.definition, self.section = (
            municipality, period, ret, definition, sec)
        self._stored = stored_return(ret, definition)
        self.previous, self.stored = self._stored.previous, self._stored.values
        self.can_edit = may_edit(_user(), municipality) and ret.is_editable
        # the reviewer's comments on this section (and its questions), shown beside them
        self.comments = [c for c in comments_for(ret, _user()) if c[0].section_key == sec.key]
        self.comment_ids = {c.id for c, _a, _r in self.comments}

    @property
    def checked(self) -> Any:
        """Submit-mode validation of the stored answers (progress, and the draft issues on a plain view)."""
        return self._stored.checked

    def render(self, values: dict[str, Any], issues: list[Any], *, notice: str | None = None,
               conflicts: list[Any] | None = None, base_version: int | None = None, failed: bool = False,
               replies: dict[int, str] | None = None, fingerprints: str | None = None,
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
            notice=notice, conflicts=conflicts or [], failed=failed, replies=replies or {},
            # the fingerprints of the answers as the user first saw them (kept across re-renders of one edit)
            fingerprints=fingerprints if fingerprints is not None else ";".join(
                f"{f.key}:{fingerprint(self.stored.get(f.key))}" for f in sec.fields),
            field_comments=by_field(self.comments), section_comments=[c for c in self.comments if not
                                                                       c[0].field_path],
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
    group = next((f for f in sec.fields if f.key == group_key), None)
    if group is None or not group.is_group:
        abort(400)
    rows = raw[group_key]
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
            send_queued_for(ret.id)
            flash(_("The return has been submitted. Thank you! The planning region will review it."), "success")
            return redirect(url_for(".overview", slug=slug, year=year))
        db.session.rollback()
        notes.update(posted)
        result = outcome.result
        conflicts = _describe_conflicts(definition, outcome.conflicts)
        status = 409 if conflicts else 422
    else:
        result = stored_return(ret, definition).checked
    return render_template(
        "returns/submit.html", municipality=municipality, period=period, ret=ret, definition=definition,
        result=result, notes=notes, can_edit=can_edit, conflicts=conflicts,
        section_of=definition.section_of, submitted_attempt=request.method == "POST",
        period_deadline=effective_deadline(period, municipality.id) if ret.first_submitted_at is None else None,
        today=riga_today(),
    ), status


@bp.route("/<slug>/<int:year>/history")
@login_required
def changes(slug: str, year: int):  # type: ignore[no-untyped-def]
    municipality, period, ret = _return_or_404(slug, year)
    page = history_page(ret, request.args.get("page", 1, type=int) or 1)
    definition, locale = get_definition(year), current_locale()
    return render_template("returns/history.html", municipality=municipality, period=period, ret=ret, page=page,
                           rows=[_history_row(log, name, definition, locale) for log, name in page.rows])


def _history_row(log: Any, name: str | None, definition: Any, locale: str) -> dict[str, Any]:
    return {
        "at": log.changed_at,
        "who": name or _("system"),
        "label": presenters.path_label(definition, log.field_path, locale),
        "old": presenters.display_logged(definition, log.field_path, log.old_value, locale),
        "new": presenters.display_logged(definition, log.field_path, log.new_value, locale),
        "source": log.source,
        "version": log.version,
    }
