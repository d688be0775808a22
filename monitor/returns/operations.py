"""Named state changes of a yearly return. They check what is allowed, never commit, never read the request.

The actor is passed in, so the web views, CLI, Excel import, scheduler and tests all call the same code.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from sqlalchemy import select

from forms import Issue, ReturnDefinition, ValidationResult, get_definition, validate
from forms.schema import path_root

from ..audit.operations import record_event
from ..auth.models import User
from ..clock import riga_today
from ..database import reading_request
from ..extensions import db
from ..models_base import utcnow
from ..periods.deadlines import effective_deadline
from ..periods.models import ReportingPeriod
from ..refusals import OperationRefused
from ..registry.models import Municipality
from .edit import DROP, EditPlan, plan_edit
from .models import AnnualReturn, ChangeLog, ReturnStatus, WarningNote
from .notifications import notify_submitted
from .queries import changes_since, find_return
from .storage import CHECKS, Change, answers_key, apply_edit, load_answers
from .workflow import Action, check


@dataclass
class SaveOutcome:
    saved: bool
    result: ValidationResult
    changes: list[Change] = field(default_factory=list)
    conflicts: list[ChangeLog] = field(default_factory=list)  # others' changes to answers this user changed too
    merged: dict[str, Any] = field(default_factory=dict)  # the section's answers to show (user's + others')
    taken_over: list[ChangeLog] = field(default_factory=list)  # others' changes kept in a merged save
    not_kept: list[Issue] = field(default_factory=list)  # answers to questions that do not apply: not stored


@dataclass
class SubmitOutcome:
    submitted: bool
    result: ValidationResult
    conflicts: list[ChangeLog] = field(default_factory=list)


def definition_for(ret: AnnualReturn) -> ReturnDefinition:
    return get_definition(ret.year)


def previous_answers(municipality: Municipality, year: int) -> dict[str, Any] | None:
    """Last year's answers (typed), for year-on-year warnings; None when there is no such return."""
    return _previous(municipality, year)[0]


def _previous(municipality: Municipality, year: int) -> tuple[dict[str, Any] | None, tuple[Any, ...] | None]:
    """Last year's answers and their cache key (None, None without a return or a definition of that year)."""
    prev = find_return(municipality, year - 1)
    if prev is None:
        return None, None
    try:
        definition = get_definition(prev.year)
    except KeyError:  # a year without a definition in this codebase (e.g. imported history)
        return None, None
    return load_answers(prev, definition), answers_key(prev, definition)


class StoredReturn:
    """What the pages of one return read: its answers, last year's, and (when asked for) the submit-mode check of
    the answers — errors, warnings, what is missing; the progress of every section comes from it."""

    def __init__(self, definition: ReturnDefinition, values: dict[str, Any], previous: dict[str, Any] | None,
                 key: tuple[Any, ...] | None) -> None:
        self.definition, self.values, self.previous, self._key = definition, values, previous, key
        self._checked: ValidationResult | None = None

    @property
    def checked(self) -> ValidationResult:
        if self._checked is None:
            cached = CHECKS.peek(self._key) if self._key else None
            if cached is None:
                cached = validate(self.definition, self.values, submit=True, previous=self.previous)
                if self._key and reading_request():
                    CHECKS.get(self._key, lambda: cached)
            self._checked = copy.deepcopy(cached)
        return self._checked


def stored_return(ret: AnnualReturn, definition: ReturnDefinition | None = None) -> StoredReturn:
    """The return's answers, last year's and their check, each read and validated once per version: a reading
    request caches them (``storage.load_answers``); a writing request may use what is cached, never adds to it."""
    definition = definition or definition_for(ret)
    values = load_answers(ret, definition)
    previous, previous_key = _previous(ret.municipality, ret.year)
    own_key = answers_key(ret, definition)
    return StoredReturn(definition, values, previous, (own_key, previous_key) if own_key else None)


def ensure_editable(ret: AnnualReturn) -> None:
    """Refuse (with the reason) unless the return may be changed now."""
    if ret.is_editable:
        return
    if ret.status == ReturnStatus.APPROVED:
        raise OperationRefused(
            "locked", "Šis pārskats ir apstiprināts un slēgts labošanai. Ja kas jālabo, sazinieties ar "
            "administratoru, kas var to atvērt atkārtoti.",
            "This return has been approved and is locked. If something must be corrected, ask the administrator "
            "to reopen it.",
        )
    raise OperationRefused(
        "not_editable", "Šis pārskats ir iesniegts un gaida izvērtēšanu, tāpēc to pašlaik nevar labot.",
        "This return has been submitted and is waiting for review, so it cannot be edited now.",
    )


