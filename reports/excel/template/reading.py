"""Reading a filled-in template back: its meta sheet, then every section and group sheet, cell by cell, with a
problem at the cell it concerns (the checks of the upload are shared with ``reports.excel.upload``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from forms import Field, ReturnDefinition, Section

from ..model import TEMPLATE_FORMAT, CellProblem, CellRef, TemplateUpload, WorkbookRefused
from ..upload import (
    UID_RE, MiB, allowed_labels, cell_problem, cell_text, cell_value, convert, kept_rows, norm, open_upload, problem,
    refuse, unknown_text,
)
from .layout import (
    MAGIC, META_SHEET, TEMPLATE_MAX_COLUMNS, TEMPLATE_MAX_ROWS, TEMPLATE_MAX_UNCOMPRESSED, _NO, _YES, Line,
    section_lines, sheet_titles, ui,
)


_REFUSALS: dict[str, tuple[str, str]] = {
    "not_template": ("Šis fails nav šī servisa pārskata veidne (tajā nav servisa datu vai tie ir bojāti). "
                     "Lejupielādējiet veidni pārskata lapā, aizpildiet to un augšupielādējiet.",
                     "This file is not a return template of this service (its service data is missing or damaged). "
                     "Download the template on the return's page, fill it in and upload it."),
    "old_template": ("Fails ir lejupielādēts no vecākas veidnes versijas (formāts {found}, tagad {expected}). "
                     "Lejupielādējiet jaunu veidni un pārkopējiet tajā savas atbildes.",
                     "The file was downloaded from an older version of the template (format {found}, now "
                     "{expected}). Download a new template and copy your answers into it."),
    "wrong_municipality": ("Fails ir pašvaldības «{found}» veidne, bet jūs augšupielādējat pašvaldības "
                           "«{expected}» pārskatu. Lejupielādējiet šīs pašvaldības veidni.",
                           "The file is the template of the municipality “{found}”, but you are uploading to the "
                           "return of “{expected}”. Download this municipality's template."),
    "wrong_year": ("Fails ir {found}. gada pārskata veidne, bet jūs augšupielādējat {expected}. gada pārskatu. "
                   "Lejupielādējiet {expected}. gada veidni.",
                   "The file is the template of the {found} return, but you are uploading to the {expected} "
                   "return. Download the {expected} template."),
    "no_definition": ("{found}. gadam nav veidlapas.", "There is no form for the year {found}."),
    "old_definition": ("Fails ir lejupielādēts no vecākas veidlapas versijas ({found}, tagad {expected}). "
                       "Lejupielādējiet jaunu veidni un pārkopējiet tajā savas atbildes.",
                       "The file was downloaded from an older version of the form ({found}, now {expected}). "
                       "Download a new template and copy your answers into it."),
    "sheet_missing": ("Failā nav lapas «{expected}» — tā ir dzēsta vai pārdēvēta. Atjaunojiet lapas nosaukumu vai "
                      "lejupielādējiet jaunu veidni un pārkopējiet tajā savas atbildes.",
                      "The file has no sheet “{expected}” — it was deleted or renamed. Restore the sheet's name, or "
                      "download a new template and copy your answers into it."),
}
_META_KEYS = ("format", "template_format", "municipality", "year", "definition_version", "base_version", "locale")
_MAX_META_ROWS = 5000


def _refuse(code: str, **values: Any) -> WorkbookRefused:
    return refuse(code, _REFUSALS, **values)


@dataclass
class _Reading:
    locale: str
    raw: dict[str, Any]
    cells: dict[str, CellRef]
    problems: list[CellProblem]


def read_template(data: bytes, *, definitions: Callable[[int], ReturnDefinition], expected_municipality: str,
                  expected_year: int, max_bytes: int = 2 * MiB,
                  unit_names: Callable[[str], tuple[str, str]] | None = None) -> TemplateUpload:
    """Read a filled-in template: raw answers for ``forms.validate``, where each sits, and cell problems.

    Raises ``WorkbookRefused`` for a file that is not a readable workbook, not our template, for another
    municipality or year, of an older template format or form version, or with a section or table sheet missing.
    ``unit_names``: a municipality's (Latvian, English) name by slug, for the refusal of another municipality's
    file (without it the slugs are named).
    """
    wb = open_upload(data, max_bytes=max_bytes, max_total_uncompressed=TEMPLATE_MAX_UNCOMPRESSED,
                     max_rows=TEMPLATE_MAX_ROWS, max_columns=TEMPLATE_MAX_COLUMNS)
    meta, fingerprints = _read_meta(wb)
    definition = _check_meta(meta, definitions, expected_municipality, expected_year,
                             unit_names or (lambda slug: (slug, slug)))
    titles = sheet_titles(definition, meta["locale"])
    for title in titles.values():
        if title not in wb.sheetnames:
            raise _refuse("sheet_missing", expected=title)
    reading = _Reading(meta["locale"], {}, {}, [])
    for section in definition.sections:
        _read_section(wb[titles[section.key]], section, reading)
        for g in (f for f in section.fields if f.is_group):
            _read_group(wb[titles[g.key]], g, reading)
    return TemplateUpload(
        municipality=meta["municipality"], year=int(meta["year"]), definition_version=meta["definition_version"],
        template_format=meta["template_format"], base_version=int(meta["base_version"]),
        fingerprints=fingerprints, raw=reading.raw, cells=reading.cells, problems=reading.problems)


def _read_meta(wb: Workbook) -> tuple[dict[str, str], dict[str, str]]:
    if META_SHEET not in wb.sheetnames or wb[META_SHEET].max_row > _MAX_META_ROWS:
        raise _refuse("not_template")
    meta: dict[str, str] = {}
    fingerprints: dict[str, str] = {}
    for name, value, extra in wb[META_SHEET].iter_rows(min_row=1, max_col=3, values_only=True):
        if cell_text(name) == "fingerprint":
            fingerprints[cell_text(value)] = cell_text(extra)
        elif name is not None:
            meta[cell_text(name)] = cell_text(value)
    if meta.get("format") != MAGIC or any(not meta.get(k) for k in _META_KEYS):
        raise _refuse("not_template")
    if not (meta["year"].isdigit() and meta["base_version"].isdigit() and meta["locale"] in ("lv", "en")):
        raise _refuse("not_template")
    return meta, fingerprints


def _check_meta(meta: Mapping[str, str], definitions: Callable[[int], ReturnDefinition], municipality: str,
                year: int, unit_names: Callable[[str], tuple[str, str]]) -> ReturnDefinition:
    if meta["template_format"] != TEMPLATE_FORMAT:
        raise _refuse("old_template", found=meta["template_format"], expected=TEMPLATE_FORMAT)
    if meta["municipality"] != municipality:
        raise _refuse("wrong_municipality", found=unit_names(meta["municipality"]), expected=unit_names(municipality))
    if int(meta["year"]) != year:
        raise _refuse("wrong_year", found=meta["year"], expected=year)
    try:
        definition = definitions(year)
    except KeyError:
        raise _refuse("no_definition", found=year) from None
    if meta["definition_version"] != definition.version:
        raise _refuse("old_definition", found=meta["definition_version"], expected=definition.version)
    return definition


def _line_label(line: Line, locale: str) -> str:
    label = line.field.label.get(locale)
    return f"{label} — {line.choice.label(locale)}" if line.choice is not None else label


def _read_section(ws: Worksheet, section: Section, r: _Reading) -> None:
    lines = section_lines(section)
    chosen: dict[str, list[str]] = {}
    for row, line in enumerate(lines, start=2):
        f, label = line.field, _line_label(line, r.locale)
        found = cell_text(ws.cell(row, 1).value)
        if found != line.key:
            r.problems.append(problem(CellRef(ws.title, f"A{row}", label), "key_changed", found=found,
                                      expected=line.key))
            continue
        ref = CellRef(ws.title, f"C{row}", label)
        if line.kind == "question":
            chosen[f.key] = []
            r.cells[f.key] = CellRef(ws.title, f"C{row + 1}", label)
        elif line.kind == "option":
            _read_option(ws.cell(row, 3), ref, line, chosen.setdefault(f.key, []), r)
        elif line.kind == "field":
            _read_answer(ws.cell(row, 3), ref, f, r)
    for key, codes in chosen.items():
        f = _section_field(section, key)
        r.raw[key] = [c.code for c in f.choices if c.code in codes] or None
    _extra_rows(ws, len(lines) + 2, (1, 3), r)


def _section_field(section: Section, key: str) -> Field:
    return next(f for f in section.fields if f.key == key)


def _read_answer(cell: Any, ref: CellRef, f: Field, r: _Reading) -> None:
    r.cells[f.key] = ref
    found = cell_problem(cell, ref)
    if found is not None:
        r.problems.append(found)
        r.raw[f.key] = None
        return
    raw, error = convert(f, cell_value(cell, f))
    if error:
        r.problems.append(problem(ref, error, value=unknown_text(f, cell.value), allowed=allowed_labels(f)))
    r.raw[f.key] = raw


def _yes_no(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = norm(cell_text(value))
    if text.endswith(".0"):
        text = text[:-2]
    if text in _YES:
        return True
    return False if text in _NO or not text else None


def _read_option(cell: Any, ref: CellRef, line: Line, codes: list[str], r: _Reading) -> None:
    found = cell_problem(cell, ref)
    if found is not None:
        r.problems.append(found)
        return
    selected = _yes_no(cell.value)
    if selected is None:
        allowed = (f"{ui('yes', 'lv')}; {ui('no', 'lv')}", f"{ui('yes', 'en')}; {ui('no', 'en')}")
        r.problems.append(problem(ref, "unknown_choice", value=cell_text(cell.value)[:60], allowed=allowed))
    elif selected and line.choice is not None:
        codes.append(line.choice.code)


def _extra_rows(ws: Worksheet, first: int, columns: tuple[int, ...], r: _Reading) -> None:
    """Rows below the expected ones must be empty (a protected sheet cannot get new rows by accident)."""
    for row in range(first, ws.max_row + 1):
        for col in columns:
            value = ws.cell(row, col).value
            if cell_text(value):
                ref = CellRef(ws.title, f"{get_column_letter(col)}{row}", "")
                r.problems.append(problem(ref, "unknown_key", found=cell_text(value)[:60]))
                return


def _read_group(ws: Worksheet, g: Field, r: _Reading) -> None:
    r.cells[g.key] = CellRef(ws.title, "B3", g.label.get(r.locale))
    if not _group_header_ok(ws, g, r):
        return
    rows: list[dict[str, Any]] = []
    for row in range(3, ws.max_row + 1):
        data: dict[str, Any] = {}
        for col, child in enumerate(g.fields, start=2):
            ref = CellRef(ws.title, f"{get_column_letter(col)}{row}", child.label.get(r.locale))
            data[child.key] = _group_cell(ws.cell(row, col), ref, child, r)
        uid = cell_text(ws.cell(row, 1).value)
        if uid:
            data["_uid"] = uid
        rows.append(data)
    keep = kept_rows(g, rows)
    r.raw[g.key] = [rows[i] for i in keep]
    _group_refs(ws, g, [i + 3 for i in keep], r)
    _check_uids(ws, r.raw[g.key], [i + 3 for i in keep], r)


def _group_header_ok(ws: Worksheet, g: Field, r: _Reading) -> bool:
    expected = ["_uid", *(c.key for c in g.fields)]
    for col in range(1, max(ws.max_column, len(expected)) + 1):
        found = cell_text(ws.cell(1, col).value)
        want = expected[col - 1] if col <= len(expected) else ""
        if found != want:
            ref = CellRef(ws.title, f"{get_column_letter(col)}1", g.label.get(r.locale))
            r.problems.append(problem(ref, "header_changed", found=found, expected=want))
            return False
    return True


def _group_cell(cell: Any, ref: CellRef, child: Field, r: _Reading) -> Any:
    found = cell_problem(cell, ref)
    if found is not None:
        r.problems.append(found)
        return None
    raw, error = convert(child, cell_value(cell, child))
    if error:
        r.problems.append(problem(ref, error, value=unknown_text(child, cell.value), allowed=allowed_labels(child)))
    return raw


def _group_refs(ws: Worksheet, g: Field, numbers: list[int], r: _Reading) -> None:
    for index, row in enumerate(numbers):
        r.cells[f"{g.key}[{index}]"] = CellRef(ws.title, f"B{row}",
                                               ui("entry", r.locale).format(g.label.get(r.locale), index + 1))
        for col, child in enumerate(g.fields, start=2):
            r.cells[f"{g.key}[{index}].{child.key}"] = CellRef(ws.title, f"{get_column_letter(col)}{row}",
                                                               child.label.get(r.locale))


def _check_uids(ws: Worksheet, rows: list[dict[str, Any]], numbers: list[int], r: _Reading) -> None:
    seen: dict[str, int] = {}
    for data, row in zip(rows, numbers):
        uid = data.get("_uid")
        if uid is None:
            continue
        ref = CellRef(ws.title, f"A{row}", ui("uid", r.locale))
        if not UID_RE.match(uid):
            r.problems.append(problem(ref, "bad_uid", value=uid[:40]))
            del data["_uid"]
        elif uid in seen:
            r.problems.append(problem(ref, "duplicate_uid", other=str(seen[uid])))
            del data["_uid"]
        else:
            seen[uid] = row
