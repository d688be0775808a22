"""A municipality's yearly return as a prefilled Excel template, and reading the filled-in template back.

Layout (``TEMPLATE_FORMAT`` "1"):

- ``Norādījumi`` / ``Instructions``: how to fill in the file (Latvian and English), which municipality, year and
  form version it is for.
- one sheet per section (title from the section title, in the template's language): row 1 is a header, then one
  row per top-level question. Column A the key (grey, locked), B the question (locked), C the answer (yellow,
  unlocked), D notes: required, type, range, unit, "hard to say" allowed, "answer only if …", help (locked).
  Choice answers are the labels, with a drop-down (lists on the hidden ``_lists`` sheet). Numbers that allow
  "hard to say" get a drop-down with that one entry that still accepts any number. A multi-choice question is a
  locked question row (key ``field``) followed by one row per option (key ``field=code``) answered Jā/Nē.
  A repeating group is a row (key ``group``) that points to the group's sheet.
- one sheet per repeating group, after its section's sheet (title from the group label; " (tabula)" / " (table)"
  when a section has the same title): row 1 keys (``_uid``, then the child keys), row 2 labels with the notes as
  comments, then one row per existing entry (column A its id, grey and locked) and empty unlocked rows up to the
  group's ``max_rows``. Multi-choice answers in a group cell are labels separated by ``;``.
- ``_lists`` (hidden): the drop-down lists. ``_meta`` (very hidden): municipality, year, definition version,
  template format, the return's version and the fingerprint of every answer as downloaded.

Sheets are protected (without a password: this guides, it does not secure — the reader checks everything again)
and the workbook structure is locked, so sheets are not renamed by accident.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO, Callable, Mapping

from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from forms import DONT_KNOW, Choice, Field, FieldType, ReturnDefinition, Section
from forms.schema import CHOICE_TYPES, TEXT_TYPES
from forms.validation import format_number

from .model import TEMPLATE_FORMAT, CellProblem, CellRef, TemplateUpload, WorkbookRefused
from .upload import (
    UID_RE, MiB, RISKY_STARTS, allowed_labels, cell_problem, cell_text, cell_value, convert, kept_rows, norm,
    open_upload, problem, refuse, unknown_text,
)

META_SHEET, LISTS_SHEET = "_meta", "_lists"
MAGIC = "remigration-monitor/municipality-template"
# a template is small: a few hundred rows at most (the longest table has 50 rows), well under 1 MiB unpacked
TEMPLATE_MAX_ROWS, TEMPLATE_MAX_COLUMNS, TEMPLATE_MAX_UNCOMPRESSED = 1000, 200, 10 * 1024 * 1024
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_YES = frozenset({"jā", "ja", "yes", "y", "x", "1", "true"})
_NO = frozenset({"nē", "ne", "no", "n", "0", "false"})

_UI: dict[str, tuple[str, str]] = {
    "instructions": ("Norādījumi", "Instructions"),
    "key": ("Kods", "Key"), "question": ("Jautājums", "Question"), "answer": ("Atbilde", "Answer"),
    "notes": ("Piezīmes", "Notes"), "uid": ("ID (nemainīt)", "ID (do not change)"),
    "table": (" (tabula)", " (table)"), "yes": ("Jā", "Yes"), "no": ("Nē", "No"),
    "dk": ("Grūti pateikt", "Hard to say"), "or": (" vai ", " or "),
    "required": ("Obligāta atbilde.", "Required."),
    "dk_allowed": ("Var atbildēt «Grūti pateikt».", "“Hard to say” is allowed."),
    "unit": ("Mērvienība: {}.", "Unit: {}."),
    "only_if": ("Atbildiet tikai tad, ja «{}» ir {}.", "Answer only if “{}” is {}."),
    "see_sheet": ("Aizpildiet lapā «{}».", "Fill in on the sheet “{}”."),
    "pick": ("Izvēlieties no saraksta.", "Choose from the list."),
    "multi": ("Vairākas atbildes: zemāk pie katra atbilstošā varianta izvēlieties «Jā».",
              "Multiple answers: choose “Yes” at each option that applies, below."),
    "multi_cell": ("Vairākas atbildes: atdaliet ar semikolu (;). Varianti: {}.",
                   "Multiple answers: separate them with a semicolon (;). Options: {}."),
    "range": ("No {} līdz {}.", "From {} to {}."), "min": ("Ne mazāk kā {}.", "At least {}."),
    "max": ("Ne vairāk kā {}.", "At most {}."), "max_length": ("Līdz {} rakstzīmēm.", "Up to {} characters."),
    "entry": ("{}, {}. ieraksts", "{}, entry {}"),
}
_TYPE_HINTS: dict[FieldType, tuple[str, str]] = {
    FieldType.INTEGER: ("Vesels skaitlis.", "Whole number."),
    FieldType.SCALE: ("Vesels skaitlis.", "Whole number."),
    FieldType.MONEY: ("Summa eiro, ne vairāk kā 2 zīmes aiz komata.", "Amount in euros, up to 2 decimals."),
    FieldType.DECIMAL: ("Skaitlis, ne vairāk kā 4 zīmes aiz komata.", "Number, up to 4 decimals."),
    FieldType.PERCENT: ("Procenti, ne vairāk kā 2 zīmes aiz komata.", "Per cent, up to 2 decimals."),
    FieldType.DATE: ("Datums, piemēram, 02.11.2026.", "Date, e.g. 2026-11-02."),
    FieldType.URL: ("Tīmekļa adrese (https://…).", "Web address (https://…)."),
    FieldType.EMAIL: ("E-pasta adrese.", "E-mail address."),
    FieldType.PHONE: ("Tālruņa numurs.", "Phone number."),
}
_NUMBER_FORMATS = {FieldType.INTEGER: "0", FieldType.SCALE: "0", FieldType.MONEY: "#,##0.00"}
_DATE_FORMATS = {"lv": "dd.mm.yyyy", "en": "yyyy-mm-dd"}

_GREY = PatternFill("solid", fgColor="EDEDED")
_HEADER = PatternFill("solid", fgColor="D9E1F2")
_ANSWER = PatternFill("solid", fgColor="FFF2CC")
_BOLD, _SMALL = Font(bold=True), Font(color="595959", size=9)
_WRAP = Alignment(wrap_text=True, vertical="top")
_UNLOCKED = Protection(locked=False)


def ui(name: str, locale: str) -> str:
    return _UI[name][1 if locale == "en" else 0]


def _pair(pair: tuple[str, str], locale: str) -> str:
    return pair[1 if locale == "en" else 0]


# --------------------------------------------------------------------------------------------- layout

@dataclass(frozen=True)
class Line:
    """One row of a section sheet: what column A holds, and what the row is for."""

    key: str
    field: Field
    kind: str  # "field" | "question" (a multi-choice question, answered on the option rows) | "option" | "group"
    choice: Choice | None = None


def section_lines(section: Section) -> list[Line]:
    lines: list[Line] = []
    for f in section.fields:
        if f.is_group:
            lines.append(Line(f.key, f, "group"))
        elif f.type == FieldType.MULTI_CHOICE:
            lines.append(Line(f.key, f, "question"))
            lines.extend(Line(f"{f.key}={c.code}", f, "option", c) for c in f.choices)
        else:
            lines.append(Line(f.key, f, "field"))
    return lines


def sheet_titles(definition: ReturnDefinition, locale: str) -> dict[str, str]:
    """Section key and group key → sheet title (unique, at most 31 characters, no characters Excel refuses)."""
    used = {name.casefold() for name in (META_SHEET, LISTS_SHEET, ui("instructions", locale), "history")}
    titles: dict[str, str] = {}
    for section in definition.sections:
        titles[section.key] = _unique(section.title.get(locale), used)
        for g in (f for f in section.fields if f.is_group):
            label = g.label.get(locale)
            taken = _clean(label).casefold() in used
            titles[g.key] = _unique(label + ui("table", locale) if taken else label, used)
    return titles


def _clean(text: str) -> str:
    return " ".join(_BAD_TITLE.sub(" ", text).split()).strip("'")[:31].strip() or "Sheet"


def _unique(text: str, used: set[str]) -> str:
    base, title, n = _clean(text), _clean(text), 1
    while title.casefold() in used:
        n += 1
        suffix = f" ({n})"
        title = base[:31 - len(suffix)].rstrip() + suffix
    used.add(title.casefold())
    return title


# ----------------------------------------------------------------------------------------- cell helpers

def put_text(cell: Any, text: str) -> None:
    """Write text that can never become a formula or an error value (and that Excel keeps as text when it is
    edited). Control characters a worksheet cannot hold (XML 1.0) are dropped."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(RISKY_STARTS + ("\t", "\r")) or text in ERROR_CODES:
        cell.quotePrefix = True


