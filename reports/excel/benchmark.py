"""The researchers' benchmark workbook and the same data as CSV files in a zip.

Both writers take one pass over ``units`` (a generator of any length is fine: nothing is kept in memory but the
current unit; openpyxl's write-only sheets stream to temporary files, the CSV of each group sheet goes to a
spooled temporary file). ``Flattener`` turns one ``ExportUnit`` into its Data row and group rows; the xlsx and CSV
sinks only differ in how a value is written. Personal fields never appear (see ``codebook.layout``).

Workbook sheets, in order: README, Codebook, Data, one sheet per repeating group, Indicators, Charts.
Zip members: codebook.csv, data.csv, one ``<group sheet>.csv`` per group sheet, indicators.csv, README.txt.
Column headers are variable keys (``codebook.CODEBOOK_COLUMNS``, ``INDICATOR_COLUMNS``, the Codebook's variables).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import shutil
import tempfile
import zipfile
from copy import copy
from decimal import Decimal, InvalidOperation
from types import MethodType
from typing import Any, BinaryIO, Callable, Iterable, Iterator, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from forms.schema import DONT_KNOW, Field, FieldType, ReturnDefinition, Text

from .codebook import CODEBOOK_COLUMNS, DATA_ID_COLUMNS, DATA_SHEET, GROUP_ID_COLUMNS, GroupSheet, Layout
from .codebook import codebook_rows, layout
from .coverage import COVERAGE_COLUMNS, coverage_cells, coverage_text
from .model import ExportUnit, WorkbookInfo
from .safety import csv_field, safe_text_cell

EUR = '#,##0.00 [$€-426]'
PERCENT = '0.0" %"'  # values are 0–100: Excel's "%" format would multiply them by 100
INTEGER = "#,##0"
DECIMAL = "0.0##"
DATE = "yyyy-mm-dd"
PP = '+0.0" pp";-0.0" pp";0.0" pp"'  # changes of shares, in percentage points
DIFFERENCE = "+#,##0.00;-#,##0.00;0.00"
_FORMAT_OF_TYPE = {FieldType.INTEGER: INTEGER, FieldType.MONEY: EUR, FieldType.PERCENT: PERCENT,
                   FieldType.DECIMAL: DECIMAL, FieldType.DATE: DATE}

Converter = Callable[[Any], Any] | None  # None: the value is written as it is


# ------------------------------------------------------------------------------------ rows (xlsx and csv)

def _converter(field: Field, info: WorkbookInfo) -> Converter:
    """Typed answer → the value the exports write (codes or labels; multi-choice joined into one text)."""
    if field.type == FieldType.MULTI_CHOICE:
        if info.use_labels:
            labels = {c.code: c.label(info.locale) for c in field.choices}
            return lambda v: "; ".join(labels.get(c, c) for c in _listed(v))
        return lambda v: ";".join(_listed(v))
    if not info.use_labels or not (field.choices or field.allow_dont_know):
        return None
    labels = {c.code: c.label(info.locale) for c in field.choices}
    labels.setdefault(DONT_KNOW, "Hard to say" if info.locale == "en" else "Grūti pateikt")
    return lambda v: labels.get(v, v) if type(v) is str else v


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


class Flattener:
    """Builds the rows of the Data sheet and the group sheets for one unit at a time (shared by both writers)."""

    def __init__(self, definitions: Mapping[int, ReturnDefinition], info: WorkbookInfo) -> None:
        self.definitions, self.info = definitions, info
        self.plan: Layout = layout(definitions)
        self._years: dict[int, tuple[list[tuple[str, Converter]], list[list[tuple[str, Converter]]]]] = {}

    def data_header(self) -> list[str]:
        return [key for key, _ in DATA_ID_COLUMNS] + [v.key for v in self.plan.columns]

    def data_formats(self) -> list[str | None]:
        return [None] * len(DATA_ID_COLUMNS) + [_FORMAT_OF_TYPE.get(v.field.type) for v in self.plan.columns]

    @staticmethod
    def group_header(group: GroupSheet) -> list[str]:
        return [key for key, _ in GROUP_ID_COLUMNS] + [v.key for v in group.children]

    @staticmethod
    def group_formats(group: GroupSheet) -> list[str | None]:
        return [None] * len(GROUP_ID_COLUMNS) + [_FORMAT_OF_TYPE.get(v.field.type) for v in group.children]

    def rows(self, unit: ExportUnit) -> tuple[list[Any], list[list[list[Any]]]]:
        """(the Data row, per group sheet in ``plan.groups`` order its rows)."""
        top, groups = self._converters(unit.year)
        values = unit.values
        data: list[Any] = [unit.unit, unit.name, unit.region, unit.region_name, unit.year, unit.status]
        data += _convert(values, top)
        group_rows = []
        for group, children in zip(self.plan.groups, groups):
            answered = values.get(group.key) or ()
            # a row id would follow a person from year to year where the group held personal data
            keep_id = not any(c.is_personal for c in group.field.fields)
            # a row whose every exported cell is empty (it held personal data only) says nothing and would not
            # import back as a row: it is left out, and the rows are numbered without it
            converted = [(row, _convert(row, children)) for row in answered]
            kept = [(row, cells) for row, cells in converted if any(c is not None and c != "" for c in cells)]
            group_rows.append([[unit.unit, unit.year, number, row.get("_uid") if keep_id else None, *cells]
                               for number, (row, cells) in enumerate(kept, 1)])
        return data, group_rows

    def _converters(self, year: int) -> tuple[list[tuple[str, Converter]], list[list[tuple[str, Converter]]]]:
        found = self._years.get(year)
        if found is None:
            definition = self.definitions.get(year)
            top = [(v.key, _converter(_field_in(definition, v.key) or v.field, self.info)) for v in self.plan.columns]
            groups = [[(v.key, _converter(_field_in(definition, g.key, v.key) or v.field, self.info))
                       for v in g.children] for g in self.plan.groups]
            found = self._years[year] = (top, groups)
        return found


def _field_in(definition: ReturnDefinition | None, key: str, child: str | None = None) -> Field | None:
    """The field as the unit's own year defines it (``None`` when that year has no such field)."""
    if definition is None or not definition.has_field(key):
        return None
    field = definition.field(key)
    if child is None:
        return None if field.is_group else field
    return next((f for f in field.fields if f.key == child), None) if field.is_group else None


