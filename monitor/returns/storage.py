"""Typed answers ⇄ database rows, with a change-history entry for every changed value.

Values are the typed values of ``forms.validation`` (int, Decimal, date, code, list of codes, text,
``DONT_KNOW``); repeating groups are lists of row dicts carrying a stable ``_uid``.
"""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forms import DONT_KNOW, Field, FieldType, ReturnDefinition
from forms.schema import row_path

from ..extensions import db
from ..models_base import utcnow
from .edit import EditPlan, normal_decimal, canonical, jsonable
from .models import AnnualReturn, Answer, ChangeLog, GroupAnswer, GroupRow

__all__ = ["SOURCES", "apply_edit", "canonical", "from_columns", "jsonable", "load_answers", "load_answers_bulk",
           "new_uid", "to_columns"]

#: where a change of answers comes from (``ChangeLog.source``)
SOURCES = frozenset({"web", "excel", "import", "copy", "demo"})

_UID_RE = re.compile(r"^[0-9a-f]{32}$")
_VALUE_COLUMNS = ("int_value", "num_value", "text_value", "code_value", "codes", "date_value", "is_dont_know")


def new_uid() -> str:
    return uuid.uuid4().hex


# ------------------------------------------------------------------------------------------ value columns

def to_columns(f: Field, value: Any) -> dict[str, Any]:
    cols: dict[str, Any] = {c: None for c in _VALUE_COLUMNS}
    cols["is_dont_know"] = False
    if value is None:
        return cols
    if value == DONT_KNOW and f.type not in (FieldType.YES_NO_DK, FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE):
        cols["is_dont_know"] = True
        return cols
    t = f.type
    if t in (FieldType.INTEGER, FieldType.SCALE):
        cols["int_value"] = int(value)
    elif t in (FieldType.DECIMAL, FieldType.MONEY, FieldType.PERCENT):
        cols["num_value"] = Decimal(value)
    elif t in (FieldType.YES_NO_DK, FieldType.SINGLE_CHOICE):
        cols["code_value"] = str(value)
    elif t == FieldType.MULTI_CHOICE:
        cols["codes"] = list(value)
    elif t == FieldType.DATE:
        cols["date_value"] = value
    else:
        cols["text_value"] = str(value)
    return cols


def from_columns(f: Field, row: Any) -> Any:
    if row is None:
        return None
    if row.is_dont_know:
        return DONT_KNOW
    t = f.type
    if t in (FieldType.INTEGER, FieldType.SCALE):
        return row.int_value
    if t in (FieldType.DECIMAL, FieldType.MONEY, FieldType.PERCENT):
        if row.num_value is None:
            return None
        value = Decimal(row.num_value)
        return value.quantize(Decimal("0.01")) if t == FieldType.MONEY else normal_decimal(value)
    if t in (FieldType.YES_NO_DK, FieldType.SINGLE_CHOICE):
        return row.code_value
    if t == FieldType.MULTI_CHOICE:
        return list(row.codes) if row.codes is not None else None
    if t == FieldType.DATE:
        return row.date_value
    return row.text_value


# ------------------------------------------------------------------------------------------------- loading

def load_answers(ret: AnnualReturn, definition: ReturnDefinition) -> dict[str, Any]:
    """All answers of a return as typed values (two queries)."""
    answers = {a.field_key: a for a in db.session.scalars(select(Answer).where(Answer.return_id == ret.id))}
    rows = db.session.scalars(
        select(GroupRow).where(GroupRow.return_id == ret.id).options(selectinload(GroupRow.answers))
        .order_by(GroupRow.group_key, GroupRow.position)
    ).all()
    by_group: dict[str, list[GroupRow]] = {}
    for row in rows:
        by_group.setdefault(row.group_key, []).append(row)
    values: dict[str, Any] = {}
    for f in definition.iter_fields():
        if f.is_group:
            values[f.key] = [_row_values(f, r) for r in by_group.get(f.key, [])]
        else:
            values[f.key] = from_columns(f, answers.get(f.key))
    return values


def load_answers_bulk(returns: Iterable[AnnualReturn], definition: ReturnDefinition) -> dict[int, dict[str, Any]]:
    """Answers of many returns of one year (one definition) in three queries, for reports and exports."""
    ids = [r.id for r in returns]
    if not ids:
        return {}
    by_return: dict[int, dict[str, Answer]] = {i: {} for i in ids}
    for answer in db.session.scalars(select(Answer).where(Answer.return_id.in_(ids))):
        by_return[answer.return_id][answer.field_key] = answer
    rows: dict[int, dict[str, list[GroupRow]]] = {i: {} for i in ids}
    for row in db.session.scalars(select(GroupRow).where(GroupRow.return_id.in_(ids))
                                  .options(selectinload(GroupRow.answers))
                                  .order_by(GroupRow.return_id, GroupRow.group_key, GroupRow.position)):
        rows[row.return_id].setdefault(row.group_key, []).append(row)
    out: dict[int, dict[str, Any]] = {}
    for return_id in ids:
        values: dict[str, Any] = {}
        for f in definition.iter_fields():
            if f.is_group:
                values[f.key] = [_row_values(f, r) for r in rows[return_id].get(f.key, [])]
            else:
                values[f.key] = from_columns(f, by_return[return_id].get(f.key))
        out[return_id] = values
    return out


