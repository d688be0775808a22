"""The one plan for changing a return's answers: pure, no database, no request.

Every caller that changes answers — the web form's section save, the Excel template upload, the history import,
"start from last year" and the demo loader — reads its input, calls :func:`plan_edit`, re-renders or reports when
the plan is blocked, and otherwise hands the plan to ``storage.apply_edit`` (the only writer). So the merge rule,
the validation, the row matching and the list of what is not kept are the same whoever edits.

The merge rule, when others changed answers since the editor's copy was made (``others``: the top-level keys they
changed; ``shown``: a fingerprint of each answer as the editor was shown it):

- an answer equal to the stored one is never a conflict (two people typing the same value agree);
- an answer the editor left as shown (same fingerprint), while someone else changed it, keeps the other person's
  value (``kept_theirs``);
- an answer both changed, to different values, is a conflict: nothing is written — unless only the editor
  changed it since the copy (``own``: an earlier save of theirs, e.g. the same form sent twice or a second
  window): then their latest input is stored, and an answer they left as shown keeps their earlier save.

Without fingerprints every answer counts as changed by the editor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Collection, Iterable, Mapping

from forms import Issue, ReturnDefinition, ValidationResult, validate
from forms.fieldtypes import normal_decimal
from forms.schema import path_root

#: what a plan does with answers that do not validate: ``block`` the whole edit (web, Excel, import), or ``drop``
#: them and keep the stored answer, listing each with its reason (copying last year's answers into a new form)
BLOCK, DROP = "block", "drop"


# ------------------------------------------------------------------------------------------- canonical values

def jsonable(value: Any) -> Any:
    """A typed answer as JSON-ready data (Decimals as plain text, dates ISO, row uids left out)."""
    if isinstance(value, Decimal):
        return format(normal_decimal(value), "f")
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items() if k != "_uid"}
    return value


def canonical(value: Any) -> str | None:
    """The text the history stores; equal values give equal text (a blank and an empty table are ``None``)."""
    if value is None or value == []:
        return None
    return json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True)


def fingerprint(value: Any) -> str:
    """A short digest of a typed answer (rows without their uids): a form or a template carries the fingerprints
    of what it showed, so that a save can tell which answers the editor changed."""
    text = canonical(value) or ""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


# ------------------------------------------------------------------------------------------------ group rows

def _content(row: Mapping[str, Any]) -> str | None:
    return canonical({k: v for k, v in row.items() if k != "_uid"})


def match_rows(new_rows: list[dict[str, Any]], old_rows: Iterable[Mapping[str, Any]]) -> None:
    """Give a new row that has no id the id of an equal stored row that no other new row claims, so that sending
    the same rows again changes nothing (rows added in Excel or in an imported file have no id)."""
    claimed = {r.get("_uid") for r in new_rows if r.get("_uid")}
    free: dict[str | None, list[str]] = {}
    for old in old_rows:
        if old.get("_uid") and old.get("_uid") not in claimed:
            free.setdefault(_content(old), []).append(old["_uid"])
    for row in new_rows:
        if not row.get("_uid") and free.get(_content(row)):
            row["_uid"] = free[_content(row)].pop(0)


# ---------------------------------------------------------------------------------------------------- plan

@dataclass
class EditPlan:
    """What an edit would do. ``can_apply`` says whether ``storage.apply_edit`` may write it."""

    keys: tuple[str, ...]  # the top-level answers this edit writes
    values: dict[str, Any]  # the whole return after the edit (typed); group rows matched to stored ids
    result: ValidationResult  # the whole return validated after the merge
    blocking: list[Issue] = field(default_factory=list)  # errors in scope that stop the write
    conflicts: tuple[str, ...] = ()  # answers both the editor and someone else changed, differently
    kept_theirs: tuple[str, ...] = ()  # answers someone else changed and the editor did not: theirs are kept
    dropped: list[Issue] = field(default_factory=list)  # input that is not stored (with ``drop``), with the reason
    not_kept: list[Issue] = field(default_factory=list)  # answers to questions that do not apply: not stored
    posted: dict[str, Any] = field(default_factory=dict)  # the editor's input after the merge (for re-rendering)

    @property
    def can_apply(self) -> bool:
        return not self.blocking and not self.conflicts


def plan_edit(
    definition: ReturnDefinition,
    current: Mapping[str, Any],
    raw: Mapping[str, Any],
    *,
    others: Collection[str] = (),
    own: Collection[str] = (),
    shown: Mapping[str, str] | None = None,
    previous: Mapping[str, Any] | None = None,
    scope: Collection[str] | None = None,
    on_invalid: str = BLOCK,
) -> EditPlan:
    """Plan writing ``raw`` (top-level key → raw or typed answer; only these keys change) over ``current``.

    ``others``/``own``/``shown``: see the module docstring (``own``: keys changed since the copy by the editor
    alone — never a conflict). ``previous``: last year's answers, for year-on-year warnings.
    ``scope``: the section keys whose errors block (None: every error blocks; an error with no path always does).
    ``on_invalid``: ``block`` or ``drop`` (see ``BLOCK``/``DROP``).
    """
    keys = tuple(k for k in raw if definition.has_field(k))
    posted = {k: raw[k] for k in keys}
    conflicts: list[str] = []
    kept: list[str] = []
    others, own = set(others), set(own) - set(others)
    changed_by_others = [k for k in keys if k in others or k in own]
    if changed_by_others:
        typed = validate(definition, {**current, **posted}).values
        for key in changed_by_others:
            if canonical(typed.get(key)) == canonical(current.get(key)):
                continue  # the same value: agreement, not a conflict
            if shown is not None and shown.get(key) == fingerprint(typed.get(key)):
                posted[key] = current.get(key)  # left as shown: the other person's newer answer stays
                kept.append(key)
            elif key not in own:
                conflicts.append(key)
    result = validate(definition, {**current, **posted}, previous=previous)
    dropped: list[Issue] = []
    if on_invalid == DROP:
        bad = {path_root(i.path) for i in result.issues if i.blocks_draft and path_root(i.path) in posted}
        if bad:
            dropped = [i for i in result.issues if i.blocks_draft and path_root(i.path) in bad]
            posted = {k: (current.get(k) if k in bad else v) for k, v in posted.items()}
            result = validate(definition, {**current, **posted}, previous=previous)
    blocking = [i for i in result.issues if i.blocks_draft and _in_scope(definition, i.path, scope)]
    values = dict(result.values)
    for key in keys:
        f = definition.field(key)
        if f.is_group and values.get(key):
            match_rows(values[key], current.get(key) or [])
    return EditPlan(
        keys=keys, values=values, result=result, blocking=blocking, conflicts=tuple(conflicts),
        kept_theirs=tuple(kept), dropped=dropped,
        not_kept=[i for i in result.not_kept if path_root(i.path) in posted], posted=posted)


def _in_scope(definition: ReturnDefinition, path: str, scope: Collection[str] | None) -> bool:
    if scope is None or not path:
        return True
    return definition.section_of(path) in scope

