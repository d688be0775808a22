"""Typed answers ⇄ database rows, with a change-history entry for every changed value.

Values are the typed values of ``forms.validation`` (int, Decimal, date, code, list of codes, text,
``DONT_KNOW``); repeating groups are lists of row dicts carrying a stable ``_uid``.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import uuid
from typing import Any, Iterable, Mapping, NamedTuple

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from forms import DONT_KNOW, Field, ReturnDefinition
from forms.fieldtypes import FIELD_TYPES
from forms.schema import row_path

from ..caching import ReadCache
from ..database import reading_request
from ..extensions import db
from ..models_base import utcnow
from .edit import EditPlan, canonical, jsonable
from .models import AnnualReturn, Answer, ChangeLog, GroupAnswer, GroupRow

__all__ = ["SOURCES", "Change", "apply_edit", "canonical", "from_columns", "jsonable", "load_answers",
           "load_answers_bulk", "new_uid", "to_columns"]

#: where a change of answers comes from (``ChangeLog.source``)
SOURCES = frozenset({"web", "excel", "import", "copy", "demo"})

_UID_RE = re.compile(r"^[0-9a-f]{32}$")
_VALUE_COLUMNS = ("int_value", "num_value", "text_value", "code_value", "codes", "date_value", "is_dont_know")


def new_uid() -> str:
    return uuid.uuid4().hex


# ------------------------------------------------------------------------------------------ value columns

def to_columns(f: Field, value: Any) -> dict[str, Any]:
    """A typed value → the value columns of its row (the column by type: ``forms.fieldtypes``)."""
    cols: dict[str, Any] = {c: None for c in _VALUE_COLUMNS}
    cols["is_dont_know"] = False
    if value is None:
        return cols
    spec = FIELD_TYPES[f.type]
    if value == DONT_KNOW and not spec.dont_know_is_a_choice:
        cols["is_dont_know"] = True
        return cols
    cols.update(spec.encode(value))
    return cols


def from_columns(f: Field, row: Any) -> Any:
    if row is None:
        return None
    if row.is_dont_know:
        return DONT_KNOW
    spec = FIELD_TYPES[f.type]
    return spec.decode(getattr(row, spec.column))


# ------------------------------------------------------------------------------------------------- loading

#: a return's answers as committed at one version (a section page reads this year's and last year's on every view)
ANSWERS = ReadCache(256)
#: the submit-mode check (``forms.validate``) of stored answers, under the keys of this year's and last year's
#: answers (``operations.StoredReturn``, the review desk)
CHECKS = ReadCache(256)


def load_answers(ret: AnnualReturn, definition: ReturnDefinition) -> dict[str, Any]:
    """All answers of a return as typed values (the bulk reader for one return: three queries).

    Every change of answers bumps the return's version (``apply_edit``), so the answers under (id, version, time
    of the change) never change: they are cached per process. Only a reading request fills the cache — what it
    reads is committed; a writing transaction may read an entry but never adds its own, possibly uncommitted,
    answers. The caller gets its own copy."""
    key = answers_key(ret, definition)
    cached = ANSWERS.peek(key) if key else None
    if cached is None:
        cached = load_answers_bulk([ret], definition)[ret.id]
        if key and reading_request() and not (db.session.new or db.session.dirty or db.session.deleted):
            ANSWERS.get(key, lambda: cached)
    return copy.deepcopy(cached)


def answers_key(ret: AnnualReturn, definition: ReturnDefinition) -> tuple[Any, ...] | None:
    """The cache key of the return's answers as stored now; None while the return itself has unsaved changes."""
    if ret.id is None or ret in db.session.dirty or ret in db.session.new:
        return None
    return ("answers", ret.id, ret.version, ret.created_at, ret.updated_at, definition.version)


