"""Write-only sheets whose rows are serialised here, as SpreadsheetML text, for the research workbook.

openpyxl still writes everything around the rows (the workbook, styles, column widths, frozen panes, filters,
charts, the zip); only ``<sheetData>`` is ours. openpyxl's own row writer builds an lxml element per cell, and that
was most of the time a workbook took (43 municipalities × 10 years: ~240,000 cells). Each value is written as
openpyxl would write it, so reading the file back gives the same cells:

- a text: an inline string, never a formula or an error value — a text a spreadsheet would take for one
  (``= + - @`` tab or CR first, "#N/A"…) carries Excel's quote prefix; control characters XML 1.0 forbids are dropped
  (``safety``); longer than a cell holds (32,767 characters): cut, as openpyxl does;
- a number (int, float, Decimal): ``%.16g``, in the column's number format; NaN and infinities: a blank cell;
- a boolean: ``t="b"``; a date or datetime: an Excel serial number in the column's date format (else openpyxl's
  default date format for its type); any other type (lists, bytes, a datetime with a time zone…) is refused
  (``TypeError``) rather than written as something else.

Relies on openpyxl 3.1's write-only internals (``WriteOnlyWorksheet``, ``WorksheetWriter``) and on lxml; the tests
read every kind of cell back with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any, BinaryIO, Iterator, Sequence
from xml.sax.saxutils import escape

from openpyxl import LXML, Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, TIME_FORMATS
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import xmlfile

from .formats import DATE
from .safety import RISKY_PREFIXES, SUSPECT, clean_text

MAX_TEXT = 32767  # characters a cell holds
_ENTITIES = {"\r": "&#13;"}  # a bare CR would be read back as LF
#: one search finds every text that needs more than copying: what ``safety.SUSPECT`` finds, or a character to escape
_CHECK = re.compile(r"^[=+\-@\t\r#]|[\000-\010\013\014\016-\037&<>\r]")
_NUMBERS = (int, float, Decimal)
_DATES = (dt.date, dt.datetime)
_FLUSH = 1 << 16  # characters of row text gathered before a write


class _RowsWriter(WorksheetWriter):
    """openpyxl's sheet writer, writing to a file object we can also write the rows to."""

    def get_stream(self) -> Iterator[Any]:
        with open(self.out, "wb") as raw:
            self.raw = raw
            with xmlfile(raw) as xf:
                with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                    try:
                        while True:
                            element = yield
                            if element is True:
                                yield xf
                            elif element is not None:
                                xf.write(element)
                    except GeneratorExit:
                        pass


class _RowsSheet(WriteOnlyWorksheet):  # type: ignore[misc]
    """A write-only sheet that takes its rows as ready ``<row>`` text (``append_text``)."""

    def _get_writer(self) -> None:
        if self._writer is None:
            self._writer = _RowsWriter(self)
            self._writer.write_top()

    def _write_rows(self) -> Iterator[None]:
        xf = self._writer.xf.send(True)
        with xf.element("sheetData"):
            xf.flush()  # "<sheetData>" is in the file: the rows follow it there directly
            raw = self._writer.raw
            try:
                while True:
                    raw.write((yield).encode("utf-8"))
            except GeneratorExit:
                pass
        self._writer.xf.send(None)

    def append_text(self, rows: str) -> None:
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._rows.send(rows)

    def append(self, row: Any) -> None:  # every row goes through append_text
        raise TypeError("append rows through Sheet.append")


class Book:
    """A write-only workbook of ``Sheet``s and its cell styles (one style id per combination, made once)."""

    def __init__(self) -> None:
        if not LXML:
            raise RuntimeError("the research workbook needs lxml (see pyproject.toml)")
        self.wb = Workbook(write_only=True)
        self._probe = self.wb.create_sheet("probe")  # a parent for the cells that define the styles
        self.wb.remove(self._probe)
        self._styles: dict[tuple[Any, ...], str] = {}
        self._sheets: list[Sheet] = []
        self.epoch = self.wb.epoch

    def style(self, number_format: str | None = None, *, bold: bool = False, wrap: bool = False,
              quote: bool = False) -> str:
        """The ``s`` attribute of cells in this style ("" for the default style)."""
        key = (number_format, bold, wrap, quote)
        found = self._styles.get(key)
        if found is None:
            if key == (None, False, False, False):
                found = ""
            else:
                probe = WriteOnlyCell(self._probe)
                if number_format:
                    probe.number_format = number_format
                if bold:
                    probe.font = Font(bold=True)
                if wrap:
                    probe.alignment = Alignment(wrap_text=True, vertical="top")
                if quote:
                    probe.quotePrefix = True
                found = f' s="{self.wb._cell_styles.add(probe._style)}"'
            self._styles[key] = found
        return found

    def sheet(self, name: str, header: Sequence[str], formats: Sequence[str | None] = (), *, freeze: str | None,
              widths: Sequence[float] = ()) -> "Sheet":
        sheet = Sheet(self, name, header, formats, freeze, widths)
        self._sheets.append(sheet)
        return sheet

    def save(self, out: BinaryIO) -> None:
        for sheet in self._sheets:
            sheet.flush()
        self.wb.save(out)