def _label(f: Field, code: str, locale: str) -> str:
    if code == DONT_KNOW and not f.choice(code):
        return ui("dk", locale)
    c = f.choice(code)
    return c.label(locale) if c else code


def put_value(cell: Any, f: Field, value: Any, locale: str) -> None:
    """A typed answer into an answer cell: labels for choices, numbers as numbers, dates as dates."""
    if f.type in TEXT_TYPES:
        cell.number_format = "@"
    elif f.type == FieldType.DATE:
        cell.number_format = _DATE_FORMATS.get(locale, "yyyy-mm-dd")
    elif f.type in _NUMBER_FORMATS:
        cell.number_format = _NUMBER_FORMATS[f.type]
    if value is None or value == []:
        return
    if isinstance(value, list):
        put_text(cell, "; ".join(_label(f, code, locale) for code in value))
    elif isinstance(value, str):
        put_text(cell, _label(f, value, locale) if f.type in CHOICE_TYPES or value == DONT_KNOW else value)
    elif isinstance(value, (int, Decimal, dt.date)) and not isinstance(value, bool):
        cell.value = value
    else:
        put_text(cell, str(value))


def _style(cell: Any, *, fill: PatternFill | None = None, font: Font | None = None, unlocked: bool = False) -> None:
    cell.alignment = _WRAP
    if fill is not None:
        cell.fill = fill
    if font is not None:
        cell.font = font
    if unlocked:
        cell.protection = _UNLOCKED


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights may be changed
    ws.protection.formatRows = False


