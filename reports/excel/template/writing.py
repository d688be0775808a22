"""Writing the prefilled template: the instructions, one sheet per section and per repeating group, the lists and
the meta sheet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, BinaryIO, Mapping

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from forms import Field, FieldType, ReturnDefinition, Section
from forms.schema import CHOICE_TYPES

from ..model import TEMPLATE_FORMAT
from .cells import (
    _ANSWER, _BOLD, _GREY, _HEADER, _SMALL, _Lists, _choice_labels, _protect, _style, _validation, notes, put_text,
    put_value,
)
from .layout import LISTS_SHEET, MAGIC, META_SHEET, Line, section_lines, sheet_titles, ui


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