class Sheet:
    """A sheet: widths and frozen panes first, a bold header row, then rows (counted, header excluded)."""

    def __init__(self, book: Book, name: str, header: Sequence[str], formats: Sequence[str | None],
                 freeze: str | None, widths: Sequence[float]) -> None:
        self.book, self.rows, self.width = book, 0, len(header)
        self.ws = _RowsSheet(parent=book.wb, title=name)
        book.wb._add_sheet(self.ws)
        self._number = 0  # rows written, header included
        self._letters: list[str] = []
        self._pending: list[str] = []
        self._size = 0
        self._columns = self._styles(formats or [None] * len(header))
        self._row_columns: dict[tuple[str | None, ...], list[tuple[str, str]]] = {}
        if freeze:
            self.ws.freeze_panes = freeze  # must come before the first row
        for index in range(1, max(len(header), len(widths)) + 1):
            wide = widths[index - 1] if index <= len(widths) else min(max(len(header[index - 1]), 8) + 3, 45)
            self.ws.column_dimensions[get_column_letter(index)].width = wide
        if header:
            self.styled_row(header, bold=True)

    def _styles(self, formats: Sequence[str | None]) -> list[tuple[str, str]]:
        """Per column: the style of its numbers and the style of its dates."""
        style = self.book.style
        return [("", style(DATE)) if f == DATE else (style(f), "") for f in formats]

    def styled_row(self, values: Sequence[Any], *, bold: bool = False, wrap: bool = False) -> None:
        """A row of texts in one style (the header, the README); not counted."""
        self._write(values, None, self.book.style(bold=bold, wrap=wrap),
                    self.book.style(bold=bold, wrap=wrap, quote=True))

    def append(self, values: Sequence[Any], formats: Sequence[str | None] | None = None) -> None:
        """A data row: texts made safe, numbers and dates in the column's (or this row's own) format."""
        if formats is None:
            columns = self._columns
        else:
            key = tuple(formats)
            columns = self._row_columns.get(key) or self._row_columns.setdefault(key, self._styles(key))
        self._write(values, columns, "", self.book.style(quote=True))
        self.rows += 1

    def _write(self, values: Sequence[Any], columns: list[tuple[str, str]] | None, text_style: str,
               quote_style: str) -> None:
        self._number += 1
        r = str(self._number)
        letters = self._letters
        if len(values) > len(letters):
            letters += [get_column_letter(i) for i in range(len(letters) + 1, len(values) + 1)]
            self.width = max(self.width, len(values))
        width = len(columns) if columns is not None else 0
        check = _CHECK.search
        out = [f'<row r="{r}">']
        for index, value in enumerate(values):
            if value is None:
                continue
            kind = type(value)
            if kind is str:
                style = text_style
                space = ' xml:space="preserve"' if value != value.strip() else ""
                if len(value) > MAX_TEXT or check(value) is not None:
                    value, style, space = self._text(value, text_style, quote_style)
                if not value:  # as openpyxl writes an empty text: a cell without a value
                    out.append(f'<c r="{letters[index]}{r}"{style} t="inlineStr"/>')
                    continue
                out.append(f'<c r="{letters[index]}{r}"{style} t="inlineStr"><is><t{space}>{value}</t></is></c>')
            elif kind in _NUMBERS or kind is bool:
                if kind is bool:
                    out.append(f'<c r="{letters[index]}{r}" t="b"><v>{int(value)}</v></c>')
                    continue
                if (kind is float and not math.isfinite(value)) or (kind is Decimal and not value.is_finite()):
                    continue
                style = columns[index][0] if index < width else ""  # type: ignore[index]
                out.append(f'<c r="{letters[index]}{r}"{style} t="n"><v>{"%.16g" % value}</v></c>')
            elif isinstance(value, _DATES):
                if getattr(value, "tzinfo", None) is not None:
                    raise TypeError("Excel does not support timezones in datetimes")
                style = columns[index][1] if index < width else ""  # type: ignore[index]
                if not style:
                    style = self.book.style(TIME_FORMATS[dt.datetime if isinstance(value, dt.datetime) else dt.date])
                out.append(f'<c r="{letters[index]}{r}"{style} t="n">'
                           f'<v>{"%.16g" % to_excel(value, self.book.epoch)}</v></c>')
            else:
                raise TypeError(f"cannot write {kind.__name__} to a worksheet: {value!r}"[:200])
        out.append("</row>")
        text = "".join(out)
        self._pending.append(text)
        self._size += len(text)
        if self._size >= _FLUSH:
            self.flush()

    @staticmethod
    def _text(value: str, style: str, quote_style: str) -> tuple[str, str, str]:
        """(the escaped text, its style, its xml:space) of a text that needs more than copying."""
        if SUSPECT.search(value) is not None:
            value = clean_text(value)
            if value.startswith(RISKY_PREFIXES) or value in ERROR_CODES:
                style = quote_style
        value = value[:MAX_TEXT]
        space = ' xml:space="preserve"' if value != value.strip() else ""
        return escape(value, _ENTITIES), style, space

    def flush(self) -> None:
        if self._pending:
            self.ws.append_text("".join(self._pending))
            self._pending, self._size = [], 0

    def filter(self) -> None:
        self.ws.auto_filter.ref = f"A1:{get_column_letter(self.width)}{self.rows + 1}"
