"""Reading many municipalities' returns (of one or more years) from one workbook in the benchmark layout.

Layout (the researchers' workbook, ``benchmark``):

- ``Data``: row 1 the variable keys — ``municipality`` (slug), ``municipality_name``, ``region``, ``region_name``,
  ``year``, ``status``, then top-level field keys in any order (personal fields may be present or absent). One
  row per municipality and year. A municipality that is not a slug is read through the caller's ``resolve``
  (a name, or a municipality of before the 2021 reform counted as its successor, reported in ``notes``); two
  rows counted as one municipality and year are refused, naming both rows. Multi-choice cells hold codes or
  labels separated by ``;``; "hard to say" is ``hard_to_say`` or its label. Only ``municipality`` and ``year``
  are required; the names, region and status are descriptive and not read. A column named by a group key (a row
  count, say) is ignored: groups are read from their own sheets. A workbook of several years has the columns of
  every year's form: a column that a row's year does not ask is fine while its cell is empty, and reported when
  filled; a column no form of the file's years (or of ``column_years``) asks is reported.
- When one ``year`` is read from a workbook of several, the rows of the other years (and their table rows) are
  not read, and ``skipped`` says so, one line per year with its rows; a workbook without a row of ``year`` is
  refused.
- one sheet per repeating group, named by the group key (cut to 31 characters): ``municipality``, ``year``,
  ``row`` (1-based position), ``row_id`` (optional entry id), then the group's field keys.
- ``README``, ``Codebook``, ``Indicators`` and ``Charts`` are ignored; any other sheet is reported.

The workbook is opened in normal mode after the zip guard (``open_upload``): the formula and risky-text checks
need each cell's ``data_type``, ``quotePrefix`` and number format, which read-only mode does not give reliably,
and the file is small (tens of municipalities × a few years). Problems are collected per cell; nothing raises
except a file that cannot be read at all, or has no ``Data`` sheet with ``municipality`` and ``year`` columns.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Collection

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from forms import Field, ReturnDefinition

from .model import BulkRow, BulkUpload, CellProblem, CellRef, UnitNote, UnitResolution, WorkbookRefused
from .upload import (
    UID_RE, MiB, cell_problem, cell_text, cell_value, convert, kept_rows, open_upload, problem, refuse, unknown_text,
)

DATA_SHEET = "Data"
# 43 municipalities × years, tables up to 50 rows each; a larger used range is refused before it is walked
BULK_MAX_ROWS, BULK_MAX_COLUMNS = 50_000, 300
# what openpyxl's load may build, bounded before it runs (benchmarks/bench_import_bound.py): a year of 43
# realistically sized returns is ~1 MiB of XML and ~100,000 elements (~19,000 cells); six times that is allowed,
# so a five-year benchmark download still imports (one year of it is read)
BULK_MAX_UNCOMPRESSED = 16 * MiB
BULK_MAX_MARKUP = 600_000
IGNORED_SHEETS = frozenset({"readme", "codebook", "indicators", "charts"})
DESCRIPTIVE = ("municipality_name", "region", "region_name", "status")
_GROUP_COLUMNS = frozenset({"municipality", "year", "row", "row_id", *DESCRIPTIVE})

_REFUSALS: dict[str, tuple[str, str]] = {
    "no_data_sheet": ("Darbgrāmatā nav lapas «Data». Izmantojiet pētnieku darbgrāmatas izkārtojumu: lapa «Data» ar "
                      "vienu rindu katrai pašvaldībai un gadam, tabulām — atsevišķas lapas.",
                      "The workbook has no sheet “Data”. Use the layout of the researchers' workbook: a sheet "
                      "“Data” with one row per municipality and year, and a sheet per table."),
    "bad_header": ("Lapas «Data» 1. rindā jābūt mainīgo nosaukumiem, tostarp «municipality» un «year».",
                   "Row 1 of the sheet “Data” must hold the variable names, including “municipality” and “year”."),
    "no_rows_of_year": ("Lapā «Data» nav nevienas {year}. gada rindas (failā ir gadi: {years}). Izvēlieties gadu, "
                        "ko fails satur.",
                        "The sheet “Data” has no row of {year} (the file holds the years {years}). Choose a year the "
                        "file holds."),
}
_MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_unit": ("pašvaldība «{value}» nav zināma. Izmantojiet pašvaldības kodu (piemēram, cesu-novads) vai "
                     "nosaukumu.",
                     "the municipality “{value}” is not known. Use the municipality's code (e.g. cesu-novads) or "
                     "its name."),
    "bad_year": ("«{value}» nav gads.", "“{value}” is not a year."),
    "other_year": ("{year}. gada rindas netika nolasītas (rindas: {rows}) — tiek ielādēts {expected}. gads; arī "
                   "to ieraksti tabulu lapās netika nolasīti.",
                   "the rows of {year} were not read (rows: {rows}) — {expected} is being imported; nor were their "
                   "entries on the table sheets."),
    "no_definition": ("{value}. gadam nav veidlapas.", "there is no form for the year {value}."),
    "reform_split": ("«{value}» 2021. gada reformā tika sadalīts starp vairākām pašvaldībām ({candidates}); "
                     "rindu nevar piedēvēt vienai no tām. Norādiet pēcteces kodu.",
                     "“{value}” was divided between several municipalities in the 2021 reform ({candidates}); the "
                     "row cannot be counted as one of them. Write the successor's code."),
    "reform_conflict": ("{this_row}. rinda («{value}») un {other}. rinda («{other_value}») pēc 2021. gada reformas "
                        "abas ir {successor} ({year}. gads): divu pašvaldību atbildes nevar apvienot vienā pārskatā. "
                        "Atstājiet vienu rindu.",
                        "row {this_row} (“{value}”) and row {other} (“{other_value}”) are both {successor} in {year} "
                        "after the 2021 reform: two municipalities' answers cannot be merged into one return. Keep "
                        "one row."),
    "duplicate_row": ("pašvaldība «{value}» {year}. gadā jau ir rindā {other}.",
                      "the municipality “{value}” already has a row for {year} (row {other})."),
    "orphan_group_row": ("lapā «Data» nav rindas pašvaldībai «{value}» {year}. gadā.",
                         "the sheet “Data” has no row for the municipality “{value}” in {year}."),
    "unknown_column": ("kolonna «{value}» nav zināma: veidlapā tāda jautājuma nav.",
                       "the column “{value}” is not known: the form has no such question."),
    "field_not_in_year": ("jautājuma «{value}» {year}. gada veidlapā nav; atstājiet šūnu tukšu.",
                          "the {year} form has no question “{value}”; leave the cell empty."),
    "bad_row_number": ("ieraksta numuram (row) jābūt veselam skaitlim no 1; atrasts «{value}».",
                       "the entry number (row) must be a whole number from 1; found “{value}”."),
    "duplicate_row_number": ("ieraksta numurs {value} šai pašvaldībai un gadam atkārtojas.",
                             "the entry number {value} repeats for this municipality and year."),
    "unknown_sheet": ("lapa «{value}» nav zināma: tabulu lapām jābūt nosauktām tabulas kodā (piemēram, "
                      "grant_programmes).",
                      "the sheet “{value}” is not known: table sheets must be named by the table's key (e.g. "
                      "grant_programmes)."),
    "bad_group_header": ("tabulas lapā jābūt kolonnām «municipality» un «year».",
                         "a table sheet must have the columns “municipality” and “year”."),
}


def _refuse(code: str, **values: Any) -> WorkbookRefused:
    return refuse(code, _REFUSALS, **values)


def _ranges(numbers: list[int]) -> str:
    """Row numbers as short text: 2, 5, 9–12."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in numbers[1:] + [None]:  # type: ignore[list-item]
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if n is not None:
            start = prev = n
    return ", ".join(parts)