def _convert(values: Mapping[str, Any], converters: list[tuple[str, Converter]]) -> list[Any]:
    out = []
    for key, convert in converters:
        value = values.get(key)
        out.append(value if value is None or convert is None else convert(value))
    return out


def _stream(flat: Flattener, units: Iterable[ExportUnit], data: Any, groups: Sequence[Any]) -> None:
    """The one pass over ``units``: each unit's rows go to the Data sink and the group sinks."""
    for unit in units:
        row, group_rows = flat.rows(unit)
        data.append(row)
        for sink, rows in zip(groups, group_rows):
            for group_row in rows:
                sink.append(group_row)


# ---------------------------------------------------------------------------- indicators (xlsx and csv)

INDICATOR_COLUMNS = (
    "year", "indicator", "title", "unit", "scope", "scope_name", "value", "n", "numerator", "n_dont_know",
    "n_missing", "base", "value_2017", "change_2017", "value_2022", "change_2022", "change_previous", "caveats",
    *COVERAGE_COLUMNS,
)
_AGAINST = ("biss_2017", "survey_2022", "previous_year")
_VALUE_FORMATS = {"percent": PERCENT, "eur": EUR, "score": "0.00", "mean_count": "0.00", "std_dev": "0.00"}
_NATIONAL = Text("Latvija", "Latvia")