class _Lists:
    """The drop-down lists: one column of the hidden ``_lists`` sheet each."""

    def __init__(self) -> None:
        self.columns: dict[str, list[str]] = {}

    def ref(self, name: str, labels: list[str]) -> str:
        self.columns.setdefault(name, labels)
        col = get_column_letter(list(self.columns).index(name) + 1)
        return f"{quote_sheetname(LISTS_SHEET)}!${col}$2:${col}${len(self.columns[name]) + 1}"

    def write(self, ws: Worksheet) -> None:
        for col, (name, labels) in enumerate(self.columns.items(), start=1):
            put_text(ws.cell(1, col), name)
            for row, label in enumerate(labels, start=2):
                put_text(ws.cell(row, col), label)
        ws.sheet_state = "hidden"
        _protect(ws)


def _validation(ws: Worksheet, lists: _Lists, name: str, labels: list[str], *, strict: bool = True
                ) -> DataValidation:
    dv = DataValidation(type="list", formula1=lists.ref(name, labels), allow_blank=True,
                        showErrorMessage=strict, showDropDown=False)
    ws.add_data_validation(dv)
    return dv


def _choice_labels(f: Field, locale: str) -> list[str]:
    return [c.label(locale) for c in f.choices]


# ----------------------------------------------------------------------------------------------- notes

def notes(f: Field, locale: str, scope: Callable[[str], Field | None], *, in_group: bool = False) -> str:
    """Column D (or a group column's comment): what the answer should look like, and when to give it."""
    parts = [ui("required", locale)] if f.required else []
    if f.type == FieldType.MULTI_CHOICE:
        labels = "; ".join(_choice_labels(f, locale))
        parts.append(ui("multi_cell", locale).format(labels) if in_group else ui("multi", locale))
    elif f.type in CHOICE_TYPES:
        parts.append(ui("pick", locale))
    elif f.type in _TYPE_HINTS:
        parts.append(_pair(_TYPE_HINTS[f.type], locale))
    parts += _range_notes(f, locale)
    if f.allow_dont_know:
        parts.append(ui("dk_allowed", locale))
    if f.unit is not None:
        parts.append(ui("unit", locale).format(f.unit.get(locale)))
    if f.show_if is not None:
        parts.append(_condition_note(f, locale, scope))
    if f.help is not None:
        parts.append(f.help.get(locale))
    return "\n".join(parts)