def load_answers_bulk(returns: Iterable[AnnualReturn], definition: ReturnDefinition) -> dict[int, dict[str, Any]]:
    """Answers of many returns of one year (one definition) in three queries, for reports, exports and imports.

    Plain rows, not ORM objects: tens of thousands of answers are read, and nothing here is changed. Pending
    changes of the session are flushed first (plain selects do not autoflush), so what is read is what was
    written."""
    db.session.flush()
    ids = [r.id for r in returns]
    if not ids:
        return {}
    answer, row_table, row_answer = Answer.__table__, GroupRow.__table__, GroupAnswer.__table__
    by_return: dict[int, dict[str, Any]] = {i: {} for i in ids}
    for found in db.session.execute(select(answer).where(answer.c.return_id.in_(ids))):
        by_return[found.return_id][found.field_key] = found
    rows: dict[int, dict[str, list[Any]]] = {i: {} for i in ids}
    row_ids = []
    for found in db.session.execute(select(row_table).where(row_table.c.return_id.in_(ids))
                                    .order_by(row_table.c.return_id, row_table.c.group_key, row_table.c.position)):
        rows[found.return_id].setdefault(found.group_key, []).append(found)
        row_ids.append(found.id)
    cells: dict[int, dict[str, Any]] = {}
    for start in range(0, len(row_ids), 5000):  # bounded IN lists
        for found in db.session.execute(select(row_answer).where(
                row_answer.c.row_id.in_(row_ids[start:start + 5000]))):
            cells.setdefault(found.row_id, {})[found.field_key] = found
    out: dict[int, dict[str, Any]] = {}
    for return_id in ids:
        values: dict[str, Any] = {}
        for f in definition.iter_fields():
            if f.is_group:
                values[f.key] = [_cells_values(f, r.uid, cells.get(r.id, {})) for r in rows[return_id].get(f.key, [])]
            else:
                values[f.key] = from_columns(f, by_return[return_id].get(f.key))
        out[return_id] = values
    return out


def _cells_values(group: Field, uid: str, stored: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"_uid": uid}
    for child in group.fields:
        out[child.key] = from_columns(child, stored.get(child.key))
    return out


# ------------------------------------------------------------------------------------------------- writing

class Change(NamedTuple):
    """One changed answer as the change log records it (canonical JSON text before and after)."""

    field_path: str
    old_value: str | None
    new_value: str | None