def indicator_rows(reports: Mapping[int, dict], locale: str) -> Iterator[tuple[list[Any], list[str | None]]]:
    """(values, number formats) per year × indicator × scope (national, then the regions) of ``Report.to_dict()``
    dicts; comparisons: the reference value (a percentage for shares) and the change (pp for shares); ``n_missing``
    and ``base`` (answered / counted) of the figure; the scope's coverage (empty where it was not recorded)."""
    lang = "en" if locale == "en" else "lv"
    for year in sorted(reports):
        report = reports[year]
        scopes = [("national", _NATIONAL.get(lang))] + [(r["slug"], r["name"]) for r in report.get("regions", ())]
        covered = {scope: coverage_cells(report.get("coverage"), scope) for scope, _name in scopes}
        for entry in report.get("indicators", ()):
            title, unit = entry[f"title_{lang}"], entry["unit"]
            value_format = _VALUE_FORMATS.get(unit)
            for scope, scope_name in scopes:
                figure = entry["national"] if scope == "national" else entry["regions"].get(scope)
                if figure is not None:
                    head = [year, entry["key"], title, unit, scope, scope_name, _number(figure["value"]), figure["n"],
                            figure["numerator"], figure["n_dont_know"], figure.get("n_missing"), _base(entry)]
                    values, formats = _with_comparisons(head, figure["comparisons"], unit, value_format, lang)
                    yield values + covered[scope], formats + [None] * len(COVERAGE_COLUMNS)


def _base(entry: dict) -> str:
    """The figure's declared base; reports compiled before it was declared counted blanks as "not ticked" where
    ``blank_counts_as_no`` was set."""
    base = entry.get("base", {})
    return base.get("denominator") or ("counted" if base.get("blank_counts_as_no") else "answered")


def _with_comparisons(head: list[Any], comparisons: list[dict], unit: str, value_format: str | None,
                      lang: str) -> tuple[list[Any], list[str | None]]:
    values, formats = head, [None] * 6 + [value_format] + [None] * 5
    caveats: dict[str, str] = {}
    for against in _AGAINST:
        found = next((c for c in comparisons if c["against"] == against), None)
        if against != "previous_year":
            reference, reference_format = _reference(found, unit, value_format)
            values.append(reference)
            formats.append(reference_format)
        values.append(None if found is None else _number(found["change"]))
        formats.append(PP if found and found["change_unit"] == "pp" else DIFFERENCE)
        for caveat in found["caveats"] if found else ():
            caveats.setdefault(caveat["key"], caveat[lang])
    values.append(" | ".join(caveats.values()) or None)
    formats.append(None)
    return values, formats


def _reference(found: dict | None, unit: str, value_format: str | None) -> tuple[Any, str | None]:
    """The reference figure in the indicator's terms: the percentage for shares; nothing when it is a figure of
    another kind that cannot be compared (a count without a base, a mode against a mean…)."""
    if found is None:
        return None, None
    if found["reference_percent"] is not None and (unit == "percent" or found["change_unit"] == "pp"):
        return _number(found["reference_percent"]), PERCENT
    if found["reference_unit"] == unit or found["change"] is not None:
        return _number(found["reference_value"]), value_format
    return None, None


def _number(value: Any) -> Any:
    """A number of the JSON form → ``Decimal`` (ints stay ints); a mode → "0; 4"; a crosstab → a short text."""
    if value is None or type(value) is int:
        return value
    if type(value) is str:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return number if number.is_finite() else value
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict) and "counts" in value:
        return "; ".join(f"{r} × {c}: {n}" for r, counts in zip(value["rows"], value["counts"])
                         for c, n in zip(value["cols"], counts))
    return str(value)


def key_indicators(reports: Mapping[int, dict], locale: str, limit: int = 8) -> tuple[int | None, list[list[Any]]]:
    """The latest year and up to ``limit`` national shares that have a 2017 figure: [key, title, value, 2017]."""
    if not reports:
        return None, []
    year = max(reports)
    rows = []
    for entry in reports[year].get("indicators", ()):
        figure = entry["national"]
        found = next((c for c in figure["comparisons"] if c["against"] == "biss_2017"), None)
        if entry["unit"] == "percent" and found and found["change"] is not None and figure["value"] is not None:
            title = entry["title_en" if locale == "en" else "title_lv"]
            rows.append([entry["key"], title, _number(figure["value"]), _number(found["reference_percent"])])
    return year, rows[:limit]


# ------------------------------------------------------------------------------------- README (xlsx and csv)