def start_return(
    municipality: Municipality, period: ReportingPeriod, actor: User, *, from_last_year: bool = False,
    is_demo: bool = False,
) -> AnnualReturn:
    """Create the draft return of ``municipality`` for ``period`` (empty, or with last year's answers)."""
    if riga_today() < period.opens_on:
        raise OperationRefused(
            "not_open", f"{period.year}. gada pārskatu varēs sākt aizpildīt no {period.opens_on:%d.%m.%Y}.",
            f"The {period.year} return can be started from {period.opens_on:%d.%m.%Y}.",
        )
    if find_return(municipality, period.year) is not None:
        raise OperationRefused(
            "exists", "Šī gada pārskats jau ir izveidots.", "The return for this year already exists."
        )
    definition = get_definition(period.year)
    ret = AnnualReturn(
        municipality_id=municipality.id, year=period.year, status=ReturnStatus.DRAFT, version=1,
        definition_version=definition.version, created_by_id=actor.id, is_demo=is_demo,
    )
    db.session.add(ret)
    db.session.flush()
    copied: list[Any] = []
    dropped: list[Issue] = []
    if from_last_year:
        plan = last_year_plan(municipality, period.year)
        if plan is None:
            raise OperationRefused(
                "no_previous", "Iepriekšējā gada pārskata nav, tāpēc nav ko pārņemt.",
                "There is no return for last year to start from.",
            )
        dropped = plan.dropped + plan.not_kept
        copied = apply_edit(ret, definition, plan, actor_id=actor.id, source="copy", current={})
    record_event("return_started", actor, municipality_id=municipality.id, return_id=ret.id,
                 detail={"year": period.year, "from_last_year": from_last_year, "values_copied": len(copied),
                         "not_copied": sorted({path_root(i.path) for i in dropped})})
    return ret


def last_year_plan(municipality: Municipality, year: int) -> EditPlan | None:
    """Last year's answers as the start of an empty ``year`` return (None: there is no return for last year).

    What "start from last year" stores, and what the Excel template of a return not yet started holds when asked
    for last year's answers. Last year's values may not fit a changed definition: what does not fit is left blank,
    and listed (``dropped``, ``not_kept``)."""
    prev = find_return(municipality, year - 1)
    if prev is None:
        return None
    definition = get_definition(year)
    return plan_edit(definition, {}, carried_over(load_answers(prev, get_definition(prev.year)), definition),
                     on_invalid=DROP)


def carried_over(previous: Mapping[str, Any], definition: ReturnDefinition) -> dict[str, Any]:
    """Last year's answers that this year's definition asks again and that are not flows of the year (not yet
    validated against this year's definition: ``plan_edit`` does that)."""
    out: dict[str, Any] = {}
    for f in definition.iter_fields():
        if f.key not in previous or not definition.carries_over(f.key):
            continue
        if f.is_group:
            rows = []
            for row in previous[f.key] or []:
                kept = {c.key: row.get(c.key) for c in f.fields if definition.carries_over(f.key, c.key)}
                kept["_uid"] = row.get("_uid")
                rows.append(kept)
            out[f.key] = rows
        else:
            out[f.key] = previous[f.key]
    return out


