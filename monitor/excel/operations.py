"""Storing uploaded workbooks: a municipality's filled-in template, and an administrator's bulk import of a past
year. Both are all or nothing: the file's answers go through ``forms.validate`` exactly as the web form's do, and
nothing is written unless every answer of the file can be stored. Neither commits."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Collection, Iterable, Mapping

from sqlalchemy import select

from forms import Issue, ReturnDefinition, definition_years, get_definition
from forms.schema import path_root
from reports.excel import BulkUpload, CellProblem, CellRef, TemplateUpload, UnitResolution
from reports.excel.bulk import read_bulk

from ..audit.models import AuditEvent
from ..audit.operations import record_event
from ..auth.models import User
from ..extensions import db
from ..models_base import utcnow
from ..periods.models import ReportingPeriod
from ..public.operations import publish_return
from ..refusals import OperationRefused
from ..registry import reform
from ..registry.models import Municipality
from ..returns.edit import EditPlan, plan_edit
from ..returns.models import AnnualReturn, ReturnStatus
from ..returns.operations import definition_for, ensure_editable, previous_answers, start_return
from ..returns.queries import changes_since
from ..returns.storage import apply_edit, load_answers, load_answers_bulk

MAX_PROBLEMS = 200  # listed on the page; the count says how many there are in all


@dataclass(frozen=True)
class Problem:
    """One reason an upload was refused, or an answer of it not stored, at the cell it concerns (if one)."""

    lv: str
    en: str
    sheet: str = ""
    cell: str = ""
    label: str = ""
    answers: int = 1  # how many filled cells it concerns (a whole table may be one problem)

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv


@dataclass
class UploadOutcome:
    saved: bool
    problems: list[Problem] = field(default_factory=list)
    changes: int = 0  # answers (values) changed
    kept_theirs: list[Any] = field(default_factory=list)  # labels (LV/EN) of answers others changed, the file not
    answers: int = 0  # answers (filled cells) the file carries
    not_kept: list[Problem] = field(default_factory=list)  # answers of the file that are not stored, and why


@dataclass
class ImportOutcome:
    saved: bool
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: int = 0
    answers: int = 0  # answers (filled cells) the file carries
    not_kept: list[Problem] = field(default_factory=list)  # answers of the file that are not stored, and why
    #: rows that named a municipality of before the 2021 reform, and the successor each was counted as
    notes: list[Problem] = field(default_factory=list)
    #: the rows of other years of a workbook of several years, not read (one line per year, with its rows)
    skipped: list[Problem] = field(default_factory=list)

    @property
    def not_kept_answers(self) -> int:
        return sum(p.answers for p in self.not_kept)


def count_answers(value: Any) -> int:
    """How many filled cells a raw or typed answer stands for (a table: its filled cells; ids are not answers)."""
    if isinstance(value, Mapping):
        return sum(count_answers(v) for k, v in value.items() if k != "_uid")
    if isinstance(value, list) and any(isinstance(v, Mapping) for v in value):
        return sum(count_answers(v) for v in value)
    if value is None or value == [] or (isinstance(value, str) and not value.strip()):
        return 0
    return 1


def _from_cell_problem(p: CellProblem) -> Problem:
    return Problem(p.lv, p.en, p.ref.sheet, p.ref.cell, p.ref.label)


def _at(cells: Mapping[str, CellRef], path: str) -> CellRef | None:
    """The cell of an issue path: the exact one, else its row (``group[2]``), else the field or group."""
    if path in cells:
        return cells[path]
    row = path.split(".", 1)[0]
    return cells.get(row) or cells.get(path_root(path))


def _label(definition: ReturnDefinition, path: str, locale: str = "lv") -> str:
    root = path_root(path)
    return definition.field(root).label.get(locale) if definition.has_field(root) else ""


def _issue_problems(definition: ReturnDefinition, issues: Iterable[Issue], cells: Mapping[str, CellRef],
                    prefix: tuple[str, str] = ("", ""), counts: Mapping[str, int] | None = None) -> list[Problem]:
    out = []
    for issue in issues:
        ref = _at(cells, issue.path)
        out.append(Problem(prefix[0] + issue.lv, prefix[1] + issue.en, ref.sheet if ref else "",
                           ref.cell if ref else "", ref.label if ref else _label(definition, issue.path),
                           (counts or {}).get(issue.path, 1)))
    return out


def _not_kept(definition: ReturnDefinition, plan: EditPlan, cells: Mapping[str, CellRef],
              prefix: tuple[str, str] = ("", "")) -> list[Problem]:
    """The answers of a file that the plan does not store (questions that do not apply), each at its cell."""
    counts = {i.path: max(1, _count_at(plan.posted, i.path)) for i in plan.not_kept}
    return _issue_problems(definition, plan.not_kept, cells, prefix, counts)


def _where(ref: CellRef | None) -> tuple[str, str] | None:
    return (ref.sheet, ref.cell) if ref else None


_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def in_file_order(problems: list[Problem], cells: Mapping[str, CellRef]) -> list[Problem]:
    """The problems as one reads the file: sheet by sheet (in the order the reader met them), then row by row and
    column by column; a problem without a cell comes first."""
    sheets = {ref.sheet: i for i, ref in reversed(list(enumerate(cells.values())))}

    def key(p: Problem) -> tuple[int, int, int, int]:
        found = _CELL.match(p.cell)
        if not found:
            return (0, 0, 0, 0) if not p.sheet else (1, sheets.get(p.sheet, len(sheets)), 0, 0)
        column = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(found.group(1))))
        return 1, sheets.get(p.sheet, len(sheets)), int(found.group(2)), column

    return sorted(problems, key=key)


def _count_at(values: Mapping[str, Any], path: str) -> int:
    if "[" not in path:
        return count_answers(values.get(path))
    return 1


# ------------------------------------------------------------------------------------------ template upload

def municipality_names(slug: str) -> tuple[str, str]:
    """A municipality's (Latvian, English) name as the registry gives it, for messages about a file that names it
    by slug (an unknown slug, from an edited file, is named as it is written)."""
    found = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
    return (found.name_lv, found.name_en) if found else (slug[:60], slug[:60])


def upload_template(municipality: Municipality, period: ReportingPeriod, ret: AnnualReturn | None,
                    upload: TemplateUpload, actor: User) -> UploadOutcome:
    """Store a filled-in template in the municipality's return for ``period``; a return not yet started is started
    by the upload (an empty draft, as "Start an empty return" makes it), then filled through the same plan and
    writer as any upload. All or nothing: when the file is refused the caller rolls back, the start with it."""
    if ret is None:
        ret = start_return(municipality, period, actor)
    return import_template(ret, upload, actor)


def import_template(ret: AnnualReturn, upload: TemplateUpload, actor: User) -> UploadOutcome:
    """Store the answers of a municipality's filled-in template in its (editable) return, all or nothing.

    The template carries the return's version and a fingerprint of every answer as downloaded: an answer that
    someone changed in the service meanwhile is kept when the file still holds the downloaded value, and is a
    conflict (nothing stored) when the file changed it too — unless both hold the same value.
    """
    ensure_editable(ret)
    definition = definition_for(ret)
    current = load_answers(ret, definition)
    unread = {(p.ref.sheet, p.ref.cell) for p in upload.problems}  # cells the reader could not read (a formula…)
    keys = [f.key for f in definition.iter_fields()]
    # an answer whose cell could not be read is unknown: the stored one stands in, so that the file's other answers
    # are still checked (every problem of the file is listed at once) without a false one about this cell
    raw = {k: upload.raw[k] if k in upload.raw and _where(upload.cells.get(k)) not in unread else current.get(k)
           for k in keys}
    plan = plan_edit(definition, current, raw, others=_changed_by_others(ret, upload, actor),
                     shown=upload.fingerprints, previous=previous_answers(ret.municipality, ret.year))
    if upload.problems or not plan.can_apply:
        issues = [i for i in plan.blocking if _where(_at(upload.cells, i.path)) not in unread]
        found = ([_from_cell_problem(p) for p in upload.problems]
                 + [_conflict(definition, upload, key) for key in plan.conflicts]
                 + _issue_problems(definition, issues, upload.cells))
        return UploadOutcome(False, in_file_order(found, upload.cells))
    changes = apply_edit(ret, definition, plan, actor_id=actor.id, source="excel", current=current)
    kept = sorted(plan.kept_theirs)
    if changes:
        record_event("return_uploaded", actor, municipality_id=ret.municipality_id, return_id=ret.id,
                     detail={"year": ret.year, "version": ret.version, "changes": len(changes),
                             "kept_theirs": kept, "download": download_id(upload)})
    return UploadOutcome(True, changes=len(changes), kept_theirs=[definition.field(k).label for k in kept],
                         answers=sum(count_answers(v) for v in upload.raw.values()),
                         not_kept=_not_kept(definition, plan, upload.cells))


def download_id(upload: TemplateUpload) -> str:
    """Which download a file comes from: the return's version then and the answers it showed."""
    text = json.dumps([upload.base_version, sorted(upload.fingerprints.items())])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _versions_uploaded_from(ret: AnnualReturn, actor: User, download: str) -> set[int]:
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.return_id == ret.id, AuditEvent.actor_id == actor.id, AuditEvent.action == "return_uploaded"))
    return {e.detail.get("version") for e in events if (e.detail or {}).get("download") == download}