_SHEETS = {
    "Codebook": Text("mainīgie: atslēga, lapa, nosaukums LV/EN, tips, mērvienība, kodi, gadi",
                     "variables: key, sheet, label LV/EN, type, unit, codes, years"),
    DATA_SHEET: Text("viena rinda katrai pašvaldībai un gadam; 1. rindā mainīgo atslēgas kā Codebook lapā",
                     "one row per municipality and year; row 1 holds the variable keys of the Codebook"),
    "Indicators": Text("rādītāji pa gadiem: valsts un 5 plānošanas reģioni, n (bāze), n_missing (nav atbildes vai "
                       "jautājums netika uzdots: ārpus bāzes), base (answered: atbildējušās pašvaldības; counted: "
                       "visas ieskaitītās), salīdzinājumi ar 2017, 2022 un iepriekšējo gadu (izmaiņas "
                       "procentpunktos, pp; tukšs, ja nav datu), pārklājums (units_expected, units_counted, "
                       "units_missing)",
                       "indicators per year: national and the 5 planning regions, n (the base), n_missing (no "
                       "answer or not asked: outside the base), base (answered: municipalities that answered; "
                       "counted: all counted ones), comparisons with 2017, 2022 and the previous year (changes of "
                       "shares in percentage points, pp; empty where there is no data), coverage (units_expected, "
                       "units_counted, units_missing)"),
}
_GROUP_SHEET = Text("atkārtota grupa: viena rinda katrai pārskata rindai (municipality, year, row, row_id)",
                    "repeating group: one row per row of the return (municipality, year, row, row_id)")
_NOTES = (
    Text("2021. gada administratīvi teritoriālā reforma 119 pašvaldības apvienoja 43 pašvaldībās, tāpēc "
         "salīdzinājumi ar 2017. gadu nav līdzvērtīgi: salīdzina procentus, nevis skaitu, un norāda abu gadu bāzi.",
         "The 2021 administrative-territorial reform turned 119 municipalities into 43, so comparisons with 2017 "
         "are not like-for-like: percentages are compared, never counts, and both bases are stated."),
    Text("Katrai pašvaldībai ir viens respondents, kas atbild pašvaldības vārdā: tie ir pašvaldības sniegtie dati, "
         "nevis iedzīvotāju aptauja.",
         "One respondent per municipality answers on its behalf: these are the municipality's own figures, not a "
         "survey of residents."),
    Text("„Grūti pateikt” ir kods hard_to_say, arī skaitļu kolonnās (kā teksts). Tukša šūna: nav atbildes "
         "(jautājums nebija jāatbild, netika uzdots tajā gadā vai netika aizpildīts). Vairākizvēle: kodi vienā "
         "šūnā, atdalīti ar „;”.",
         "\"Hard to say\" is the code hard_to_say, also in number columns (as text). A blank cell: no answer (the "
         "question did not apply, was not asked that year or was left empty). Multiple choice: the codes in one "
         "cell, separated by \";\"."),
    Text("Personas dati (respondenta un kontaktpersonu vārdi, amati, e-pasti, tālruņi) nav iekļauti.",
         "No personal data: names, positions, e-mail addresses and phone numbers of respondents and contact "
         "persons are left out."),
    Text("Summas ir EUR; procenti ir skaitļi 0–100 (nevis daļas); datumi GGGG-MM-DD.",
         "Money is in EUR; percentages are numbers 0–100 (not fractions); dates are YYYY-MM-DD."),
)
_LABELS_NOTE = Text("Izvēles atbildes (un „Grūti pateikt” skaitļu kolonnās) ir rakstītas ar nosaukumiem, nevis "
                    "kodiem; kodi un nosaukumi: lapa Codebook.",
                    "Choice answers (and \"hard to say\" in number columns) are written as labels, not codes; the "
                    "codes and labels: the Codebook sheet.")
_XLSX_NOTE = Text("Teksts, kas sākas ar = + - @, ir saglabāts kā teksts, nevis formula. Skaitļi nav noapaļoti: "
                  "formāts rāda tikai mazāk zīmju.",
                  "Texts starting with = + - @ are stored as text, never as formulas. Numbers are not rounded: the "
                  "number format only shows fewer digits.")
