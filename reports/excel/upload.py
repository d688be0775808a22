"""Guarded opening of uploaded workbooks, and the cell checks and conversions both readers share.

``open_upload`` refuses a file before openpyxl parses anything when it is empty, too big, not an .xlsx (an .xls,
a CSV or text file, another zip), has macros, is encrypted, or is a zip bomb (member count, total uncompressed
size and per-member compression ratio, from the zip's central directory). Declared sizes cannot lie to us: Python's
``zipfile`` never inflates a member beyond its declared ``file_size`` (a longer stream fails its CRC check). Every
XML part is then scanned for a DTD or entity declaration (billion laughs, external entities); the parsers are a
second layer (openpyxl reads worksheets with defusedxml's iterparse, and other parts with lxml's parser, which
never resolves entities). Only then does openpyxl load the workbook — in normal
mode (cell styles such as ``quotePrefix`` and the number format are needed) with ``data_only=False`` (formulas are
seen as formulas, never as their attacker-controlled cached values). Every sheet's used range is then bounded.

Cell checks (``cell_problem_code``): a formula, an error value (``#N/A``), or text that starts with ``= + - @``
and was not explicitly entered as text (Excel marks text typed as ``'=…`` with ``quotePrefix``; a cell formatted as
Text, ``@``, keeps what is typed as text too). Such cells are reported, never read.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import replace
from decimal import Decimal
from typing import Any, Iterable

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from forms import DONT_KNOW, Field, FieldType, ReturnDefinition, Section, Text, validate
from forms.schema import CHOICE_TYPES, NUMERIC_TYPES, TEXT_TYPES

from .model import CellProblem, CellRef, WorkbookRefused
from .xmlscan import count_markup, has_dtd_or_entity

MiB = 1024 * 1024
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
_ZIP_MAGIC = b"PK\x03\x04"
_RATIO_FLOOR = 256 * 1024  # tiny members may compress very well; a bomb needs size to hurt

_REFUSALS: dict[str, tuple[str, str]] = {
    "empty": ("Fails ir tukšs. Izvēlieties aizpildīto Excel failu (.xlsx) un mēģiniet vēlreiz.",
              "The file is empty. Choose the filled-in Excel file (.xlsx) and try again."),
    "too_big": ("Fails ir lielāks par {limit} MB. Pārbaudiet, vai izvēlējāties pareizo failu.",
                "The file is larger than {limit} MB. Check that you chose the right file."),
    "xls": ("Šis ir vecā formāta Excel fails (.xls). Atveriet to Excel un saglabājiet kā «Excel darbgrāmata "
            "(.xlsx)», tad augšupielādējiet vēlreiz.",
            "This is an old-format Excel file (.xls). Open it in Excel, save it as “Excel Workbook (.xlsx)” and "
            "upload it again."),
    "not_xlsx": ("Fails nav Excel darbgrāmata (.xlsx) — iespējams, tas ir CSV, teksta vai cita veida fails ar "
                 "pārdēvētu paplašinājumu. Saglabājiet to Excel kā «Excel darbgrāmata (.xlsx)».",
                 "The file is not an Excel workbook (.xlsx) — it may be a CSV, text or other file renamed to .xlsx. "
                 "Save it in Excel as “Excel Workbook (.xlsx)”."),
    "macros": ("Failā ir makro (.xlsm). Makro netiek pieņemti: saglabājiet failu kā «Excel darbgrāmata (.xlsx)» "
               "bez makro.",
               "The file contains macros (.xlsm). Macros are not accepted: save the file as “Excel Workbook "
               "(.xlsx)” without macros."),
    "encrypted": ("Fails ir aizsargāts ar paroli (šifrēts), tāpēc to nevar nolasīt. Noņemiet paroli (Fails → "
                  "Informācija → Aizsargāt darbgrāmatu) un augšupielādējiet vēlreiz.",
                  "The file is password-protected (encrypted), so it cannot be read. Remove the password (File → "
                  "Info → Protect Workbook) and upload it again."),
    "too_many_members": ("Fails ir neparasti sarežģīts (pārāk daudz daļu), tāpēc tas netiek apstrādāts. "
                         "Augšupielādējiet servisā lejupielādēto veidni.",
                         "The file is unusually complex (too many parts), so it is not processed. Upload the "
                         "template downloaded from the service."),
    "too_large_uncompressed": ("Faila saturs ir pārāk liels (vairāk nekā {limit} MB pēc atspiešanas). Pārbaudiet, "
                               "vai izvēlējāties pareizo failu.",
                               "The file's content is too large (more than {limit} MB uncompressed). Check that "
                               "you chose the right file."),
    "zip_bomb": ("Faila saturs ir neparasti stipri saspiests, tāpēc tas drošības dēļ netiek apstrādāts. "
                 "Saglabājiet failu no jauna programmā Excel un mēģiniet vēlreiz.",
                 "The file's content is unusually highly compressed, so for safety it is not processed. Save the "
                 "file again in Excel and try again."),
    "xml_forbidden": ("Failā ir XML konstrukcijas (DTD vai entītijas), kas nav atļautas. Saglabājiet failu no "
                      "jauna programmā Excel un mēģiniet vēlreiz.",
                      "The file contains XML constructs (a DTD or entities) that are not allowed. Save the file "
                      "again in Excel and try again."),
    "too_much_content": ("Failā ir vairāk satura, nekā vienā ielādē var apstrādāt (vairāk nekā ~{cells} aizpildītu "
                         "šūnu). Ielādējiet viena gada darbgrāmatu vai sadaliet failu.",
                         "The file holds more content than one import can process (more than about {cells} filled "
                         "cells). Import one year's workbook, or split the file."),
    "too_far": ("Lapā «{sheet}» ir aizpildītas šūnas tālu ārpus veidnes ({cell}). Izdzēsiet tās (vai visas "
                "liekās rindas un kolonnas) un augšupielādējiet vēlreiz.",
                "Sheet “{sheet}” has cells far outside the template ({cell}). Delete them (or all extra rows and "
                "columns) and upload the file again."),
    "unreadable": ("Failu neizdevās nolasīt kā Excel darbgrāmatu. Atveriet to Excel, saglabājiet kā «Excel "
                   "darbgrāmata (.xlsx)» un mēģiniet vēlreiz.",
                   "The file could not be read as an Excel workbook. Open it in Excel, save it as “Excel Workbook "
                   "(.xlsx)” and try again."),
}


def refuse(code: str, messages: dict[str, tuple[str, str]] | None = None, **values: Any) -> WorkbookRefused:
    """The file as a whole is refused; ``messages`` are a reader's own (LV, EN) texts by code. A value may be an
    (lv, en) pair (a municipality's name in each language)."""
    lv, en = (messages or {}).get(code) or _REFUSALS[code]
    return WorkbookRefused(code, lv.format(**_in(values, 0)), en.format(**_in(values, 1)))


def _in(values: dict[str, Any], language: int) -> dict[str, Any]:
    """The values for one language: the LV (0) or EN (1) side of each (lv, en) pair; other values as they are."""
    return {k: v[language] if isinstance(v, tuple) else v for k, v in values.items()}


#: a repeating-group row id (as ``monitor.returns.storage`` makes them)
UID_RE = re.compile(r"^[0-9a-f]{32}$")


def cell_text(value: Any) -> str:
    """A cell's value as stripped text ("" for an empty cell)."""
    return "" if value is None else str(value).strip()


# ------------------------------------------------------------------------------------------- opening

def open_upload(data: bytes, *, max_bytes: int = 2 * MiB, max_members: int = 1000,
                max_total_uncompressed: int = 50 * MiB, max_ratio: int = 100, max_rows: int = 100_000,
                max_columns: int = 300, max_markup: int | None = None) -> Workbook:
    """The uploaded bytes as an openpyxl workbook (normal mode, formulas kept), or ``WorkbookRefused``.

    ``max_rows`` / ``max_columns`` bound every sheet's used range: one cell at A1048576 costs little to store but
    a reader walking the sheet would create a million cells. ``max_markup`` bounds the elements of all parts
    together (``xmlscan.count_markup``), i.e. the time and memory openpyxl's load takes."""
    if not openpyxl.DEFUSEDXML:  # fail closed: a deployment without defusedxml must not parse uploads
        raise RuntimeError("defusedxml is not available to openpyxl")
    if not data:
        raise refuse("empty")
    if len(data) > max_bytes:
        raise refuse("too_big", limit=_mb(max_bytes))
    if data.startswith(_CFB_MAGIC):
        raise refuse("encrypted" if "EncryptedPackage".encode("utf-16-le") in data else "xls")
    if not data.startswith(_ZIP_MAGIC):
        raise refuse("not_xlsx")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise refuse("not_xlsx") from None
    _check_members(infos, max_members, max_total_uncompressed, max_ratio)
    _check_xml(archive, infos)
    if max_markup is not None and count_markup(archive, infos) > max_markup:
        raise refuse("too_much_content", cells=f"{max_markup // 5:,}".replace(",", " "))
    wb = _load(data)
    for ws in wb.worksheets:
        if ws.max_row > max_rows or ws.max_column > max_columns:
            raise refuse("too_far", sheet=ws.title, cell=f"{get_column_letter(ws.max_column)}{ws.max_row}")
    return wb


def _mb(size: int) -> str:
    return f"{size / MiB:g}"


def _check_members(infos: list[zipfile.ZipInfo], max_members: int, max_total: int, max_ratio: int) -> None:
    if len(infos) > max_members:
        raise refuse("too_many_members")
    for info in infos:
        if info.file_size > _RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise refuse("zip_bomb")
    if sum(info.file_size for info in infos) > max_total:
        raise refuse("too_large_uncompressed", limit=_mb(max_total))
    if any(info.flag_bits & 0x1 for info in infos):
        raise refuse("encrypted")
    names = {info.filename.lower() for info in infos}
    if any(name.endswith("vbaproject.bin") for name in names):
        raise refuse("macros")
    if "[content_types].xml" not in names or "xl/workbook.xml" not in names:
        raise refuse("not_xlsx")


def _check_xml(archive: zipfile.ZipFile, infos: Iterable[zipfile.ZipInfo]) -> None:
    """Refuse any part with a DTD or entity declaration, in any encoding (``xmlscan``; openpyxl's own files never
    have one). Every member is scanned, whatever its name."""
    for info in infos:
        try:
            with archive.open(info) as member:
                if has_dtd_or_entity(member):
                    raise refuse("xml_forbidden")
        except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError):
            raise refuse("unreadable") from None


