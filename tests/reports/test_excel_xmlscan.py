"""The DTD/entity pre-scan sees a declaration in every encoding a parser may read a part in: UTF-8, UTF-16 and
UTF-32, little and big endian, with and without a byte-order mark; in any member, whatever its name."""

from __future__ import annotations

import io
import random

import pytest

from reports.excel import upload
from reports.excel.xmlscan import CHUNK, has_dtd_or_entity, unsafe_start
from tests.reports.test_excel_upload import refused, rezip, small_xlsx

PART = '<?xml version="1.0" encoding="{enc}"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
BOMS = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff",
        "utf-32-le": b"\xff\xfe\x00\x00", "utf-32-be": b"\x00\x00\xfe\xff"}
DECLARED = {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16", "utf-32-le": "UTF-32",
            "utf-32-be": "UTF-32"}


def encoded(codec: str, bom: bool, markup: str = PART) -> bytes:
    return (BOMS[codec] if bom else b"") + markup.format(enc=DECLARED[codec]).encode(codec)


@pytest.mark.parametrize("bom", [True, False], ids=["bom", "no-bom"])
@pytest.mark.parametrize("codec", list(BOMS))
@pytest.mark.parametrize("member", ["docProps/app.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                                    "xl/media/anything.bin"])
def test_a_declaration_in_any_encoding_is_refused_before_parsing(monkeypatch, codec, bom, member):
    monkeypatch.setattr(upload, "_load", lambda data: pytest.fail("the parser was reached"))
    data = small_xlsx()
    if member.endswith(".bin"):
        data = rezip(data, add={member: encoded(codec, bom)})
    else:
        data = rezip(data, replace={member: encoded(codec, bom)})
    assert refused(data).code == "xml_forbidden"


@pytest.mark.parametrize("codec", list(BOMS))
@pytest.mark.parametrize("markup", ["<!ENTITY a 'b'>", "<!DOCTYPE x>"])
def test_a_declaration_split_across_chunks_is_seen(codec, markup):
    text = markup.encode(codec)
    for cut in range(1, len(text)):
        data = b" " * 4 + b"x" * (CHUNK - 4 - cut) + text  # the declaration starts ``cut`` bytes before the end
        assert has_dtd_or_entity(io.BytesIO(data)), cut


@pytest.mark.parametrize("head", [
    '<?xml version="1.0" encoding="UTF-7"?><x/>'.encode(),
    '<?xml version="1.0" encoding="IBM037"?>'.encode("cp037"),
    b"\x00\x00<\x00\x00\x00?\x00",  # UCS-4, byte order 2143
    '<?xml version="1.0" encoding="utf-7"?>'.encode("utf-16-le"),
])
def test_an_encoding_that_could_hide_a_declaration_is_refused(head):
    assert unsafe_start(head)
    assert has_dtd_or_entity(io.BytesIO(head))


@pytest.mark.parametrize("head", [
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<x/>',
    b"<x/>", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"",
    '<?xml version="1.0" encoding="UTF-16"?><x/>'.encode("utf-16"),
    b'<?xml version="1.0" encoding="windows-1257"?><x/>',
])
def test_ordinary_parts_pass(head):
    assert not unsafe_start(head)
    assert not has_dtd_or_entity(io.BytesIO(head))


def test_an_ordinary_workbook_opens():
    assert upload.open_upload(small_xlsx()).active["A1"].value == "Cēsis"


# ------------------------------------------------------------------- the bound of an administrator's import

def _dense_sheet(cells: int) -> bytes:
    """Cells of random numbers (compressing about 3 : 1, as real data, well within the zip-bomb ratio)."""
    rng = random.Random(6)
    rows = "".join(f'<row r="{r}">' + "".join(f"<c><v>{rng.randrange(10**6)}</v></c>" for _ in range(100))
                   + "</row>" for r in range(1, cells // 100 + 1))
    return ('<?xml version="1.0" encoding="UTF-8"?><worksheet '
            f'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData>'
            "</worksheet>").encode()


def test_an_import_too_large_to_parse_in_time_is_refused_before_parsing(monkeypatch):
    from forms import get_definition
    from reports.excel import bulk

    monkeypatch.setattr(upload, "_load", lambda data: pytest.fail("the parser was reached"))
    cells = bulk.BULK_MAX_MARKUP // 4 + 100  # four "<" per cell: <c><v>…</v></c>
    data = rezip(small_xlsx(), replace={"xl/worksheets/sheet1.xml": _dense_sheet(cells)})
    assert len(data) < 5 * 1024 * 1024  # within the byte limit: the bound is on what it unpacks to
    with pytest.raises(upload.WorkbookRefused) as caught:
        bulk.read_bulk(data, definitions=get_definition, known_units=set(), year=2022)
    assert caught.value.code == "too_much_content"
    assert "120 000" in caught.value.en and "120 000" in caught.value.lv


def test_a_utf16_sheet_counts_its_elements_too(monkeypatch):
    from reports.excel.xmlscan import count_markup

    sheet = _dense_sheet(1000)
    archive = zipfile_of({"a.xml": sheet, "b.xml": sheet.decode().encode("utf-16")})
    assert count_markup(archive, archive.infolist()) == 2 * sheet.count(b"<")


def zipfile_of(members: dict[str, bytes]):
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))
