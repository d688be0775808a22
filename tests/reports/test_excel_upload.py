"""The guarded opening of uploaded workbooks (zip and XML bombs, wrong file types) and the shared cell checks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import Workbook

from forms import (
    DONT_KNOW, Choice, Condition, Field, FieldType, ReturnDefinition, Section, Text, get_definition, validate,
)
from reports.excel import WorkbookRefused
from reports.excel import upload
from reports.excel.upload import cell_problem_code, convert, kept_rows, open_upload

MiB = 1024 * 1024


def small_xlsx() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Cēsis"
    ws["A2"] = 12
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          drop: tuple[str, ...] = ()) -> bytes:
    """A copy of a zip with some members replaced, added or dropped."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in drop:
                continue
            dst.writestr(info.filename, replace.get(info.filename, src.read(info.filename)))
        for name, content in add.items():
            dst.writestr(name, content)
    return out.getvalue()


def refused(data: bytes, **kw: int) -> WorkbookRefused:
    with pytest.raises(WorkbookRefused) as caught:
        open_upload(data, **kw)
    exc = caught.value
    assert exc.lv and exc.en and exc.lv != exc.en and exc.text("en") == exc.en and exc.text("lv") == exc.lv
    return exc


LAUGHS = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
SHEET_BOMB = LAUGHS + (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                       b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')


def _body(data: bytes, name: str) -> bytes:
    """A part of the zip without its XML declaration (if any)."""
    part = zipfile.ZipFile(io.BytesIO(data)).read(name)
    return part.split(b"?>", 1)[1] if part.startswith(b"<?xml") else part


def workbook_bomb(data: bytes) -> bytes:
    return LAUGHS + _body(data, "xl/workbook.xml")


# ------------------------------------------------------------------------------------------------ opening

def test_defusedxml_is_what_openpyxl_parses_with():
    assert openpyxl.DEFUSEDXML is True


def test_a_valid_workbook_opens_in_normal_mode_with_formulas_kept():
    wb = Workbook()
    wb.active["A1"] = "=1+1"
    buf = io.BytesIO()
    wb.save(buf)
    opened = open_upload(buf.getvalue())
    assert opened.active["A1"].data_type == "f"
    assert opened.active["A1"].value == "=1+1"
    assert not getattr(opened, "read_only", False)


@pytest.mark.parametrize(("data", "code"), [
    (b"", "empty"),
    (b"municipality;year\ncesis;2025\n", "not_xlsx"),
    ("Pašvaldība,gads\nCēsis,2025\n".encode(), "not_xlsx"),
    (b"just some text renamed to .xlsx", "not_xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "xls"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 500,
     "encrypted"),
    (b"PK\x03\x04 but not really a zip", "not_xlsx"),
])
def test_files_that_are_not_xlsx_are_refused(data, code):
    assert refused(data).code == code


def test_a_file_over_the_size_limit_is_refused_before_anything_else():
    assert refused(small_xlsx(), max_bytes=1000).code == "too_big"


def test_the_size_message_names_the_limit():
    exc = refused(b"PK\x03\x04" + b"\x00" * (2 * MiB), max_bytes=2 * MiB)
    assert exc.code == "too_big" and "2 MB" in exc.en and "2 MB" in exc.lv


def test_another_zip_file_is_not_a_workbook():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    assert refused(out.getvalue()).code == "not_xlsx"


def test_a_workbook_with_macros_is_refused():
    data = rezip(small_xlsx(), add={"xl/vbaProject.bin": b"\x00\x01macro"})
    assert refused(data).code == "macros"


def test_a_zip_with_encrypted_members_is_refused():
    data = bytearray(small_xlsx())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):  # local headers, central directory
        at = data.find(signature)
        while at >= 0:
            data[at + flag_offset] |= 0x1
            at = data.find(signature, at + 4)
    assert refused(bytes(data)).code == "encrypted"


def test_too_many_members_are_refused():
    data = rezip(small_xlsx(), add={f"xl/media/image{i}.png": b"x" for i in range(30)})
    assert refused(data, max_members=20).code == "too_many_members"
    open_upload(data)  # within the default limit


def test_too_much_uncompressed_content_is_refused():
    assert refused(small_xlsx(), max_total_uncompressed=1000).code == "too_large_uncompressed"