_CSV_NOTE = Text(
    "CSV: UTF-8 ar BOM, komats kā atdalītājs, pēdiņas pēc RFC 4180, skaitļi ar punktu „.” kā decimālzīmi un bez "
    "tūkstošu atdalītājiem. Teksts, kas sākas ar = + - @, tabulāciju vai CR, ir ar priekšā pievienotu „'” (lai "
    "izklājlapa to neuztvertu kā formulu) — pirms analīzes to noņemiet. Lapa Data = data.csv, grupu lapas = "
    "<grupa>.csv, Codebook = codebook.csv, Indicators = indicators.csv.",
    "CSV: UTF-8 with a BOM, comma-separated, quoted per RFC 4180, numbers with \".\" as the decimal mark and no "
    "thousands separators. A text starting with = + - @, tab or CR carries a leading \"'\" (so that a spreadsheet "
    "does not take it for a formula): strip it before analysis. Sheet Data = data.csv, group sheets = "
    "<group>.csv, Codebook = codebook.csv, Indicators = indicators.csv.")
_HEADINGS = {
    "title": Text("Pašvaldību remigrācijas atbalsta monitorings: pētnieku datu kopa",
                  "Monitoring of municipal remigration support in Latvia: researchers' dataset"),
    "generated": Text("Sagatavots", "Generated"), "by": Text("Sagatavoja", "Generated by"),
    "years": Text("Gadi", "Years"), "statuses": Text("Iekļautie statusi", "Statuses included"),
    "snapshot": Text("Rādītāju momentuzņēmums", "Report snapshot"), "none": Text("nav rādītāju", "no indicators"),
    "source": Text("Atsauces dati", "Reference data"), "sheet": Text("Lapa", "Sheet"),
    "note": Text("Piezīme", "Note"), "coverage": Text("Pārklājums", "Coverage"),
}


def readme_lines(info: WorkbookInfo, counts: Mapping[str, int], *, csv: bool = False,
                 reports: Mapping[int, dict] | None = None) -> list[list[str]]:
    """[heading, text in ``info.locale``, the same in the other language]; the first line is the title.
    ``counts``: rows per sheet (by sheet name; ``csv`` names the CSV files instead). ``reports``: year →
    ``Report.to_dict()``; each year with one gets its coverage (municipalities expected, counted, not counted)."""
    lang = "en" if info.locale == "en" else "lv"
    other = "lv" if lang == "en" else "en"

    def line(heading: str, body: Text | str) -> list[str]:
        if isinstance(body, str):
            return [_HEADINGS[heading].get(lang), body, ""]
        return [_HEADINGS[heading].get(lang), body.get(lang), body.get(other)]

    title = _HEADINGS["title"]
    stamp = info.generated_at.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [[title.get(lang), "", title.get(other)], line("generated", stamp)]
    if info.generated_by:
        lines.append(line("by", info.generated_by))
    lines += [line("years", ", ".join(map(str, info.years))), line("statuses", ", ".join(info.statuses))]
    lines += [line("snapshot", f"{y}: {info.snapshots.get(y) or _HEADINGS['none'].get(lang)}") for y in info.years]
    for year in info.years:
        if year in (reports or {}):
            coverage = reports[year].get("coverage")  # type: ignore[index]
            lines.append(line("coverage", Text(f"{year}: {coverage_text(coverage, info.place_names, 'lv')}",
                                               f"{year}: {coverage_text(coverage, info.place_names, 'en')}")))
    lines += [line("source", source) for source in info.sources]
    for sheet, rows in counts.items():
        about, name = _SHEETS.get(sheet, _GROUP_SHEET), csv_name(sheet) if csv else sheet
        lines.append(line("sheet", Text(f"{name}: {about.lv} ({rows} rindas)", f"{name}: {about.en} ({rows} rows)")))
    notes = (*_NOTES, *([_LABELS_NOTE] if info.use_labels else ()), _CSV_NOTE if csv else _XLSX_NOTE)
    return lines + [line("note", note) for note in notes]


def readme_text(info: WorkbookInfo, counts: Mapping[str, int], reports: Mapping[int, dict] | None = None) -> str:
    """README.txt of the CSV zip: the README lines as text, each followed by its other-language version."""
    out = []
    for heading, body, other in readme_lines(info, counts, csv=True, reports=reports):
        out.append(f"{heading}: {body}" if body else heading)
        if other:
            out.append(f"    {other}")
    return "\r\n".join(out) + "\r\n"


