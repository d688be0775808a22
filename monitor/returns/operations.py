"""Named state changes of a yearly return. They check what is allowed, never commit, never read the request.

The actor is passed in, so the web views, CLI, Excel import, scheduler and tests all call the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from sqlalchemy import select

from forms import ReturnDefinition, ValidationResult, get_definition, validate
from forms.schema import path_root

from ..audit.operations import record_event
from ..auth.models import User
from ..extensions import db
from ..models_base import utcnow
from ..registry.models import Municipality
from .models import AnnualReturn, ChangeLog, ReportingPeriod, ReturnStatus, WarningNote
from .queries import changes_since, find_return
from .storage import load_answers, write_answers


class OperationRefused(Exception):
    """An operation is not allowed; ``lv``/``en`` say why, in words the user understands."""

    def __init__(self, code: str, lv: str, en: str) -> None:
        super().__init__(code)
        self.code = code
        self.lv = lv
        self.en = en

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv


@dataclass
class SaveOutcome:
    saved: bool
    result: ValidationResult
    changes: list[ChangeLog] = field(default_factory=list)
    conflicts: list[ChangeLog] = field(default_factory=list)  # others' changes to this section since base


@dataclass
class SubmitOutcome:
    submitted: bool
    result: ValidationResult
    conflicts: list[ChangeLog] = field(default_factory=list)


def definition_for(ret: AnnualReturn) -> ReturnDefinition:
    return get_definition(ret.year)


def previous_answers(municipality: Municipality, year: int) -> dict[str, Any] | None:
    """Last year's answers (typed), for year-on-year warnings; None when there is no such return."""
    prev = find_return(municipality, year - 1)
    if prev is None:
        return None
    try:
        return load_answers(prev, get_definition(prev.year))
    except KeyError:  # a year without a definition in this codebase (e.g. imported history)
        return None


def _refuse_unless_editable(ret: AnnualReturn) -> None:
    if not ret.is_editable:
        raise OperationRefused(
            "not_editable",
            "Šis pārskats jau ir iesniegts, tāpēc to vairs nevar labot.",
            "This return has been submitted, so it can no longer be edited.",
        )


def start_return(
    municipality: Municipality, period: ReportingPeriod, actor: User, *, from_last_year: bool = False,
    is_demo: bool = False,
) -> AnnualReturn:
    """Create the draft return of ``municipality`` for ``period`` (empty, or with last year's answers)."""
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
    copied = 0
    if from_last_year:
        prev = find_return(municipality, period.year - 1)
        if prev is None:
            raise OperationRefused(
                "no_previous", "Iepriekšējā gada pārskata nav, tāpēc nav ko pārņemt.",
                "There is no return for last year to start from.",
            )
        values = carried_over(load_answers(prev, get_definition(prev.year)), definition)
        copied = len(write_answers(ret, definition, values, values.keys(), actor_id=actor.id, source="copy",
                                   current={}))
    record_event("return_started", actor, municipality_id=municipality.id, return_id=ret.id,
                 detail={"year": period.year, "from_last_year": from_last_year, "values_copied": copied})
    return ret


def carried_over(previous: Mapping[str, Any], definition: ReturnDefinition) -> dict[str, Any]:
    """Last year's answers that this year's definition asks again and that are not flows of the year."""
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
    # re-validate: last year's values may not fit a changed definition; what does not fit is left blank
    result = validate(definition, out)
    bad = {path_root(i.path) for i in result.issues if i.blocks_draft}
    return {k: v for k, v in result.values.items() if k in out and k not in bad}


def save_section(
    ret: AnnualReturn,
    section_key: str,
    raw: Mapping[str, Any],
    *,
    base_version: int,
    actor: User,
    previous: Mapping[str, Any] | None = None,
    current: Mapping[str, Any] | None = None,
) -> SaveOutcome:
    """Validate and store one section of a draft.

    Nothing is stored when the section has errors (other than missing answers), or when someone else has
    changed a field of this section since ``base_version`` (the caller shows those changes and keeps the input).
    """
    _refuse_unless_editable(ret)
    definition = definition_for(ret)
    section = definition.section(section_key)
    keys = [f.key for f in section.fields]
    if current is None:  # the caller may pass the answers it loaded (under the row lock) to save a query
        current = load_answers(ret, definition)
    merged = dict(current)
    merged.update({k: raw.get(k) for k in keys})
    result = validate(definition, merged, previous=previous)
    blocking = [i for i in result.issues if i.blocks_draft and _in_section(definition, i.path, section_key)]
    conflicts = [
        c for c in changes_since(ret, base_version) if path_root(c.field_path) in keys
    ] if base_version != ret.version else []
    if blocking or conflicts:
        return SaveOutcome(saved=False, result=result, conflicts=conflicts)
    changes = write_answers(ret, definition, result.values, keys, actor_id=actor.id, current=current)
    return SaveOutcome(saved=True, result=result, changes=changes)


def _in_section(definition: ReturnDefinition, path: str, section_key: str) -> bool:
    return not path or definition.section_of(path) == section_key


def submit_return(
    ret: AnnualReturn,
    *,
    base_version: int,
    actor: User,
    notes: Mapping[tuple[str, str], str] | None = None,
    previous: Mapping[str, Any] | None = None,
) -> SubmitOutcome:
    """Submit a complete draft. Errors block; warnings do not, and their explanations are stored."""
    _refuse_unless_editable(ret)
    definition = definition_for(ret)
    result = validate(definition, load_answers(ret, definition), submit=True, previous=previous)
    if base_version != ret.version:
        return SubmitOutcome(submitted=False, result=result, conflicts=changes_since(ret, base_version))
    if result.errors:
        return SubmitOutcome(submitted=False, result=result)
    save_warning_notes(ret, result, notes or {}, actor)
    ret.status = ReturnStatus.SUBMITTED
    ret.submitted_at = utcnow()
    ret.version += 1
    record_event("return_submitted", actor, municipality_id=ret.municipality_id, return_id=ret.id,
                 detail={"year": ret.year, "warnings": len(result.warnings)})
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