def _range_notes(f: Field, locale: str) -> list[str]:
    if f.type in TEXT_TYPES:
        return [ui("max_length", locale).format(f.max_length)] if f.max_length else []
    if f.type not in _NUMBER_FORMATS and f.type not in (FieldType.DECIMAL, FieldType.PERCENT):
        return []
    low = f.min if f.min is not None else (0 if f.type in (FieldType.MONEY, FieldType.PERCENT) else None)
    high = f.max if f.max is not None else (100 if f.type == FieldType.PERCENT else None)
    low_text, high_text = (format_number(Decimal(str(v)), locale) if v is not None else None for v in (low, high))
    if low_text is not None and high_text is not None:
        return [ui("range", locale).format(low_text, high_text)]
    if low_text is not None:
        return [ui("min", locale).format(low_text)]
    return [ui("max", locale).format(high_text)] if high_text is not None else []


def _condition_note(f: Field, locale: str, scope: Callable[[str], Field | None]) -> str:
    assert f.show_if is not None
    other = scope(f.show_if.key)
    if other is None:
        return ui("only_if", locale).format(f.show_if.key, ", ".join(sorted(f.show_if.codes)))
    codes = [c.code for c in other.choices if c.code in f.show_if.codes] or sorted(f.show_if.codes)
    values = ui("or", locale).join(f"«{_label(other, code, locale)}»" if locale != "en"
                                   else f"“{_label(other, code, locale)}”" for code in codes)
    return ui("only_if", locale).format(other.label.get(locale), values)


# --------------------------------------------------------------------------------------------- writing

def write_template(out: BinaryIO, *, definition: ReturnDefinition, municipality_slug: str, municipality_name: str,
                   values: Mapping[str, Any], locale: str, base_version: int, fingerprints: Mapping[str, str],
                   generated_at: dt.datetime) -> None:
    """Write the prefilled template of one municipality's return (typed ``values``, groups with ``_uid``)."""
    locale = "en" if locale == "en" else "lv"
    wb = Workbook()
    titles = sheet_titles(definition, locale)
    lists = _Lists()
    info = _Info(definition, municipality_slug, municipality_name, base_version, generated_at)
    _write_instructions(wb.active, info, locale)
    for section in definition.sections:
        _write_section(wb.create_sheet(titles[section.key]), definition, section, values, locale, lists, titles)
        for g in (f for f in section.fields if f.is_group):
            _write_group(wb.create_sheet(titles[g.key]), g, list(values.get(g.key) or []), locale, lists)
    lists.write(wb.create_sheet(LISTS_SHEET))
    _write_meta(wb.create_sheet(META_SHEET), info, locale, fingerprints)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 0
    wb.save(out)


@dataclass(frozen=True)
class _Info:
    definition: ReturnDefinition
    slug: str
    name: str
    base_version: int
    generated_at: dt.datetime

    def stamp(self) -> str:
        moment = self.generated_at
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.timezone.utc)
        return moment.strftime("%Y-%m-%d %H:%M") + (" UTC" if moment.tzinfo is not None else "")


def _header(ws: Worksheet, row: int, texts: list[str], *, fill: PatternFill = _HEADER,
            font: Font = _BOLD) -> None:
    for col, text in enumerate(texts, start=1):
        put_text(ws.cell(row, col), text)
        _style(ws.cell(row, col), fill=fill, font=font)


def _write_section(ws: Worksheet, definition: ReturnDefinition, section: Section, values: Mapping[str, Any],
                   locale: str, lists: _Lists, titles: Mapping[str, str]) -> None:
    _header(ws, 1, [ui(k, locale) for k in ("key", "question", "answer", "notes")])
    yes_no = _validation(ws, lists, "_yes_no", [ui("yes", locale), ui("no", locale)])
    dk_only = _validation(ws, lists, "_dont_know", [ui("dk", locale)], strict=False)
    scope = lambda key: definition.field(key) if definition.has_field(key) else None  # noqa: E731
    for row, line in enumerate(section_lines(section), start=2):
        f, answer = line.field, ws.cell(row, 3)
        put_text(ws.cell(row, 1), line.key)
        _style(ws.cell(row, 1), fill=_GREY, font=_SMALL)
        if line.kind == "option":
            assert line.choice is not None
            put_text(ws.cell(row, 2), line.choice.label(locale))
            ws.cell(row, 2).alignment = Alignment(wrap_text=True, vertical="top", indent=2)
            _write_option(answer, values.get(f.key), line.choice.code, locale)
            _style(answer, fill=_ANSWER, unlocked=True)
            yes_no.add(answer)
            continue
        _write_question(ws, row, line, notes(f, locale, scope), locale, titles)
        if line.kind in ("question", "group"):
            _style(answer, fill=_GREY)
            continue
        put_value(answer, f, values.get(f.key), locale)
        _style(answer, fill=_ANSWER, unlocked=True)
        if f.type in CHOICE_TYPES:
            _validation(ws, lists, f.key, _choice_labels(f, locale)).add(answer)
        elif f.allow_dont_know:
            dk_only.add(answer)
    _sheet_layout(ws, {"A": 30, "B": 60, "C": 32, "D": 60}, "C2")