def _load(data: bytes) -> Workbook:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "extension is not supported and will be removed" and the like
            return openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=False, keep_links=False,
                                          keep_vba=False, rich_text=False)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises anything from KeyError to TypeError on bad input
        raise refuse("xml_forbidden" if _defused(exc) else "unreadable") from None


def _defused(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, DefusedXmlException):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


# ------------------------------------------------------------------------------------------ cell checks

RISKY_STARTS = ("=", "+", "-", "@")


def formula_problem(cell: Any) -> bool:
    """A formula (``=…``, array or data-table formula): its cached value is whatever the file's author wrote."""
    return getattr(cell, "data_type", None) == "f"


def risky_text(cell: Any) -> bool:
    """Text starting with ``= + - @`` that was not explicitly entered as text (apostrophe or Text format)."""
    value = getattr(cell, "value", None)
    if not isinstance(value, str) or not value.startswith(RISKY_STARTS):
        return False
    return not (getattr(cell, "quotePrefix", False) or getattr(cell, "number_format", "") == "@")


def cell_problem_code(cell: Any) -> str | None:
    if formula_problem(cell):
        return "formula"
    if getattr(cell, "data_type", None) == "e":
        return "error_value"
    if risky_text(cell):
        return "risky_text"
    return None


_PROBLEMS: dict[str, tuple[str, str]] = {
    "formula": ("šūnā ir formula. Formulas netiek pieņemtas: ierakstiet vērtību.",
                "the cell holds a formula. Formulas are not accepted: type the value."),
    "error_value": ("šūnā ir kļūdas vērtība ({value}). Ierakstiet vērtību.",
                    "the cell holds an error value ({value}). Type the value."),
    "risky_text": ("teksts sākas ar «{sign}», un Excel to var uztvert kā formulu. Formulas netiek pieņemtas: "
                   "noņemiet sākuma zīmi (vai ierakstiet apostrofu ' tās priekšā).",
                   "the text starts with “{sign}”, which Excel may take for a formula. Formulas are not accepted: "
                   "remove the leading sign (or type an apostrophe ' before it)."),
    "unknown_choice": ("«{value}» nav starp atbilžu variantiem. Atļautās vērtības: {allowed}.",
                       "“{value}” is not one of the answers offered. Allowed values: {allowed}."),
    "key_changed": ("kods «{found}» neatbilst gaidītajam «{expected}» — kodu kolonna ir mainīta. Lejupielādējiet "
                    "jaunu veidni vai atjaunojiet kodu.",
                    "the key “{found}” does not match the expected “{expected}” — the key column was changed. "
                    "Download a new template, or restore the key."),
    "unknown_key": ("nezināms kods vai lieka vērtība «{found}» — veidlapā tāda jautājuma nav. Dzēsiet to.",
                    "unknown key or extra value “{found}” — the form has no such question. Delete it."),
    "header_changed": ("tabulas galvene ir mainīta (kolonnā gaidīts «{expected}», atrasts «{found}»). "
                       "Lejupielādējiet jaunu veidni un pārkopējiet ierakstus.",
                       "the table's header was changed (expected “{expected}” in the column, found “{found}”). "
                       "Download a new template and copy your entries."),
    "bad_uid": ("ieraksta identifikators «{value}» ir bojāts (jābūt 32 heksadecimālām rakstzīmēm). Nemainiet "
                "kolonnu _uid; jaunam ierakstam atstājiet to tukšu.",
                "the entry identifier “{value}” is damaged (it must be 32 hexadecimal characters). Do not change "
                "the _uid column; leave it empty for a new entry."),
    "duplicate_uid": ("ieraksta identifikators atkārtojas rindā {other}. Nekopējiet ierakstu identifikatorus.",
                      "the entry identifier repeats that of row {other}. Do not copy entry identifiers."),
}