def _changed_by_others(ret: AnnualReturn, upload: TemplateUpload, actor: User) -> set[str]:
    """The answers changed in the service since the download — the user's own earlier uploads of this same
    download are not someone else's changes: correcting the file and uploading it again is normal (an upload of
    another, newer download is, like any other change)."""
    if upload.base_version == ret.version:
        return set()
    mine = _versions_uploaded_from(ret, actor, download_id(upload))
    return {path_root(c.field_path) for c in changes_since(ret, upload.base_version) if c.version not in mine}


def _conflict(definition: ReturnDefinition, upload: TemplateUpload, key: str) -> Problem:
    ref = upload.cells.get(key)
    label = definition.field(key).label
    return Problem(
        f"Kamēr fails bija lejupielādēts, “{label.lv}” servisā tika mainīts, un arī failā tas ir mainīts citādi. "
        "Lejupielādējiet jaunu veidni vai izlabojiet atbildi tīmekļa formā.",
        f"While the file was downloaded, “{label.en}” was changed in the service, and the file changes it "
        "differently. Download a new template, or correct the answer in the web form.",
        ref.sheet if ref else "", ref.cell if ref else "", ref.label if ref else label.lv,
    )


# --------------------------------------------------------------------------------------------- bulk import

def importable_years() -> list[int]:
    """Years with a definition that are not collected through the service (no reporting period)."""
    collected = set(db.session.scalars(select(ReportingPeriod.year)))
    return [y for y in definition_years() if y not in collected]


