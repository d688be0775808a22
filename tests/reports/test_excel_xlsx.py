"""The workbook's own row writer (``reports.excel.xlsx``) writes every kind of value as openpyxl would: the same
cells read back — types, number formats, styles — and a text never becomes a formula or an error value."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal as D

import pytest
from openpyxl import Workbook, load_workbook

from reports.excel.formats import DATE, EUR, INTEGER
from reports.excel.xlsx import MAX_TEXT, Book

VALUES = ["text", 12, D("12345.67"), 2.5, True, False, dt.date(2026, 3, 4), dt.datetime(2026, 3, 4, 5, 6, 7),
          "", "  spaced  ", "line\r\nbreak\ttab", "a & b < c > d", "Rīga, Ķekava, Ērgļi — “pēdiņas” 😀",
          "#N/A", "=1+1", "+371 2000", "-minus", "@SUM(A1)", "\tTab first", "bad\x01\x02control", 10 ** 20]
FORMATS = [None, INTEGER, EUR, None, None, None, DATE, DATE] + [None] * (len(VALUES) - 8)


def ours(rows, formats=FORMATS, header=()):
    book = Book()
    sheet = book.sheet("S", header, formats, freeze="B2")
    for row in rows:
        sheet.append(row)
    sheet.filter()
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), sheet.rows


def openpyxls(rows):
    """The same values through openpyxl's own cells (formats as ours; texts as ours make them safe)."""
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is None:
                continue
            cell = ws.cell(r, c, value)
            if FORMATS[c - 1] and type(value) is not str:
                cell.number_format = FORMATS[c - 1]
    out = io.BytesIO()
    wb.save(out)
    return load_workbook(io.BytesIO(out.getvalue()))


def test_every_value_reads_back_as_openpyxl_writes_it():
    data, rows = ours([VALUES, [None, 3, None, None]])
    assert rows == 2
    ws = load_workbook(io.BytesIO(data))["S"]
    got = {c.coordinate: (c.value, c.data_type, c.number_format) for row in ws.iter_rows() for c in row
           if c.value is not None}
    plain = openpyxls([[v for v in VALUES[:14]] + [None] * 7, [None, 3]])["Sheet"]
    for coordinate in ("A1", "B1", "C1", "D1", "E1", "F1", "G1", "H1", "J1", "K1", "L1", "M1", "B2"):
        expected = plain[coordinate]
        assert got[coordinate] == (expected.value, expected.data_type, expected.number_format), coordinate
    assert "I1" not in got  # an empty text is a cell without a value, as openpyxl writes it
    assert got["H1"][0] == dt.datetime(2026, 3, 4, 5, 6, 7) and got["G1"][2] == DATE
    assert got["K1"][0] == "line\r\nbreak\ttab" and got["J1"][0] == "  spaced  "
    assert got["U1"][:2] == (1e20, "n")


def test_texts_never_become_formulas_or_errors_and_keep_their_quote_prefix():
    data, _rows = ours([VALUES])
    ws = load_workbook(io.BytesIO(data))["S"]
    risky = {c.coordinate: c for c in ws[1][13:20]}
    assert [c.value for c in risky.values()] == ["#N/A", "=1+1", "+371 2000", "-minus", "@SUM(A1)", "\tTab first",
                                                 "badcontrol"]
    assert all(c.data_type == "s" for c in risky.values())
    assert [c.quotePrefix for c in risky.values()] == [True, True, True, True, True, True, False]
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet and 't="e"' not in sheet


def test_header_styles_widths_filter_and_frozen_panes():
    data, rows = ours([[1, 2]], formats=[INTEGER, None], header=("a_key", "b"))
    ws = load_workbook(io.BytesIO(data))["S"]
    assert rows == 1 and ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:B2"
    assert ws["A1"].font.b and ws["A1"].value == "a_key" and ws["A2"].number_format == INTEGER
    assert ws["B2"].number_format == "General" and ws.column_dimensions["A"].width == 11


def test_a_number_in_a_date_column_and_a_date_elsewhere_take_their_own_formats():
    data, _rows = ours([[dt.date(2026, 1, 2), 5]], formats=[None, DATE])
    ws = load_workbook(io.BytesIO(data))["S"]
    assert ws["A1"].value == dt.datetime(2026, 1, 2) and ws["A1"].number_format == "yyyy-mm-dd"
    assert ws["B1"].value == 5 and ws["B1"].number_format == "General"


def test_non_finite_numbers_are_blank_and_long_texts_are_cut_as_openpyxl_cuts_them():
    data, _rows = ours([[float("nan"), D("Infinity"), "x" * (MAX_TEXT + 10), 1]], formats=[None] * 4)
    ws = load_workbook(io.BytesIO(data))["S"]
    assert ws["A1"].value is None and ws["B1"].value is None
    assert len(ws["C1"].value) == MAX_TEXT and ws["D1"].value == 1


@pytest.mark.parametrize("value", [[1, 2], {"a": 1}, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc), b"bytes"])
def test_a_value_a_worksheet_cannot_hold_is_refused_not_lost(value):
    with pytest.raises(TypeError):
        ours([[value]], formats=[None])