def problem(ref: CellRef, code: str, messages: dict[str, tuple[str, str]] | None = None,
            **values: str | tuple[str, str]) -> CellProblem:
    """A ``CellProblem`` whose text names the sheet and cell. A value may be a (lv, en) pair."""
    lv, en = (messages or {}).get(code) or _PROBLEMS[code]
    return CellProblem(ref, code, f"Lapa «{ref.sheet}», šūna {ref.cell}: " + lv.format(**_in(values, 0)),
                       f"Sheet “{ref.sheet}”, cell {ref.cell}: " + en.format(**_in(values, 1)))


def cell_problem(cell: Any, ref: CellRef) -> CellProblem | None:
    code = cell_problem_code(cell)
    if code is None:
        return None
    text = str(cell.value)
    return problem(ref, code, value=text[:40], sign=text[:1])


# ------------------------------------------------------------------------------------------- conversions

DK_WORDS = (DONT_KNOW, "grūti pateikt", "hard to say")


def norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def choice_lookup(f: Field) -> dict[str, str]:
    """Normalised code, Latvian and English label → code (codes win over labels)."""
    out: dict[str, str] = {}
    for c in f.choices:
        for text in (c.en, c.lv):
            out.setdefault(norm(text), c.code)
    out.update({norm(c.code): c.code for c in f.choices})
    if f.allow_dont_know:
        out.update({norm(word): DONT_KNOW for word in DK_WORDS})
    return out