def _whole(value: Any) -> int | None:
    """A whole number from a cell (2024, 2024.0, "2024"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, (float, Decimal)) and value == int(value):
        return int(value)
    text = cell_text(value)
    return int(text) if text.isdigit() and len(text) < 10 else None


@dataclass
class _Entry:
    """A group row read from a group sheet, before it is attached to its return."""

    order: tuple[int, int]  # (row number or a large number, sheet row)
    data: dict[str, Any]
    refs: dict[str, CellRef]
    sheet_row: int


@dataclass
class _Header:
    columns: dict[str, int]  # key → column
    unknown_blank: list[int] = field(default_factory=list)  # columns without a name


Resolver = Callable[[str, int], UnitResolution]


def read_bulk(data: bytes, *, definitions: Callable[[int], ReturnDefinition], known_units: Collection[str],
              year: int | None = None, max_bytes: int = 5 * MiB, locale: str = "lv",
              resolve: Resolver | None = None, column_years: Collection[int] = ()) -> BulkUpload:
    """Read a bulk workbook: one ``BulkRow`` per Data row (raw answers, group rows attached), and problems.

    ``year``: read only that year's rows (the others are ``skipped``). ``resolve(text, year)`` reads a
    municipality cell that is not one of ``known_units`` (None: slugs only). ``column_years``: years whose forms'
    questions are known columns even without a row of that year (an export of 2022–2026 has the 2026 columns)."""
    wb = open_upload(data, max_bytes=max_bytes, max_total_uncompressed=BULK_MAX_UNCOMPRESSED,
                     max_rows=BULK_MAX_ROWS, max_columns=BULK_MAX_COLUMNS, max_markup=BULK_MAX_MARKUP)
    if DATA_SHEET not in wb.sheetnames:
        raise _refuse("no_data_sheet")
    reader = _BulkReader(definitions, frozenset(known_units), year, "en" if locale == "en" else "lv", resolve)
    for known in column_years:
        reader.definition(known)
    reader.read_data(wb[DATA_SHEET])
    reader.read_group_sheets(wb)
    return BulkUpload(rows=list(reader.rows.values()), problems=reader.problems, notes=reader.notes,
                      skipped=reader.skipped)


class _BulkReader:
    def __init__(self, definitions: Callable[[int], ReturnDefinition], units: frozenset[str], year: int | None,
                 locale: str, resolve: Resolver | None = None) -> None:
        self.definitions, self.units, self.year, self.locale = definitions, units, year, locale
        self.resolver = resolve
        self.resolved: dict[tuple[str, int], UnitResolution] = {}
        self.written: dict[tuple[str, int], str] = {}  # (slug, year) → the municipality as its Data row wrote it
        self.notes: list[UnitNote] = []
        self.rows: dict[tuple[str, int], BulkRow] = {}
        self.row_numbers: dict[tuple[str, int], int] = {}
        self.refused: set[tuple[str, int]] = set()  # reported on Data: their group rows are not reported again
        self.duplicated: set[tuple[str, int]] = set()
        self.problems: list[CellProblem] = []
        self.skipped: list[CellProblem] = []
        self._defs: dict[int, ReturnDefinition | None] = {}

    # ---------------------------------------------------------------------------------------- helpers

    def definition(self, year: int) -> ReturnDefinition | None:
        if year not in self._defs:
            try:
                self._defs[year] = self.definitions(year)
            except KeyError:
                self._defs[year] = None
        return self._defs[year]

    def known_definitions(self) -> list[ReturnDefinition]:
        """The definitions of every year the file names (refused rows too), else of the year asked for."""
        if self.year is not None:
            self.definition(self.year)
        return [d for _, d in sorted(self._defs.items()) if d is not None]

    def report(self, ws: Worksheet, row: int, col: int, code: str, label: str = "", **values: Any) -> None:
        ref = CellRef(ws.title, f"{get_column_letter(col)}{row}", label)
        self.problems.append(problem(ref, code, _MESSAGES, **{k: str(v) for k, v in values.items()}))

    def header(self, ws: Worksheet) -> _Header:
        out = _Header({})
        for col in range(1, ws.max_column + 1):
            key = cell_text(ws.cell(1, col).value)
            if not key:
                out.unknown_blank.append(col)
            elif key in out.columns:
                self.report(ws, 1, col, "unknown_column", value=key)
            else:
                out.columns[key] = col
        return out

    def answer(self, ws: Worksheet, row: int, col: int, f: Field) -> tuple[Any, CellRef]:
        cell = ws.cell(row, col)
        ref = CellRef(ws.title, cell.coordinate, f.label.get(self.locale))
        found = cell_problem(cell, ref)
        if found is not None:
            self.problems.append(found)
            return None, ref
        raw, error = convert(f, cell_value(cell, f))
        if error:
            allowed = ("; ".join(c.code for c in f.choices),) * 2
            self.problems.append(problem(ref, error, value=unknown_text(f, cell.value), allowed=allowed))
        return raw, ref

    def unit_year(self, ws: Worksheet, row: int, cols: dict[str, int]) -> tuple[str, int | None, bool]:
        """The municipality and year of a row (None when a cell is unusable, reported); whether the row is blank."""
        unit_cell, year_cell = ws.cell(row, cols["municipality"]), ws.cell(row, cols["year"])
        for cell in (unit_cell, year_cell):
            found = cell_problem(cell, CellRef(ws.title, cell.coordinate, ""))
            if found is not None:
                self.problems.append(found)
                return "", None, False
        unit, year = cell_text(unit_cell.value), _whole(year_cell.value)
        if not unit and year_cell.value is None:
            return "", None, True
        if year is None:
            self.report(ws, row, cols["year"], "bad_year", value=cell_text(year_cell.value)[:20])
        return unit, year, False

    def resolve(self, unit: str, year: int) -> UnitResolution:
        """A municipality cell as a slug: itself when known, else what the caller's resolver says (cached)."""
        if unit in self.units:
            return UnitResolution(unit)
        if self.resolver is None:
            return UnitResolution(None)
        key = (unit, year)
        if key not in self.resolved:
            self.resolved[key] = self.resolver(unit, year)
        return self.resolved[key]

    # ------------------------------------------------------------------------------------------ Data

    def read_data(self, ws: Worksheet) -> None:
        head = self.header(ws)
        if "municipality" not in head.columns or "year" not in head.columns:
            raise _refuse("bad_header")
        others: dict[int, list[int]] = {}  # another year than the one imported → its Data rows
        for row in range(2, ws.max_row + 1):
            unit, year, blank = self.unit_year(ws, row, head.columns)
            if blank and not self._row_has_values(ws, row, head.columns.values()):
                continue
            if self.year is not None and year is not None and year != self.year:
                self.definition(year)  # its columns are known columns of the file
                others.setdefault(year, []).append(row)
            elif not unit and (blank or year is not None):
                self.report(ws, row, head.columns["municipality"], "unknown_unit", value="")
            elif year is not None and unit:
                slug = self._accept(ws, row, head.columns, unit, year)
                if slug is not None:
                    self._read_answers(ws, row, head, self.rows[(slug, year)])
        self._check_columns(ws, head, set(head.columns) - {"municipality", "year", *DESCRIPTIVE},
                            lambda d, key: d.has_field(key))
        self._skip(ws, head.columns["year"], others)

    def _skip(self, ws: Worksheet, col: int, others: dict[int, list[int]]) -> None:
        """Say which rows of other years were not read; without a row of the year imported, refuse the file."""
        if not others:
            return
        if not any(_whole(ws.cell(row, col).value) == self.year for row in range(2, ws.max_row + 1)):
            raise _refuse("no_rows_of_year", year=self.year, years=", ".join(map(str, sorted(others))))
        for year, rows in sorted(others.items()):
            ref = CellRef(ws.title, f"{get_column_letter(col)}{rows[0]}", "year")
            self.skipped.append(problem(ref, "other_year", _MESSAGES, year=str(year), rows=_ranges(rows),
                                        expected=str(self.year)))

    def _row_has_values(self, ws: Worksheet, row: int, cols: Collection[int]) -> bool:
        return any(cell_text(ws.cell(row, col).value) for col in cols)

    def _accept(self, ws: Worksheet, row: int, cols: dict[str, int], written: str, year: int) -> str | None:
        """The row's municipality slug when the row is read, else None (reported)."""
        unit_col, year_col = cols["municipality"], cols["year"]
        self.definition(year)  # its columns are known even when the row is refused
        found = self.resolve(written, year)
        unit = found.slug or written
        if found.slug is None and found.candidates:
            self.report(ws, row, unit_col, "reform_split", value=written[:60], candidates="; ".join(found.candidates))
        elif found.slug is None or found.slug not in self.units:
            self.report(ws, row, unit_col, "unknown_unit", value=written[:60])
        elif self.definition(year) is None:
            self.report(ws, row, year_col, "no_definition", value=year)
        elif (unit, year) in self.rows:
            other_written = self.written[(unit, year)]
            other = self.resolve(other_written, year)
            if found.former or other.former:  # two municipalities of before the reform, now one
                self.report(ws, row, unit_col, "reform_conflict", this_row=row, value=written[:60],
                            other=self.row_numbers[(unit, year)], other_value=other_written[:60],
                            successor=found.successor or other.successor or unit, year=year)
            else:
                self.report(ws, row, unit_col, "duplicate_row", value=unit, year=year,
                            other=self.row_numbers[(unit, year)])
            self.duplicated.add((unit, year))  # whose group rows are which is unknown: not read
            return None
        else:
            ref = CellRef(ws.title, f"{get_column_letter(unit_col)}{row}", "municipality")
            self.rows[(unit, year)] = BulkRow(unit, year, {}, {
                "municipality": ref, "year": CellRef(ws.title, f"{get_column_letter(year_col)}{row}", "year")})
            self.row_numbers[(unit, year)] = row
            self.written[(unit, year)] = written
            if found.former:
                named = "" if written == found.former else f": {found.former}"
                self.notes.append(UnitNote(
                    ref, row, written, found.former, unit,
                    f"{row}. rinda: «{written}» (pašvaldība pirms 2021. gada reformas{named}) uzskaitīta kā "
                    f"{found.successor}.",
                    f"Row {row}: “{written}” (before the 2021 reform{named}) counted as {found.successor}."))
            return unit
        self.refused.add((written, year))
        return None

    def _read_answers(self, ws: Worksheet, row: int, head: _Header, target: BulkRow) -> None:
        definition = self.definition(target.year)
        assert definition is not None
        for key, col in head.columns.items():
            if key in ("municipality", "year", *DESCRIPTIVE):
                continue
            if not definition.has_field(key):
                if cell_text(ws.cell(row, col).value) and self._known_anywhere(key):
                    self.report(ws, row, col, "field_not_in_year", value=key, year=target.year)
                continue
            f = definition.field(key)
            if f.is_group:
                continue
            target.raw[key], target.cells[key] = self.answer(ws, row, col, f)

    def _known_child(self, group: str, key: str) -> bool:
        return any(d.has_field(group) and key in {c.key for c in d.field(group).fields}
                   for d in self.known_definitions())

    def _known_anywhere(self, key: str) -> bool:
        return any(d.has_field(key) for d in self.known_definitions())

    def _check_columns(self, ws: Worksheet, head: _Header, keys: set[str],
                       known: Callable[[ReturnDefinition, str], bool]) -> None:
        definitions = self.known_definitions()
        for key in sorted(keys, key=lambda k: head.columns[k]):
            if definitions and not any(known(d, key) for d in definitions):
                self.report(ws, 1, head.columns[key], "unknown_column", value=key)
        for col in head.unknown_blank:
            if any(cell_text(ws.cell(row, col).value) for row in range(2, ws.max_row + 1)):
                self.report(ws, 1, col, "unknown_column", value="")

    # ------------------------------------------------------------------------------------ group sheets

    def read_group_sheets(self, wb: Workbook) -> None:
        by_title = self._group_titles()
        for ws in wb.worksheets:
            if ws.title == DATA_SHEET or ws.title.casefold() in IGNORED_SHEETS:
                continue
            key = by_title.get(ws.title)
            if key is None:
                self.report(ws, 1, 1, "unknown_sheet", value=ws.title)
                continue
            entries = self._read_group_sheet(ws, key)
            for target in self.rows.values():
                d = self.definition(target.year)
                if (target.unit, target.year) in self.duplicated:
                    continue
                if d is not None and d.has_field(key) and d.field(key).is_group:
                    self._attach(ws, d.field(key), target, entries.get((target.unit, target.year), []))

    def _group_titles(self) -> dict[str, str]:
        keys = {f.key for d in self.known_definitions() for f in d.iter_fields() if f.is_group}
        titles: dict[str, list[str]] = {}
        for key in keys:
            titles.setdefault(key[:31], []).append(key)
        return {title: found[0] for title, found in titles.items() if len(found) == 1}

    def _read_group_sheet(self, ws: Worksheet, key: str) -> dict[tuple[str, int], list[_Entry]]:
        head = self.header(ws)
        if "municipality" not in head.columns or "year" not in head.columns:
            self.report(ws, 1, 1, "bad_group_header")
            return {}
        self._check_columns(ws, head, set(head.columns) - _GROUP_COLUMNS,
                            lambda d, child: d.has_field(key) and child in {c.key for c in d.field(key).fields})
        out: dict[tuple[str, int], list[_Entry]] = {}
        for row in range(2, ws.max_row + 1):
            unit, year, blank = self.unit_year(ws, row, head.columns)
            if blank or year is None or (self.year is not None and year != self.year):
                continue  # another year's entries: the Data sheet's note covers them
            if not unit:
                self.report(ws, row, head.columns["municipality"], "unknown_unit", value="")
                continue
            if (unit, year) in self.refused:
                continue  # reported on Data
            unit = self.resolve(unit, year).slug or unit
            target = self.rows.get((unit, year))
            if (unit, year) in self.duplicated:
                continue
            if target is None:
                if (unit, year) not in self.refused:
                    self.report(ws, row, head.columns["municipality"], "orphan_group_row", value=unit, year=year)
                continue
            d = self.definition(year)
            assert d is not None
            if d.has_field(key) and d.field(key).is_group:
                out.setdefault((unit, year), []).append(self._entry(ws, row, head, d.field(key), year))
        return out

    def _entry(self, ws: Worksheet, row: int, head: _Header, group: Field, group_year: int) -> _Entry:
        data: dict[str, Any] = {}
        refs: dict[str, CellRef] = {}
        children = {c.key: c for c in group.fields}
        for key, col in head.columns.items():
            if key in children:
                data[key], refs[key] = self.answer(ws, row, col, children[key])
            elif self._known_child(group.key, key) and cell_text(ws.cell(row, col).value):
                self.report(ws, row, col, "field_not_in_year", value=key, year=group_year)
        number = self._row_number(ws, row, head.columns.get("row"))
        uid = self._uid(ws, row, head.columns.get("row_id"))
        if uid:
            data["_uid"] = uid
        return _Entry((number if number is not None else 10 ** 9, row), data, refs, row)

    def _row_number(self, ws: Worksheet, row: int, col: int | None) -> int | None:
        if col is None or ws.cell(row, col).value is None or not cell_text(ws.cell(row, col).value):
            return None
        number = _whole(ws.cell(row, col).value)
        if number is None or number < 1:
            self.report(ws, row, col, "bad_row_number", value=cell_text(ws.cell(row, col).value)[:20])
            return None
        return number

    def _uid(self, ws: Worksheet, row: int, col: int | None) -> str | None:
        if col is None:
            return None
        cell = ws.cell(row, col)
        uid = cell_text(cell.value).lower()
        if uid and not UID_RE.match(uid):
            self.problems.append(problem(CellRef(ws.title, cell.coordinate, "row_id"), "bad_uid", value=uid[:40]))
            return None
        return uid or None

    def _attach(self, ws: Worksheet, group: Field, target: BulkRow, entries: list[_Entry]) -> None:
        entries = sorted(entries, key=lambda e: e.order)
        self._check_duplicates(ws, entries)
        rows = [e.data for e in entries]
        d = self.definition(target.year)
        keep = kept_rows(group, rows, gates_may_be_unasked=d is not None and d.gates_may_be_unasked)
        target.raw[group.key] = [rows[i] for i in keep]
        label = group.label.get(self.locale)
        target.cells.setdefault(group.key, CellRef(ws.title, f"A{entries[0].sheet_row}" if entries else "A1", label))
        for index, i in enumerate(keep):
            target.cells[f"{group.key}[{index}]"] = CellRef(ws.title, f"A{entries[i].sheet_row}", label)
            for child, ref in entries[i].refs.items():
                target.cells[f"{group.key}[{index}].{child}"] = ref

    def _check_duplicates(self, ws: Worksheet, entries: list[_Entry]) -> None:
        numbers: set[int] = set()
        uids: dict[str, int] = {}
        for e in entries:
            if e.order[0] < 10 ** 9:
                if e.order[0] in numbers:
                    self.report(ws, e.sheet_row, 1, "duplicate_row_number", value=e.order[0])
                numbers.add(e.order[0])
            uid = e.data.get("_uid")
            if uid in uids:
                self.report(ws, e.sheet_row, 1, "duplicate_uid", other=uids[uid])
                del e.data["_uid"]
            elif uid:
                uids[uid] = e.sheet_row