def unit_resolver(known: Collection[str]) -> Callable[[str, int], UnitResolution]:
    """How the bulk import reads a municipality cell that is not a slug: a current name, or a municipality of
    before the 2021 reform (name or ATVK code) counted as its successor; a divided one is refused with its
    successors. The one place the web page and the CLI get it from (through ``read_history``)."""
    def resolve(text: str, year: int) -> UnitResolution:
        found = reform.match_unit(text, year, known)
        former = found.former.name if found.former else ""
        if found.slug is None:
            names = tuple(reform.successor_name(s) for s in found.candidates) if found.split else ()
            return UnitResolution(None, former, "", names)
        return UnitResolution(found.slug, former, reform.successor_name(found.slug))
    return resolve


def read_history(data: bytes, year: int, *, max_bytes: int, locale: str = "lv") -> BulkUpload:
    """Read a bulk workbook of a past year against the registry (slugs, names, pre-reform names)."""
    known = set(db.session.scalars(select(Municipality.slug)))
    # a benchmark workbook of several years has the columns of every year's form: all of them are known columns
    return read_bulk(data, definitions=get_definition, known_units=known, year=year, max_bytes=max_bytes,
                     locale=locale, resolve=unit_resolver(known), column_years=definition_years())


def import_history(year: int, upload: BulkUpload, actor: User, *, source_name: str = "") -> ImportOutcome:
    """Load many municipalities' answers for a past ``year`` as approved, imported returns — all or nothing.

    Returns that came from an earlier import are updated (the same file again changes nothing); a return filled
    in through the service is never overwritten.
    """
    if year not in importable_years():
        raise OperationRefused(
            "not_importable", f"{year}. gadu nevar ielādēt: to aizpilda servisā, vai tam nav veidlapas.",
            f"{year} cannot be imported: it is collected through the service, or it has no form definition.")
    definition = get_definition(year)
    problems = [_from_cell_problem(p) for p in upload.problems]
    municipalities = {m.slug: m for m in db.session.scalars(select(Municipality))}
    existing = {r.municipality_id: r for r in db.session.scalars(
        select(AnnualReturn).where(AnnualReturn.year == year).with_for_update())}
    current = load_answers_bulk(existing.values(), definition)
    plans: list[tuple[Municipality, AnnualReturn | None, EditPlan, Mapping[str, Any]]] = []
    notes = [Problem(n.lv, n.en, n.ref.sheet, n.ref.cell) for n in upload.notes]
    skipped = [_from_cell_problem(p) for p in upload.skipped]
    outcome = ImportOutcome(True, notes=notes, skipped=skipped)
    for row in upload.rows:
        municipality = municipalities.get(row.unit)
        if municipality is None or row.year != year:
            continue  # the reader has reported it
        ret = existing.get(municipality.id)
        if ret is not None and ret.origin != "import":
            ref = row.cells.get("municipality")
            problems.append(Problem(
                f"{municipality.name_lv}: {year}. gada pārskats ir aizpildīts servisā; ielāde to nepārraksta.",
                f"{municipality.name_en}: the {year} return was filled in through the service; an import never "
                "overwrites it.", ref.sheet if ref else "", ref.cell if ref else ""))
            continue
        # only what the file has: a column or table the file leaves out keeps its earlier imported answers (and a
        # gate question it leaves out was not asked: the past year's definition keeps what it gates)
        before = current.get(ret.id, {}) if ret else {}
        plan = plan_edit(definition, before, row.raw)
        prefix = (f"{municipality.name_lv}: ", f"{municipality.name_en}: ")
        problems += _issue_problems(definition, plan.blocking, row.cells, prefix)
        outcome.answers += sum(count_answers(v) for v in row.raw.values())
        outcome.not_kept += _not_kept(definition, plan, row.cells, prefix)
        plans.append((municipality, ret, plan, before))
    if problems:
        return ImportOutcome(False, problems, notes=notes, skipped=skipped)
    for municipality, ret, plan, before in plans:
        _store_imported(definition, municipality, ret, plan, before, actor, outcome)
    if outcome.created or outcome.updated:
        _request_compilation(year, actor)
    record_event("history_imported", actor, detail={
        "year": year, "file": source_name[:200], "created": outcome.created, "updated": outcome.updated,
        "unchanged": outcome.unchanged, "changes": outcome.changes, "answers": outcome.answers,
        "not_kept": outcome.not_kept_answers, "other_years_not_read": [p.en[:300] for p in skipped][:20],
        "pre_reform": [{"row": n.row, "written": n.written[:60], "unit": n.unit} for n in upload.notes][:200]})
    return outcome