def test_a_zip_bomb_is_refused_from_the_central_directory():
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>bomb</t></is></c></row>'
    sheet = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + row * (50_000_000 // len(row)) + b"</sheetData></worksheet>")
    data = rezip(small_xlsx(), replace={"xl/worksheets/sheet1.xml": sheet})
    assert len(data) < 2 * MiB
    assert refused(data).code == "zip_bomb"


def test_a_billion_laughs_in_a_sheet_is_refused():
    data = rezip(small_xlsx(), replace={"xl/worksheets/sheet1.xml": SHEET_BOMB})
    exc = refused(data)
    assert exc.code == "xml_forbidden" and "XML" in exc.en


def test_a_billion_laughs_in_the_workbook_part_is_refused():
    data = small_xlsx()
    assert refused(rezip(data, replace={"xl/workbook.xml": workbook_bomb(data)})).code == "xml_forbidden"


def test_a_utf16_doctype_is_refused_too():
    data = small_xlsx()
    part = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'.encode("utf-16-le")
    assert refused(rezip(data, replace={"docProps/app.xml": part})).code == "xml_forbidden"


@pytest.mark.parametrize("bomb", ["workbook", "sheet", "external"])
def test_no_entity_is_expanded_even_without_the_pre_scan(monkeypatch, bomb):
    """The second layer: openpyxl parses worksheets with defusedxml (refuses any entity) and, with lxml installed,
    other parts with lxml's parser that never resolves entities — so a part either is refused or loads with the
    entity left unexpanded, and no external file is read."""
    monkeypatch.setattr(upload, "_check_xml", lambda archive, infos: None)
    data = small_xlsx()
    if bomb == "workbook":
        data = rezip(data, replace={"xl/workbook.xml": workbook_bomb(data)})
    elif bomb == "sheet":
        data = rezip(data, replace={"xl/worksheets/sheet1.xml": SHEET_BOMB})
    else:
        xxe = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               + _body(data, "xl/workbook.xml"))
        data = rezip(data, replace={"xl/workbook.xml": xxe})
    try:
        wb = open_upload(data)
    except WorkbookRefused as exc:
        assert exc.code in ("xml_forbidden", "unreadable")
        return
    assert openpyxl.LXML and bomb != "sheet"  # only lxml's non-resolving parser may load it
    text = repr([ws.title for ws in wb.worksheets]) + repr([c.value for ws in wb.worksheets for r in ws for c in r])
    assert "lollol" not in text and "root:" not in text


def test_a_damaged_workbook_part_is_unreadable():
    data = rezip(small_xlsx(), replace={"xl/workbook.xml": b"<workbook><not closed"})
    exc = refused(data)
    assert exc.code == "unreadable" and "could not be read as an Excel workbook" in exc.en


def test_a_missing_workbook_part_is_not_a_workbook():
    assert refused(rezip(small_xlsx(), drop=("xl/workbook.xml",))).code == "not_xlsx"


# -------------------------------------------------------------------------------------------- cell checks

def _cells() -> dict[str, openpyxl.cell.Cell]:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=1+1"
    for ref, text in (("A2", "+1"), ("A3", "-1"), ("A4", "@SUM(1)"), ("A5", "=SUM(A1)"), ("A6", "-5 things")):
        ws[ref] = text
        ws[ref].data_type = "s"
    ws["A5"].quotePrefix = True
    ws["A6"].quotePrefix = True
    ws["A7"] = "+371 26123456"
    ws["A7"].number_format = "@"
    ws["A8"] = "plain"
    ws["A9"] = -1
    ws["A10"] = "#N/A"
    ws["A10"].data_type = "e"
    buf = io.BytesIO()
    wb.save(buf)
    loaded = open_upload(buf.getvalue()).active
    return {f"A{i}": loaded[f"A{i}"] for i in range(1, 11)}


def test_cell_checks_after_a_save_and_load():
    cells = _cells()
    codes = {ref: cell_problem_code(cell) for ref, cell in cells.items()}
    assert codes == {"A1": "formula", "A2": "risky_text", "A3": "risky_text", "A4": "risky_text", "A5": None,
                     "A6": None, "A7": None, "A8": None, "A9": None, "A10": "error_value"}


# -------------------------------------------------------------------------------------------- conversions

def _field(kind: FieldType, **kw) -> Field:
    return Field("f", kind, Text("Lauks", "Field"), **kw)