def allowed_labels(f: Field) -> tuple[str, str]:
    choices = list(f.choices)
    return "; ".join(c.lv for c in choices), "; ".join(c.en for c in choices)


def unknown_text(f: Field, value: Any) -> str:
    """For a message: the part of a choice cell that matches no choice (for multi-choice, only the unknown items)."""
    text = str(value).strip()
    if f.type != FieldType.MULTI_CHOICE:
        return text[:60]
    lookup = choice_lookup(f)
    return "; ".join(p.strip() for p in text.split(";") if p.strip() and norm(p) not in lookup)[:60]


def float_decimal(value: float) -> Decimal:
    """The decimal the user typed: ``repr`` is the shortest text that gives the float back (12.3 → 12.3)."""
    return Decimal(repr(value))


def _number_text(value: Any) -> str:
    if isinstance(value, float):
        value = float_decimal(value)
    if isinstance(value, Decimal):
        return format(value.normalize() if value == value.to_integral_value() else value, "f")
    return str(value)


def convert(f: Field, value: Any, *, split: bool = True) -> tuple[Any, str | None]:
    """A cell value → the raw answer ``forms.validate`` accepts, or an error code (``unknown_choice``).

    Choice labels (Latvian or English) and codes become codes; a multi-choice cell holds several, separated by
    ``;`` (when ``split``). Floats become the Decimal typed; datetimes become dates; blank text becomes ``None``.
    """
    if isinstance(value, str) and not value.strip():
        return None, None
    if value is None:
        return None, None
    if f.type in CHOICE_TYPES:
        return _choice(f, value, split)
    if f.type in NUMERIC_TYPES or f.type == FieldType.SCALE:
        return _number(f, value), None
    if f.type == FieldType.DATE:
        return (value.date() if isinstance(value, dt.datetime) else value), None
    if f.type in TEXT_TYPES and not isinstance(value, (str, bool)):
        if isinstance(value, dt.datetime):
            value = value.date() if value.time() == dt.time() else value
        return (value.isoformat() if isinstance(value, dt.date) else _number_text(value)), None
    return value, None