# ------------------------------------------------------------------------------------------------- xlsx

class _ColumnCell(Cell):
    """A styled cell reused row after row for one column: a write-only sheet writes each appended row before the
    next one is appended, so one object per styled column is enough. Its style is fixed, so its style id is looked
    up once (openpyxl otherwise hashes the style of every styled cell it writes)."""

    __slots__ = ("_style_id",)

    def __init__(self, ws: Any, style: Any) -> None:
        super().__init__(ws)
        self._style = copy(style)
        self._style_id = ws.parent._cell_styles.add(self._style)

    @property
    def style_id(self) -> int:
        return self._style_id


def _values_to_row(ws: Any, values: Sequence[Any], row_idx: int) -> Iterator[Cell]:
    """``WriteOnlyWorksheet._values_to_row`` (openpyxl 3.1) without its costly path for cell objects: openpyxl
    first tries each appended cell object as a value, formats the error and catches it (~1.5 µs a styled cell)."""
    plain = WriteOnlyCell(ws)
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        if isinstance(value, Cell):
            cell = value
        else:
            plain.value = value
            cell = plain
        cell.column, cell.row = col_idx, row_idx
        yield cell
        if cell is plain and plain.has_style:  # a date got its default format: the next value needs a new cell
            plain = WriteOnlyCell(ws)


_NUMBERS = frozenset({int, float, Decimal})
_DATES = frozenset({dt.date, dt.datetime})
_Slot = tuple[_ColumnCell, frozenset] | None


class _Book:
    """A write-only workbook and its shared cell styles (one style object per number format)."""

    def __init__(self) -> None:
        self.wb = Workbook(write_only=True)
        self._probe = self.wb.create_sheet("probe")  # a parent for the cells that define the styles
        self.wb.remove(self._probe)
        self._styles: dict[str | None, Any] = {None: None}
        self.bold = self._make(font=Font(bold=True))
        self.wrap = self._make(alignment=Alignment(wrap_text=True, vertical="top"))

    def _make(self, **attributes: Any) -> Any:
        probe = WriteOnlyCell(self._probe)
        for name, value in attributes.items():
            setattr(probe, name, value)
        return probe._style

    def style(self, number_format: str | None) -> Any:
        found = self._styles.get(number_format, False)
        if found is False:
            found = self._styles[number_format] = self._make(number_format=number_format)
        return found

    def sheet(self, name: str, header: Sequence[str], formats: Sequence[str | None] = (), *, freeze: str | None,
              widths: Sequence[float] = ()) -> "_XlsxSheet":
        return _XlsxSheet(self, name, header, formats, freeze, widths)