def _row_values(group: Field, row: GroupRow) -> dict[str, Any]:
    stored = {a.field_key: a for a in row.answers}
    out: dict[str, Any] = {"_uid": row.uid}
    for child in group.fields:
        out[child.key] = from_columns(child, stored.get(child.key))
    return out


# ------------------------------------------------------------------------------------------------- writing

def apply_edit(
    ret: AnnualReturn,
    definition: ReturnDefinition,
    plan: EditPlan,
    *,
    actor_id: int | None,
    source: str,
    current: Mapping[str, Any] | None = None,
) -> list[ChangeLog]:
    """Write a plan of ``edit.plan_edit``: the only way answers change. Returns the change-log entries (none when
    nothing changed; then the version stays). ``current``: the answers the plan was made over, if loaded."""
    if not plan.can_apply:
        raise ValueError("a blocked edit plan is never written")
    if source not in SOURCES:
        raise ValueError(f"unknown source of a change: {source!r}")
    return _write_answers(ret, definition, plan.values, plan.keys, actor_id=actor_id, source=source, current=current)


def _write_answers(
    ret: AnnualReturn,
    definition: ReturnDefinition,
    values: Mapping[str, Any],
    keys: Iterable[str],
    *,
    actor_id: int | None,
    source: str = "web",
    current: Mapping[str, Any] | None = None,
) -> list[ChangeLog]:
    """Store ``values[key]`` for each of ``keys`` (top-level field keys) and log what changed.

    Bumps ``ret.version`` once if anything changed. ``current`` may pass already loaded answers.
    """
    keys = list(keys)
    if current is None:
        current = load_answers(ret, definition)
    existing = {
        a.field_key: a for a in db.session.scalars(
            select(Answer).where(Answer.return_id == ret.id, Answer.field_key.in_(keys))
        )
    }
    pending: list[tuple[str, str | None, str | None]] = []
    for key in keys:
        f = definition.field(key)
        if f.is_group:
            pending.extend(_write_group(ret, f, current.get(key) or [], values.get(key) or []))
            continue
        old, new = canonical(current.get(key)), canonical(values.get(key))
        if old == new:
            continue
        pending.append((key, old, new))
        row = existing.get(key)
        if values.get(key) is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = Answer(return_id=ret.id, field_key=key)
            db.session.add(row)
        for col, val in to_columns(f, values[key]).items():
            setattr(row, col, val)
    if not pending:
        return []
    ret.version += 1
    ret.updated_at = utcnow()
    logs = [
        ChangeLog(return_id=ret.id, version=ret.version, user_id=actor_id, field_path=path, old_value=old,
                  new_value=new, source=source)
        for path, old, new in pending
    ]
    db.session.add_all(logs)
    return logs


def _write_group(
    ret: AnnualReturn, group: Field, old_rows: list[dict[str, Any]], new_rows: list[dict[str, Any]]
) -> list[tuple[str, str | None, str | None]]:
    changes: list[tuple[str, str | None, str | None]] = []
    stored = {
        r.uid: r for r in db.session.scalars(
            select(GroupRow).where(GroupRow.return_id == ret.id, GroupRow.group_key == group.key)
            .options(selectinload(GroupRow.answers))
        )
    }
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
            row = GroupRow(return_id=ret.id, group_key=group.key, position=position, uid=uid)
            db.session.add(row)
            old = {}
        else:
            row = stored[uid]
            row.position = position
            old = old_by_uid.get(uid, (position, {}))[1]
        new["_uid"] = uid
        kept.add(uid)
        answers = {a.field_key: a for a in row.answers}
        for child in group.fields:
            before, after = canonical(old.get(child.key)), canonical(new.get(child.key))
            if before == after:
                continue
            changes.append((row_path(group.key, position, child.key), before, after))
            answer = answers.get(child.key)
            if new.get(child.key) is None:
                if answer is not None:
                    row.answers.remove(answer)
                continue
            if answer is None:
                answer = GroupAnswer(field_key=child.key)
                row.answers.append(answer)
            for col, val in to_columns(child, new[child.key]).items():
                setattr(answer, col, val)
    for uid, row in stored.items():
        if uid not in kept:
            index, old = old_by_uid.get(uid, (row.position, {}))
            changes.append((row_path(group.key, index), canonical(old), None))
            db.session.delete(row)
    return changes