def _choice(f: Field, value: Any, split: bool) -> tuple[Any, str | None]:
    if isinstance(value, bool) and f.type == FieldType.YES_NO_DK:
        return ("yes" if value else "no"), None
    text = _number_text(value) if isinstance(value, (int, float, Decimal)) else str(value)
    lookup = choice_lookup(f)
    if f.type != FieldType.MULTI_CHOICE:
        code = lookup.get(norm(text))
        return (code, None) if code else (None, "unknown_choice")
    parts = [norm(p) for p in (text.split(";") if split else [text])]
    codes = [lookup.get(p) for p in parts if p]
    if any(c is None for c in codes):
        return None, "unknown_choice"
    return list(dict.fromkeys(codes)), None


_QUOTED = re.compile(r'"[^"]*"|\\.')


def cell_value(cell: Any, f: Field) -> Any:
    """The value of an answer cell; a percent typed as "25%" (Excel stores 0.25 with a % format) becomes 25."""
    value = cell.value
    if (f.type == FieldType.PERCENT and isinstance(value, (int, float)) and not isinstance(value, bool)
            and "%" in _QUOTED.sub("", str(getattr(cell, "number_format", "") or ""))):
        scaled = (float_decimal(float(value)) * 100).normalize()
        return scaled.quantize(Decimal(1)) if scaled == scaled.to_integral_value() else scaled
    return value


def _number(f: Field, value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        return DONT_KNOW if f.allow_dont_know and norm(text) in {norm(w) for w in DK_WORDS} else text
    if isinstance(value, float):
        return float_decimal(value)
    if isinstance(value, dt.datetime):
        return value.date()
    return value


# ------------------------------------------------------------------------------------------- group rows

def kept_rows(group: Field, rows: list[dict[str, Any]], *, gates_may_be_unasked: bool = False) -> list[int]:
    """The indices of ``rows`` that ``forms.validate`` keeps (it drops blank rows, and rows that only answer
    questions that do not apply), so that ``group[i]`` paths can be mapped back to the sheet's rows.
    ``gates_may_be_unasked``: the definition's own (a past year keeps what an unanswered gate question gates)."""
    single = ReturnDefinition(
        year=0, version="rows", title=Text("", ""),
        sections=(Section("rows", Text("", ""), None, (_without_condition(group),)),),
        gates_may_be_unasked=gates_may_be_unasked)
    tagged = [{**{k: v for k, v in row.items() if k != "_uid"}, "_uid": str(i)} for i, row in enumerate(rows)]
    typed = validate(single, {group.key: tagged}).values[group.key]
    return [int(row["_uid"]) for row in typed]


def _without_condition(group: Field) -> Field:
    return replace(group, show_if=None, max_rows=max(group.max_rows, 10 ** 6))