def _write_question(ws: Worksheet, row: int, line: Line, note: str, locale: str, titles: Mapping[str, str]) -> None:
    """Column B (the question) and D (the notes) of a question's row."""
    put_text(ws.cell(row, 2), line.field.label.get(locale))
    _style(ws.cell(row, 2), font=_BOLD if line.kind == "question" else None)
    if line.kind == "group":
        note = "\n".join(filter(None, [ui("see_sheet", locale).format(titles[line.field.key]), note]))
    put_text(ws.cell(row, 4), note)
    _style(ws.cell(row, 4), font=_SMALL)


def _write_option(cell: Any, value: Any, code: str, locale: str) -> None:
    if isinstance(value, list) and value:
        put_text(cell, ui("yes" if code in value else "no", locale))


def _sheet_layout(ws: Worksheet, widths: Mapping[str, float], freeze: str) -> None:
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.freeze_panes = freeze
    _protect(ws)


def _write_group(ws: Worksheet, g: Field, rows: list[Mapping[str, Any]], locale: str, lists: _Lists) -> None:
    _header(ws, 1, ["_uid", *(c.key for c in g.fields)], fill=_GREY, font=_SMALL)
    _header(ws, 2, [ui("uid", locale), *(c.label.get(locale) for c in g.fields)])
    scope = lambda key: next((c for c in g.fields if c.key == key), None)  # noqa: E731
    last = 2 + max(g.max_rows, len(rows))
    for col, child in enumerate(g.fields, start=2):
        note = notes(child, locale, scope, in_group=True)
        if note:
            ws.cell(2, col).comment = Comment(note, "", width=320, height=160)
        letter = get_column_letter(col)
        cells = f"{letter}3:{letter}{last}"
        if child.type in CHOICE_TYPES and child.type != FieldType.MULTI_CHOICE:
            _validation(ws, lists, f"{g.key}.{child.key}", _choice_labels(child, locale)).add(cells)
        elif child.allow_dont_know:
            _validation(ws, lists, "_dont_know", [ui("dk", locale)], strict=False).add(cells)
        ws.column_dimensions[letter].width = 40 if child.type in (FieldType.LONG_TEXT, FieldType.TEXT) else 22
    for row in range(3, last + 1):
        data = rows[row - 3] if row - 3 < len(rows) else {}
        if data.get("_uid"):
            put_text(ws.cell(row, 1), str(data["_uid"]))
        _style(ws.cell(row, 1), fill=_GREY, font=_SMALL)
        for col, child in enumerate(g.fields, start=2):
            put_value(ws.cell(row, col), child, data.get(child.key), locale)
            _style(ws.cell(row, col), fill=_ANSWER, unlocked=True)
    _sheet_layout(ws, {"A": 12}, "B3")


def _write_instructions(ws: Worksheet, info: _Info, locale: str) -> None:
    ws.title = ui("instructions", locale)
    d = info.definition
    blocks = [_instructions_lv(info, d), _instructions_en(info, d)]
    lines = blocks if locale != "en" else blocks[::-1]
    row = 1
    for block in lines:
        for n, text in enumerate(block):
            put_text(ws.cell(row, 1), text)
            _style(ws.cell(row, 1), font=_BOLD if n == 0 else None)
            row += 1
        row += 1
    _sheet_layout(ws, {"A": 120}, "A2")