def _request_compilation(year: int, actor: User) -> None:
    """Ask the scheduler to compile the year's report (and, through "previous year", the next one's)."""
    from ..reporting.operations import request_compilation

    for y in (year, year + 1):
        if y == year or db.session.scalar(select(AnnualReturn.id).where(AnnualReturn.year == y).limit(1)) is not None:
            request_compilation(y, actor.id)


def _store_imported(definition: ReturnDefinition, municipality: Municipality, ret: AnnualReturn | None,
                    plan: EditPlan, current: Mapping[str, Any], actor: User, outcome: ImportOutcome) -> None:
    created = ret is None
    if ret is None:
        now = utcnow()
        ret = AnnualReturn(municipality_id=municipality.id, year=definition.year, status=ReturnStatus.APPROVED,
                           version=1, definition_version=definition.version, origin="import",
                           created_by_id=actor.id, approved_at=now)
        db.session.add(ret)
        db.session.flush()
    changes = apply_edit(ret, definition, plan, actor_id=actor.id, source="import", current=current)
    if (created or changes) and ret.status == ReturnStatus.APPROVED:
        publish_return(ret)  # imported returns are approved: their public copy follows the answers
    outcome.changes += len(changes)
    if created:
        outcome.created += 1
    elif changes:
        outcome.updated += 1
    else:
        outcome.unchanged += 1
    if created or changes:
        record_event("return_imported", actor, municipality_id=municipality.id, return_id=ret.id,
                     detail={"year": definition.year, "changes": len(changes), "created": created})