CHOICES = (Choice("own_budget", "Pašvaldības budžets", "Own budget"), Choice("eu", "ES fondi", "EU funds"),
           Choice(DONT_KNOW, "Grūti pateikt", "Hard to say"))


@pytest.mark.parametrize(("kind", "kw", "value", "typed"), [
    (FieldType.MONEY, {}, 12.3, Decimal("12.30")),
    (FieldType.MONEY, {}, 12500.5, Decimal("12500.50")),
    (FieldType.MONEY, {}, "12 500,50", Decimal("12500.50")),
    (FieldType.DECIMAL, {}, 0.1, Decimal("0.1")),
    (FieldType.INTEGER, {}, 5.0, 5),
    (FieldType.INTEGER, {}, 7, 7),
    (FieldType.INTEGER, {"allow_dont_know": True}, "Grūti pateikt", DONT_KNOW),
    (FieldType.INTEGER, {"allow_dont_know": True}, " hard to SAY ", DONT_KNOW),
    (FieldType.SCALE, {"allow_dont_know": True, "min": 0, "max": 10}, "hard_to_say", DONT_KNOW),
    (FieldType.DATE, {}, dt.datetime(2026, 11, 2), dt.date(2026, 11, 2)),
    (FieldType.DATE, {}, "02.11.2026", dt.date(2026, 11, 2)),
    (FieldType.TEXT, {}, "   ", None),
    (FieldType.PHONE, {}, 26123456, "26123456"),
    (FieldType.TEXT, {}, 12.5, "12.5"),
    (FieldType.YES_NO_DK, {}, "Jā", "yes"),
    (FieldType.YES_NO_DK, {}, "hard to say", DONT_KNOW),
    (FieldType.YES_NO_DK, {}, True, "yes"),
    (FieldType.SINGLE_CHOICE, {"choices": CHOICES}, "EU funds", "eu"),
    (FieldType.SINGLE_CHOICE, {"choices": CHOICES}, "pašvaldības  budžets", "own_budget"),
    (FieldType.SINGLE_CHOICE, {"choices": CHOICES}, "own_budget", "own_budget"),
    (FieldType.MULTI_CHOICE, {"choices": CHOICES}, "ES fondi; own_budget", ["own_budget", "eu"]),
    (FieldType.MULTI_CHOICE, {"choices": CHOICES}, "Grūti pateikt", [DONT_KNOW]),
])
def test_cell_values_become_what_validate_accepts(kind, kw, value, typed):
    f = _field(kind, **kw)
    raw, error = convert(f, value)
    assert error is None
    d = ReturnDefinition(2000, "t", Text("", ""), (Section("s", Text("", ""), None, (f,)),))
    result = validate(d, {"f": raw})
    assert not result.issues, result.issues
    assert result.values["f"] == typed
    assert type(result.values["f"]) is type(typed)


@pytest.mark.parametrize(("kind", "value"), [
    (FieldType.SINGLE_CHOICE, "Valsts budžets"), (FieldType.MULTI_CHOICE, "eu; nothing"),
    (FieldType.YES_NO_DK, "Varbūt"),
])
def test_unknown_choices_are_an_error_code(kind, value):
    kw = {} if kind == FieldType.YES_NO_DK else {"choices": CHOICES}
    assert convert(_field(kind, **kw), value) == (None, "unknown_choice")


def test_kept_rows_match_what_validate_keeps():
    group = Field("g", FieldType.GROUP, Text("G", "G"), fields=(
        Field("online", FieldType.YES_NO_DK, Text("O", "O")),
        Field("country", FieldType.TEXT, Text("C", "C"), show_if=Condition("online", frozenset({"no"}))),
    ), show_if=Condition("other", frozenset({"yes"})))
    rows = [{"online": "no", "country": "LV"}, {"online": None, "country": None},
            {"online": "yes", "country": "only if no"}, {"online": None, "country": "LV", "_uid": "x"},
            {"online": "yes", "country": None}]
    assert kept_rows(group, rows) == [0, 2, 4]


def test_kept_rows_on_a_real_group():
    g = get_definition(2026).field("diaspora_activities")
    rows = [{}, {"activity_type": None, "country": "Īrija"}, {"participants": 3}]
    assert kept_rows(g, rows) == [2]
