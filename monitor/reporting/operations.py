"""Loading reference data and compiling report snapshots (the CLI, the API and the scheduler call these)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from forms import get_definition
from reports.compile import compile_report
from reports.fingerprint import inputs_fingerprint
from reports.reference import ReferenceFigure, load_reference
from reports.summary import summarise

from ..audit.operations import record_event
from ..extensions import db
from .models import CompileRequest, ReferenceDataset, ReferenceFigureRow, ReportSnapshot
from .queries import current_reference, expected_units, latest_snapshot, region_names, unit_records

REFERENCE_FILE = Path(__file__).resolve().parent.parent / "data" / "survey-baseline.json"
SOURCES = {
    "biss_2017": "Baltic Institute of Social Sciences (2017), municipal survey on remigration policy instruments; "
                 "quoted in the University of Latvia study LPR 2022/19.",
    "survey_2022": "University of Latvia study LPR 2022/19, telephone survey of municipalities, 21–29 Nov 2022.",
}
DEFAULT_STATUSES = frozenset({"approved"})


def _digest(figures: list[ReferenceFigure]) -> str:
    text = json.dumps([asdict(f) for f in figures], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def load_reference_data(path: Path = REFERENCE_FILE) -> dict[str, tuple[str, bool]]:
    """Store the reference figures as versioned datasets. Same figures → same version, nothing new; changed
    figures → a new current version (the old one stays, for old snapshots). Returns key → (version, added)."""
    figures = load_reference(json.loads(path.read_text(encoding="utf-8")))
    out: dict[str, tuple[str, bool]] = {}
    for key in sorted({f.dataset for f in figures}):
        subset = [f for f in figures if f.dataset == key]
        version = _digest(subset)
        existing = db.session.scalar(select(ReferenceDataset).where(
            ReferenceDataset.key == key, ReferenceDataset.version == version))
        if existing is not None:
            if not existing.is_current:  # going back to an older version makes it current again
                for other in db.session.scalars(select(ReferenceDataset).where(ReferenceDataset.key == key)):
                    other.is_current = other.id == existing.id
            out[key] = (version, False)
            continue
        for other in db.session.scalars(select(ReferenceDataset).where(ReferenceDataset.key == key)):
            other.is_current = False
        dataset = ReferenceDataset(key=key, version=version, source=SOURCES.get(key, key), is_current=True)
        dataset.figures = [ReferenceFigureRow(
            indicator_key=f.indicator_key, question_key=f.question_key, scope=f.scope, value=f.value,
            unit=f.unit, base_n=f.base_n, source_line=f.source_line, source_line_end=f.source_line_end,
            exact=f.exact, qualifier=f.qualifier, counterpart=f.counterpart, note=f.note or "",
            note_lv=f.note_lv or "",
        ) for f in subset]
        db.session.add(dataset)
        out[key] = (version, True)
    db.session.flush()
    return out


def request_compilation(year: int, actor_id: int | None) -> bool:
    """Ask the scheduler to compile ``year`` (one request at a time: a pending or running one is enough); True when a
    request was added. The caller commits."""
    pending = db.session.scalar(select(CompileRequest).where(
        CompileRequest.year == year, CompileRequest.status.in_(("pending", "running"))))
    if pending is not None:
        return False
    db.session.add(CompileRequest(year=year, requested_by_id=actor_id))
    return True


def compile_snapshot(
    year: int, *, actor: Any = None, trigger: str = "cli", statuses: frozenset[str] = DEFAULT_STATUSES,
    problems: list[dict[str, str]] | None = None,
) -> tuple[ReportSnapshot, bool]:
    """Compile the report of ``year`` and store it, unless the latest snapshot was made from exactly the same
    inputs (returns, reference data, definition, counted states, the registry's municipalities): then that one is
    returned. → (snapshot, new). Every municipality of the registry is expected: the report states its coverage.

    Returns whose answers no longer validate are left out and listed in ``problems`` (when given)."""
    definition = get_definition(year)
    excluded: list[dict[str, str]] = [] if problems is None else problems
    records = unit_records(year, excluded)
    previous = unit_records(year - 1, excluded)
    reference, reference_version = current_reference()
    expected = expected_units()
    fingerprint = inputs_fingerprint([*records, *previous], reference, statuses, expected)
    latest = latest_snapshot(year)
    status_label = ",".join(sorted(statuses))
    if latest is not None and (latest.inputs_fingerprint, latest.reference_version, latest.definition_version,
                               latest.statuses) == (fingerprint, reference_version, definition.version,
                                                    status_label):
        return latest, False
    report = compile_report(year, records, reference=reference, previous=previous, statuses=statuses,
                            regions=region_names("lv"), expected=expected)
    payload = report.to_dict()
    snapshot = ReportSnapshot(
        year=year, definition_version=definition.version, reference_version=reference_version,
        inputs_fingerprint=fingerprint, statuses=status_label, trigger=trigger,
        compiled_by_id=getattr(actor, "id", None), payload=payload, summary=summarise(payload),
    )
    db.session.add(snapshot)
    db.session.flush()
    record_event("report_compiled", actor, detail={"year": year, "snapshot": snapshot.id, "trigger": trigger,
                                                   "records": len(records), "excluded": excluded})
    return snapshot, True
