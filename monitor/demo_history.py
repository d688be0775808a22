"""The demo's past year: what the 2022 survey said about single municipalities (``per_municipality_2022`` of the
reference data: inquiry routing, planned measures, reasons for planning none, job-creation measures…), loaded as
imported 2022 returns through the same all-or-nothing bulk import an administrator uses.

Facts whose value is not an answer the form accepts (the study's free-text descriptions of a choice question, or
codes the question does not have) are left out; so are facts about fields the form does not ask.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from forms import FieldType, get_definition, validate
from reports.excel import BulkRow, BulkUpload

from .auth.models import User
from .excel.operations import ImportOutcome, import_history, importable_years
from .registry.models import Municipality
from .extensions import db
from .reporting.operations import REFERENCE_FILE

YEAR = 2022


def study_rows() -> list[BulkRow]:
    definition = get_definition(YEAR)
    by_name = {m.name_lv: m.slug for m in db.session.scalars(select(Municipality))}
    data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    rows = []
    for entry in data["per_municipality_2022"]:
        slug = by_name.get(entry["municipality"])
        raw: dict[str, Any] = {}
        for fact in entry["facts"]:
            key, value = fact["key"], fact["value"]
            if not definition.has_field(key) or definition.field(key).is_group:
                continue
            field = definition.field(key)
            if field.type == FieldType.MULTI_CHOICE:
                value = sorted({*raw.get(key, []), value})
            elif field.type in (FieldType.TEXT, FieldType.LONG_TEXT) and key in raw:
                value = f"{raw[key]}; {value}"
            if not [i for i in validate(definition, {**raw, key: value}).issues if i.blocks_draft]:
                raw[key] = value
        if slug and raw:
            rows.append(BulkRow(unit=slug, year=YEAR, raw=raw, cells={}))
    return rows


def import_study_2022(admin: User) -> ImportOutcome | None:
    """Import the study's 2022 facts unless 2022 is collected through the service (then there is nothing to do)."""
    if YEAR not in importable_years():
        return None
    return import_history(YEAR, BulkUpload(rows=study_rows()), admin, source_name="survey-baseline.json (demo)")
