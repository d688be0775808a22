"""The demo's past year: what the 2022 survey said about single municipalities (``per_municipality_2022`` of the
reference data: inquiry routing, business grant instruments, planned measures, reasons for planning none,
job-creation measures…), loaded as imported 2022 returns through the same all-or-nothing bulk import an
administrator uses.

A fact goes to the question whose key, or whose ``survey_key``, is the fact's key: a business grant instrument
becomes a row of the grant programmes table (its name as the study prints it). The survey did not ask the gate
questions of the yearly form ("did a grant programme run?"), so the import keeps what they gate. Facts that are
not an answer the form accepts (the study's free-text description where a choice is asked, a code the question
does not have, a question the form does not ask, an amount whose meaning the study does not state) are not
imported — and each is listed with its reason, never dropped without a word.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from forms import Field, FieldType, ReturnDefinition, get_definition, validate
from reports.excel import BulkRow, BulkUpload

from .auth.models import User
from .excel.operations import ImportOutcome, import_history, importable_years
from .extensions import db
from .registry.models import Municipality
from .reporting.operations import REFERENCE_FILE

YEAR = 2022


@dataclass(frozen=True)
class SkippedFact:
    municipality: str
    key: str
    value: Any
    reason: str

    def line(self) -> str:
        return f"{self.municipality}: {self.key} = {str(self.value)[:60]!r} — {self.reason}"


def _field_for(definition: ReturnDefinition, key: str) -> Field | None:
    """The question a fact answers: the field with that key, else the one whose survey key it is."""
    if definition.has_field(key):
        return definition.field(key)
    return next((f for f in definition.iter_fields() if f.survey_key == key), None)


def _add(raw: dict[str, Any], f: Field, value: Any) -> Any:
    """The raw answer with ``value`` added (lists and tables collect, texts join)."""
    if f.is_group:
        return [*raw.get(f.key, []), {"name": value} if isinstance(value, str) else value]
    if f.type == FieldType.MULTI_CHOICE:
        return sorted({*raw.get(f.key, []), value})
    if f.type in (FieldType.TEXT, FieldType.LONG_TEXT) and f.key in raw:
        return f"{raw[f.key]}; {value}"
    return value


def _not_a_code(f: Field, value: str) -> str:
    if value == "no_information":
        return "the study says no answer was given: the question stays unanswered (missing)"
    return (f"not one of the question's answers ({', '.join(c.code for c in f.choices)}): the study groups or "
            "words it differently")


def study_rows() -> tuple[list[BulkRow], list[SkippedFact]]:
    """The study's facts as import rows, and the facts that cannot be imported, each with its reason."""
    definition = get_definition(YEAR)
    by_name = {m.name_lv: m.slug for m in db.session.scalars(select(Municipality))}
    data = json.loads(REFERENCE_FILE.read_text(encoding="utf-8"))
    rows: list[BulkRow] = []
    skipped: list[SkippedFact] = []
    for entry in data["per_municipality_2022"]:
        name, slug = entry["municipality"], by_name.get(entry["municipality"])
        raw: dict[str, Any] = {}
        for fact in entry["facts"]:
            key, value = fact["key"], fact["value"]
            f = _field_for(definition, key)
            if f is None:
                skipped.append(SkippedFact(name, key, value, "the form has no such question"))
                continue
            if fact.get("amount_eur") is not None:
                skipped.append(SkippedFact(name, f"{key}.amount_eur", fact["amount_eur"],
                                           "the study does not say whether the amount is per grant, competition "
                                           "or year"))
            if f.choices and isinstance(value, str) and value not in f.choice_codes():
                skipped.append(SkippedFact(name, key, value, _not_a_code(f, value)))
                continue
            candidate = {**raw, f.key: _add(raw, f, value)}
            issues = [i for i in validate(definition, candidate).issues if i.blocks_draft]
            if issues:
                skipped.append(SkippedFact(name, key, value, issues[0].en))
                continue
            raw = candidate
        if slug and raw:
            rows.append(BulkRow(unit=slug, year=YEAR, raw=raw, cells={}))
        elif raw:
            skipped.append(SkippedFact(name, "municipality", name, "not in the registry"))
    return rows, skipped


def import_study_2022(admin: User) -> tuple[ImportOutcome, list[SkippedFact]] | None:
    """Import the study's 2022 facts unless 2022 is collected through the service (then there is nothing to do);
    returns the import's outcome and the facts that could not be imported."""
    if YEAR not in importable_years():
        return None
    rows, skipped = study_rows()
    outcome = import_history(YEAR, BulkUpload(rows=rows), admin, source_name="survey-baseline.json (demo)")
    return outcome, skipped