def save_section(
    ret: AnnualReturn,
    section_key: str,
    raw: Mapping[str, Any],
    *,
    base_version: int,
    actor: User,
    previous: Mapping[str, Any] | None = None,
    current: Mapping[str, Any] | None = None,
    fingerprints: Mapping[str, str] | None = None,
) -> SaveOutcome:
    """Validate and store one section of an editable return.

    The merge rule is ``edit.plan_edit``'s, the same for every caller: when someone else changed answers of this
    section since ``base_version``, an answer equal to theirs is agreement; an answer the user did not change
    (its fingerprint equals the one the form was shown with) takes the other person's value, and the save goes
    on; answers both changed differently are a conflict — nothing is stored, and the caller shows the other
    person's values while keeping the user's input (``SaveOutcome.merged``). Without fingerprints every answer
    counts as changed. Nothing is stored either when the section has errors (other than answers still to be
    given). Answers to questions that do not apply are not stored and are listed in ``SaveOutcome.not_kept``.
    """
    ensure_editable(ret)
    definition = definition_for(ret)
    keys = [f.key for f in definition.section(section_key).fields]
    if current is None:  # the caller may pass the answers it loaded (under the row lock) to save a query
        current = load_answers(ret, definition)
    # a field the form did not send is blank (an unticked box), except a table, which the page may not show
    posted = {k: raw[k] if k in raw else (current.get(k) if definition.field(k).is_group else None) for k in keys}
    since = changes_since(ret, base_version) if base_version != ret.version else []
    others = [c for c in since if c.user_id != actor.id]  # the editor's own earlier saves are not someone else's
    plan = plan_edit(definition, current, posted, others={path_root(c.field_path) for c in others},
                     own={path_root(c.field_path) for c in since if c.user_id == actor.id},
                     shown=fingerprints, previous=previous, scope=(section_key,))
    if plan.conflicts:
        return SaveOutcome(saved=False, result=plan.result, merged=plan.posted,
                           conflicts=[c for c in others if path_root(c.field_path) in plan.conflicts])
    if not plan.can_apply:
        return SaveOutcome(saved=False, result=plan.result, merged=plan.posted)
    changes = apply_edit(ret, definition, plan, actor_id=actor.id, source="web", current=current)
    return SaveOutcome(saved=True, result=plan.result, changes=changes, merged=plan.posted,
                       taken_over=[c for c in others if path_root(c.field_path) in plan.kept_theirs],
                       not_kept=plan.not_kept)


def submit_return(
    ret: AnnualReturn,
    *,
    base_version: int,
    actor: User,
    notes: Mapping[tuple[str, str], str] | None = None,
    previous: Mapping[str, Any] | None = None,
    today: dt.date | None = None,
) -> SubmitOutcome:
    """Submit (or resubmit) a complete return. Errors block; warnings do not, and their explanations are stored.

    A first submission after the municipality's effective deadline is accepted and marked late.
    """
    transition = check(ret, Action.SUBMIT, actor)
    definition = definition_for(ret)
    result = validate(definition, load_answers(ret, definition), submit=True, previous=previous)
    if base_version != ret.version:
        conflicts = changes_since(ret, base_version)
        if not conflicts:  # the state changed (e.g. it was sent back meanwhile), not the answers
            raise OperationRefused("stale", "Kamēr lapa bija atvērta, pārskata stāvoklis mainījās. Atjaunojiet lapu.",
                                   "The return's state changed while the page was open. Reload the page.")
        return SubmitOutcome(submitted=False, result=result, conflicts=conflicts)
    if result.errors:
        return SubmitOutcome(submitted=False, result=result)
    save_warning_notes(ret, result, notes or {}, actor)
    now = utcnow()
    if ret.first_submitted_at is None:
        ret.first_submitted_at = now
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == ret.year))
        deadline = effective_deadline(period, ret.municipality_id) if period else None
        ret.is_late = bool(deadline and (today or riga_today()) > deadline)  # accepted, but marked late
    ret.status = transition.target
    ret.submitted_at = now
    ret.submission_count += 1
    ret.version += 1
    ret.submitted_version = ret.version
    action = "return_resubmitted" if transition.target == ReturnStatus.RESUBMITTED else "return_submitted"
    record_event(action, actor, municipality_id=ret.municipality_id, return_id=ret.id,
                 detail={"year": ret.year, "version": ret.version, "round": ret.submission_count,
                         "warnings": len(result.warnings), "late": ret.is_late})
    notify_submitted(ret)
    return SubmitOutcome(submitted=True, result=result)


def save_warning_notes(
    ret: AnnualReturn, result: ValidationResult, notes: Mapping[tuple[str, str], str], actor: User
) -> None:
    """Keep one explanation per current warning; explanations of warnings that went away are removed."""
    current = {(w.path, w.code) for w in result.warnings}
    existing = {
        (n.path, n.code): n for n in db.session.scalars(select(WarningNote).where(WarningNote.return_id == ret.id))
    }
    for key, note in existing.items():
        if key not in current:
            db.session.delete(note)
    for key in current:
        text = (notes.get(key) or "").strip()[:2000]
        note = existing.get(key)
        if not text:
            continue
        if note is None:
            db.session.add(WarningNote(return_id=ret.id, path=key[0], code=key[1], comment=text, user_id=actor.id))
        elif note.comment != text:
            note.comment, note.user_id, note.updated_at = text, actor.id, utcnow()


def warning_notes(ret: AnnualReturn) -> dict[tuple[str, str], WarningNote]:
    return {(n.path, n.code): n for n in db.session.scalars(select(WarningNote).where(WarningNote.return_id == ret.id))}