class _XlsxSheet:
    """A write-only sheet: widths and frozen panes first, a bold header row, then rows; counts the rows."""

    def __init__(self, book: _Book, name: str, header: Sequence[str], formats: Sequence[str | None],
                 freeze: str | None, widths: Sequence[float]) -> None:
        self.book, self.ws, self.rows, self.width = book, book.wb.create_sheet(name), 0, len(header)
        self.ws._values_to_row = MethodType(_values_to_row, self.ws)  # see _values_to_row
        self.slots = self._slots(formats or [None] * len(header))
        self._row_slots: dict[tuple[str | None, ...], list[_Slot]] = {}
        if freeze:
            self.ws.freeze_panes = freeze  # must come before the first row
        for index in range(1, max(len(header), len(widths)) + 1):
            wide = widths[index - 1] if index <= len(widths) else min(max(len(header[index - 1]), 8) + 3, 45)
            self.ws.column_dimensions[get_column_letter(index)].width = wide
        if header:
            self.styled_row(header, book.bold)

    def _slots(self, formats: Sequence[str | None]) -> list[_Slot]:
        """Per column: the reusable cell of its number format and the value types it takes (None: no format)."""
        slots: list[_Slot] = []
        for number_format in formats:
            if number_format is None:
                slots.append(None)
                continue
            cell = _ColumnCell(self.ws, self.book.style(number_format))
            slots.append((cell, _DATES if number_format == DATE else _NUMBERS))
        return slots

    def styled_row(self, values: Sequence[Any], style: Any) -> None:
        """A row of texts in one style (the header, the README); not counted."""
        cells = []
        for value in values:
            cell = safe_text_cell(self.ws, value)
            if isinstance(cell, str):
                cell = WriteOnlyCell(self.ws, cell)
            cell._style = style
            cells.append(cell)
        self.ws.append(cells)

    def append(self, values: Sequence[Any], formats: Sequence[str | None] | None = None) -> None:
        """A data row: texts through the safety helper, numbers and dates in the column's (or this row's) format."""
        slots = self.slots if formats is None else self._slots_for(formats)
        ws, out = self.ws, []
        for value, slot in zip(values, slots):
            kind = type(value)
            if kind is str:
                out.append(safe_text_cell(ws, value))
            elif slot is None or kind not in slot[1]:
                out.append(value)
            else:
                cell = slot[0]
                cell.value = value
                out.append(cell)
        ws.append(out)
        self.rows += 1

    def _slots_for(self, formats: Sequence[str | None]) -> list[_Slot]:
        key = tuple(formats)
        found = self._row_slots.get(key)
        if found is None:
            found = self._row_slots[key] = self._slots(key)
        return found

    def filter(self) -> None:
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows + 1}"


def write_benchmark_workbook(out: BinaryIO, *, definitions: Mapping[int, ReturnDefinition],
                             units: Iterable[ExportUnit], reports: Mapping[int, dict],
                             info: WorkbookInfo) -> dict[str, int]:
    """Write the workbook to ``out``; returns the number of rows (header excluded) per sheet.

    ``reports``: year → ``Report.to_dict()`` for the Indicators and Charts sheets (a year without one has none).
    """
    flat, book = Flattener(definitions, info), _Book()
    readme = book.sheet("README", (), freeze=None, widths=(26, 90, 90))
    codebook = book.sheet("Codebook", CODEBOOK_COLUMNS, freeze="B2",
                          widths=(34, 20, 14, 50, 50, 14, 9, 9, 60, 30, 12, 18, 30, 9))
    data = book.sheet(DATA_SHEET, flat.data_header(), flat.data_formats(), freeze="C2")
    groups = [book.sheet(g.sheet, flat.group_header(g), flat.group_formats(g), freeze="C2") for g in flat.plan.groups]
    indicators = book.sheet("Indicators", INDICATOR_COLUMNS, freeze="C2",
                            widths=(7, 40, 60, 11, 16, 24, *([11] * 11), 80, *([11] * len(COVERAGE_COLUMNS))))
    for row in codebook_rows(definitions):
        codebook.append(row.values())
    _stream(flat, units, data, groups)
    for values, formats in indicator_rows(reports, info.locale):
        indicators.append(values, formats)
    for sheet in (codebook, data, *groups, indicators):
        sheet.filter()
    _charts_sheet(book, reports, info.locale)
    counts = {s.ws.title: s.rows for s in (codebook, data, *groups, indicators)}
    title, *lines = readme_lines(info, counts, reports=reports)
    readme.styled_row(title, book.bold)
    for line in lines:
        readme.styled_row(line, book.wrap)
    book.wb.save(out)
    return counts


def _charts_sheet(book: _Book, reports: Mapping[int, dict], locale: str) -> None:
    """A small table of key national shares in the latest year against 2017, and a bar chart of it."""
    year, rows = key_indicators(reports, locale)
    header = ["indicator", "title", f"value_{year}" if year else "value", "value_2017"]
    sheet = book.sheet("Charts", header, [None, None, PERCENT, PERCENT], freeze="A2", widths=(40, 60, 12, 12))
    for row in rows:
        sheet.append(row)
    if not rows:
        return
    chart = BarChart()
    chart.type, chart.width, chart.height = "bar", 24, 4 + 1.5 * len(rows)
    chart.title = f"{year}: " + ("national shares vs 2017, %" if locale == "en" else "valsts īpatsvari pret 2017, %")
    chart.add_data(Reference(sheet.ws, min_col=3, max_col=4, min_row=1, max_row=len(rows) + 1), titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=2, min_row=2, max_row=len(rows) + 1))
    sheet.ws.add_chart(chart, "F2")