def _instructions_lv(info: _Info, d: ReturnDefinition) -> list[str]:
    return [
        d.title.lv,
        f"Pašvaldība: {info.name} ({info.slug}). Gads: {d.year}. Veidlapas versija: {d.version}. Veidnes formāts: "
        f"{TEMPLATE_FORMAT}. Pārskata versija lejupielādes brīdī: {info.base_version} ({info.stamp()}).",
        "Šis fails ir jūsu pašvaldības gada pārskata kopija. Aizpildiet vai izlabojiet atbildes un augšupielādējiet "
        "failu šī pārskata lapā servisā. Serviss pārbauda visas atbildes tāpat kā tīmekļa formā.",
        "Aizpildiet tikai kolonnu «Atbilde» (dzeltenās šūnas). Pelēkās kolonnas, kodus, lapu nosaukumus un slēptās "
        "lapas nemainiet.",
        "Atbilžu varianti: izvēlieties no nolaižamā saraksta. Kur tas piedāvāts, var atbildēt «Grūti pateikt» — arī "
        "skaitļu jautājumos (izvēlieties to sarakstā vai ierakstiet skaitli).",
        "Jautājumi ar vairākām atbildēm: katram variantam ir sava rinda — pie atbilstošajiem izvēlieties «Jā», pie "
        "pārējiem «Nē» vai atstājiet tukšu. Tabulu lapās vairākas atbildes raksta vienā šūnā, atdalot ar semikolu (;).",
        "Skaitļus rakstiet kā skaitļus, bez tūkstošu atdalītājiem (piemēram, 12500,50). Datumus — kā datumus "
        "(piemēram, 02.11.2026).",
        "Tabulu lapās katrs ieraksts ir viena rinda. Jaunus ierakstus rakstiet tukšajās rindās zem pēdējā ieraksta; "
        "lai ierakstu dzēstu, notīriet visas tā šūnas. Kolonnu «ID» nemainiet.",
        "Jautājumi ar piezīmi «Atbildiet tikai tad, ja …» attiecas tikai uz norādīto gadījumu; citādi atstājiet tukšu.",
        "Formulas netiek pieņemtas — ierakstiet vērtības. Ja teksts sākas ar =, +, - vai @, ierakstiet tā priekšā "
        "apostrofu (').",
        "Ja kopš lejupielādes pārskatā servisā ir mainītas atbildes, kuras jūs failā nemainījāt, paliek jaunākās.",
    ]


def _instructions_en(info: _Info, d: ReturnDefinition) -> list[str]:
    return [
        d.title.en,
        f"Municipality: {info.name} ({info.slug}). Year: {d.year}. Form version: {d.version}. Template format: "
        f"{TEMPLATE_FORMAT}. Version of the return when downloaded: {info.base_version} ({info.stamp()}).",
        "This file is a copy of your municipality's yearly return. Fill in or correct the answers and upload the file "
        "on this return's page in the service. The service checks every answer just as the web form does.",
        "Fill in the column “Answer” only (yellow cells). Do not change the grey columns, the keys, the sheet names "
        "or the hidden sheets.",
        "Choices: pick from the drop-down list. Where offered, “Hard to say” is allowed — in number questions too "
        "(pick it from the list or type a number).",
        "Questions with multiple answers: each option has its own row — choose “Yes” at those that apply, “No” or "
        "nothing at the others. On table sheets, multiple answers go in one cell, separated by semicolons (;).",
        "Type numbers as numbers, without thousands separators (e.g. 12500.50); dates as dates (e.g. 2026-11-02).",
        "On table sheets each entry is one row. Add new entries in the empty rows below the last one; to delete an "
        "entry, clear all of its cells. Do not change the column “ID”.",
        "Questions noted “Answer only if …” apply only in that case; otherwise leave them empty.",
        "Formulas are not accepted — type values. If a text starts with =, +, - or @, type an apostrophe (') "
        "before it.",
        "If answers were changed in the service since the download and your file did not change them, the newer "
        "answers are kept.",
    ]


def _write_meta(ws: Worksheet, info: _Info, locale: str, fingerprints: Mapping[str, str]) -> None:
    d = info.definition
    rows = [("format", MAGIC), ("template_format", TEMPLATE_FORMAT), ("municipality", info.slug),
            ("municipality_name", info.name), ("year", str(d.year)), ("definition_version", d.version),
            ("base_version", str(info.base_version)), ("locale", locale), ("generated_at", info.stamp())]
    for row, (name, value) in enumerate(rows, start=1):
        put_text(ws.cell(row, 1), name)
        put_text(ws.cell(row, 2), value)
    for row, (key, value) in enumerate(sorted(fingerprints.items()), start=len(rows) + 1):
        put_text(ws.cell(row, 1), "fingerprint")
        put_text(ws.cell(row, 2), key)
        put_text(ws.cell(row, 3), str(value))
    ws.sheet_state = "veryHidden"
    _protect(ws)


# --------------------------------------------------------------------------------------------- reading

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