def apply_edit(
    ret: AnnualReturn,
    definition: ReturnDefinition,
    plan: EditPlan,
    *,
    actor_id: int | None,
    source: str,
    current: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> list[Change]:
    """Write a plan of ``edit.plan_edit``: the only way answers change. Returns the changes, each also in the
    change log (none when nothing changed; then the version stays). ``current``: the answers the plan was made
    over, if loaded; ``at``: when the change is recorded (now by default; the demo tells its own story)."""
    if not plan.can_apply:
        raise ValueError("a blocked edit plan is never written")
    if source not in SOURCES:
        raise ValueError(f"unknown source of a change: {source!r}")
    return _Writer(ret, definition, actor_id, source).write(plan.values, plan.keys, current, at or utcnow())


class _Writer:
    """Typed answers → rows. Rows that exist are changed through the session (they are loaded anyway); new rows
    are inserted in bulk, a statement per table — an imported year writes tens of thousands of them."""

    def __init__(self, ret: AnnualReturn, definition: ReturnDefinition, actor_id: int | None, source: str) -> None:
        self.ret, self.definition, self.actor_id, self.source = ret, definition, actor_id, source
        self.new_answers: list[dict[str, Any]] = []
        self.new_rows: list[dict[str, Any]] = []
        self.new_row_answers: list[tuple[str, str, dict[str, Any]]] = []  # (group key, row uid, columns)

    def write(self, values: Mapping[str, Any], keys: Iterable[str], current: Mapping[str, Any] | None,
              at: dt.datetime) -> list[Change]:
        ret, definition = self.ret, self.definition
        keys = list(keys)
        if current is None:
            current = load_answers(ret, definition)
        groups = [k for k in keys if definition.field(k).is_group
                  and not _same_rows(current.get(k) or [], values.get(k) or [])]
        scalars = [k for k in keys if not definition.field(k).is_group
                   and canonical(current.get(k)) != canonical(values.get(k))]
        existing = {a.field_key: a for a in db.session.scalars(
            select(Answer).where(Answer.return_id == ret.id, Answer.field_key.in_(scalars)))} if scalars else {}
        stored: dict[str, dict[str, GroupRow]] = {k: {} for k in groups}
        if groups:  # one query for every table that changes (none for a table that does not)
            for row in db.session.scalars(
                    select(GroupRow).where(GroupRow.return_id == ret.id, GroupRow.group_key.in_(groups))
                    .options(selectinload(GroupRow.answers))):
                stored[row.group_key][row.uid] = row
        changes: list[Change] = []
        for key in keys:
            if key in stored:
                changes += self._group(definition.field(key), current.get(key) or [], values.get(key) or [],
                                       stored[key])
            elif key in scalars:
                changes.append(Change(key, canonical(current.get(key)), canonical(values.get(key))))
                self._scalar(definition.field(key), values.get(key), existing.get(key))
        if not changes:
            return []
        ret.version += 1
        ret.updated_at = at
        db.session.flush()  # the return and the changed rows first: the bulk inserts below refer to them
        self._insert_new()
        db.session.execute(insert(ChangeLog.__table__), [
            {"return_id": ret.id, "version": ret.version, "user_id": self.actor_id, "changed_at": at,
             "field_path": c.field_path, "old_value": c.old_value, "new_value": c.new_value, "source": self.source}
            for c in changes])
        return changes

    def _scalar(self, f: Field, value: Any, row: Answer | None) -> None:
        if value is None:
            if row is not None:
                db.session.delete(row)
        elif row is None:
            self.new_answers.append({"return_id": self.ret.id, "field_key": f.key, **to_columns(f, value)})
        else:
            for col, val in to_columns(f, value).items():
                setattr(row, col, val)

    def _group(self, group: Field, old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]],
               stored: dict[str, GroupRow]) -> list[Change]:
        changes: list[Change] = []
        old_by_uid = {r.get("_uid"): (i, r) for i, r in enumerate(old_rows)}
        kept: set[str] = set()
        for position, new in enumerate(new_rows):
            posted = new.get("_uid")
            # a uid names one row: a repeated one (a tampered form) is a new row, never a second copy of the first
            uid = posted if posted in stored and posted not in kept else None
            if uid is None:
                # a row copied from last year keeps its uid, so rows can be followed from year to year
                uid = posted if isinstance(posted, str) and _UID_RE.match(posted) and posted not in stored \
                    and posted not in kept else new_uid()
                self.new_rows.append({"return_id": self.ret.id, "group_key": group.key, "position": position,
                                      "uid": uid})
                row, old = None, {}
            else:
                row = stored[uid]
                row.position = position
                old = old_by_uid.get(uid, (position, {}))[1]
            new["_uid"] = uid
            kept.add(uid)
            answers = {a.field_key: a for a in row.answers} if row is not None else {}
            for child in group.fields:
                before, after = canonical(old.get(child.key)), canonical(new.get(child.key))
                if before == after:
                    continue
                changes.append(Change(row_path(group.key, position, child.key), before, after))
                value = new.get(child.key)
                if row is None:
                    if value is not None:
                        self.new_row_answers.append((group.key, uid, {"field_key": child.key,
                                                                      **to_columns(child, value)}))
                    continue
                answer = answers.get(child.key)
                if value is None:
                    if answer is not None:
                        row.answers.remove(answer)
                    continue
                if answer is None:
                    answer = GroupAnswer(field_key=child.key)
                    row.answers.append(answer)
                for col, val in to_columns(child, value).items():
                    setattr(answer, col, val)
        for uid, row in stored.items():
            if uid not in kept:
                index, old = old_by_uid.get(uid, (row.position, {}))
                changes.append(Change(row_path(group.key, index), canonical(old), None))
                db.session.delete(row)
        return changes

    def _insert_new(self) -> None:
        if self.new_answers:
            db.session.execute(insert(Answer.__table__), self.new_answers)
        if not self.new_rows:
            return
        table = GroupRow.__table__
        ids = {(key, uid): row_id for uid, key, row_id in db.session.execute(
            insert(table).returning(table.c.uid, table.c.group_key, table.c.id), self.new_rows)}
        if self.new_row_answers:
            db.session.execute(insert(GroupAnswer.__table__), [
                {"row_id": ids[(key, uid)], **columns} for key, uid, columns in self.new_row_answers])


def _same_rows(old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]]) -> bool:
    """The same rows, in the same order, with the same ids and values: nothing to write."""
    return [r.get("_uid") for r in old_rows] == [r.get("_uid") for r in new_rows] and \
        canonical(old_rows) == canonical(new_rows)