# -------------------------------------------------------------------------------------------------- csv

class _CsvSink:
    """RFC 4180 rows (csv module, CRLF) in UTF-8 with a BOM, every field through ``csv_field``."""

    def __init__(self, raw: Any, header: Sequence[str]) -> None:
        self.text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text, lineterminator="\r\n")
        self.writer.writerow(header)
        self.rows = 0

    def append(self, values: Sequence[Any], formats: Any = None) -> None:
        self.writer.writerow([csv_field(v) for v in values])
        self.rows += 1

    def finish(self) -> None:
        self.text.flush()
        self.text.detach()  # leaves the underlying file open


def csv_name(sheet: str) -> str:
    """The CSV file of a workbook sheet: data.csv, codebook.csv, indicators.csv, <group sheet>.csv."""
    return sheet.lower() + ".csv" if sheet in (DATA_SHEET, "Codebook", "Indicators") else sheet + ".csv"


class _Zip:
    """The zip being written: members stamped with the export's time (UTC), compressed."""

    def __init__(self, out: BinaryIO, generated_at: dt.datetime) -> None:
        self.zf = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.stamp = generated_at.astimezone(dt.timezone.utc).timetuple()[:6]

    def open(self, name: str) -> BinaryIO:
        entry = zipfile.ZipInfo(name, date_time=self.stamp)  # type: ignore[arg-type]
        entry.compress_type = zipfile.ZIP_DEFLATED
        return self.zf.open(entry, "w")  # type: ignore[return-value]

    @contextlib.contextmanager
    def csv(self, sheet: str, header: Sequence[str], counts: dict[str, int]) -> Iterator[_CsvSink]:
        """A CSV member for ``sheet``; its row count goes to ``counts[sheet]``."""
        with self.open(csv_name(sheet)) as raw:
            sink = _CsvSink(raw, header)
            yield sink
            sink.finish()
        counts[sheet] = sink.rows


def write_benchmark_csv(out: BinaryIO, *, definitions: Mapping[int, ReturnDefinition], units: Iterable[ExportUnit],
                        reports: Mapping[int, dict], info: WorkbookInfo) -> dict[str, int]:
    """Write the zip of CSV files to ``out``; returns the number of rows (header excluded) per CSV file."""
    flat, counts, zipped = Flattener(definitions, info), {}, _Zip(out, info.generated_at)
    with zipped.zf:
        with zipped.csv("Codebook", CODEBOOK_COLUMNS, counts) as sink:
            for row in codebook_rows(definitions):
                sink.append(row.values())
        _data_csv(zipped, flat, units, counts)
        with zipped.csv("Indicators", INDICATOR_COLUMNS, counts) as sink:
            for values, _ in indicator_rows(reports, info.locale):
                sink.append(values)
        with zipped.open("README.txt") as member:
            member.write(readme_text(info, counts, reports).encode("utf-8-sig"))
    return {csv_name(sheet): rows for sheet, rows in counts.items()}


def _data_csv(zipped: _Zip, flat: Flattener, units: Iterable[ExportUnit], counts: dict[str, int]) -> None:
    """data.csv straight into the zip; the group CSVs into spooled temporary files, copied in afterwards (a zip
    has only one member open for writing at a time)."""
    with contextlib.ExitStack() as stack:
        spools = [stack.enter_context(tempfile.SpooledTemporaryFile(max_size=4 << 20)) for _ in flat.plan.groups]
        sinks = [_CsvSink(spool, flat.group_header(g)) for spool, g in zip(spools, flat.plan.groups)]
        with zipped.csv(DATA_SHEET, flat.data_header(), counts) as data:
            _stream(flat, units, data, sinks)
        for sink, spool, group in zip(sinks, spools, flat.plan.groups):
            sink.finish()
            spool.seek(0)
            with zipped.open(csv_name(group.sheet)) as member:
                shutil.copyfileobj(spool, member, 1 << 20)
            counts[group.sheet] = sink.rows
