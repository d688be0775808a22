"""The researchers' benchmark workbook and the same data as CSV files in a zip.

Both writers take one pass over ``units`` (a generator of any length is fine: nothing is kept in memory but the
current unit; the workbook's sheets stream to temporary files, the CSV of each group sheet goes to a spooled
temporary file). ``flatten.Flattener`` turns one ``ExportUnit`` into its Data row and group rows; the xlsx and CSV
sinks only differ in how a value is written. Personal fields never appear (see ``codebook.layout``).

Workbook sheets, in order: README, Codebook, Data, one sheet per repeating group, Indicators, Charts.
Zip members: codebook.csv, data.csv, one ``<group sheet>.csv`` per group sheet, indicators.csv, README.txt.
Column headers are variable keys (``codebook.CODEBOOK_COLUMNS``, ``INDICATOR_COLUMNS``, the Codebook's variables).

The parts, one job each: ``formats`` (number formats), ``flatten`` (a unit's rows), ``indicators`` (the
Indicators and Charts rows), ``readme`` (the README), ``xlsx`` (fast write-only sheets), ``benchmark_csv`` (the
zip); this module assembles the workbook and keeps the public names importable from one place.
"""

from __future__ import annotations

from typing import BinaryIO, Iterable, Mapping

from openpyxl.chart import BarChart, Reference

from forms.schema import ReturnDefinition

from .benchmark_csv import write_benchmark_csv
from .codebook import CODEBOOK_COLUMNS, DATA_SHEET, codebook_rows
from .coverage import COVERAGE_COLUMNS
from .flatten import Flattener, stream_units
from .formats import DATE, DECIMAL, DIFFERENCE, EUR, INTEGER, PERCENT, PP
from .indicators import INDICATOR_COLUMNS, indicator_rows, key_indicators
from .model import ExportUnit, WorkbookInfo
from .readme import csv_name, readme_lines, readme_text
from .xlsx import Book

__all__ = [
    "DATE", "DECIMAL", "DIFFERENCE", "EUR", "INDICATOR_COLUMNS", "INTEGER", "PERCENT", "PP", "Flattener",
    "csv_name", "indicator_rows", "key_indicators", "readme_lines", "readme_text", "write_benchmark_csv",
    "write_benchmark_workbook",
]


def write_benchmark_workbook(out: BinaryIO, *, definitions: Mapping[int, ReturnDefinition],
                             units: Iterable[ExportUnit], reports: Mapping[int, dict],
                             info: WorkbookInfo) -> dict[str, int]:
    """Write the workbook to ``out``; returns the number of rows (header excluded) per sheet.

    ``reports``: year → ``Report.to_dict()`` for the Indicators and Charts sheets (a year without one has none).
    """
    flat, book = Flattener(definitions, info), Book()
    readme = book.sheet("README", (), freeze=None, widths=(26, 90, 90))
    codebook = book.sheet("Codebook", CODEBOOK_COLUMNS, freeze="B2",
                          widths=(34, 20, 14, 50, 50, 14, 9, 9, 60, 30, 12, 18, 30, 9))
    data = book.sheet(DATA_SHEET, flat.data_header(), flat.data_formats(), freeze="C2")
    groups = [book.sheet(g.sheet, flat.group_header(g), flat.group_formats(g), freeze="C2") for g in flat.plan.groups]
    indicators = book.sheet("Indicators", INDICATOR_COLUMNS, freeze="C2",
                            widths=(7, 40, 60, 11, 16, 24, *([11] * 11), 80, *([11] * len(COVERAGE_COLUMNS))))
    for row in codebook_rows(definitions):
        codebook.append(row.values())
    stream_units(flat, units, data, groups)
    for values, formats in indicator_rows(reports, info.locale):
        indicators.append(values, formats)
    for sheet in (codebook, data, *groups, indicators):
        sheet.filter()
    _charts_sheet(book, reports, info.locale)
    counts = {s.ws.title: s.rows for s in (codebook, data, *groups, indicators)}
    title, *lines = readme_lines(info, counts, reports=reports)
    readme.styled_row(title, bold=True)
    for line in lines:
        readme.styled_row(line, wrap=True)
    book.save(out)
    return counts


def _charts_sheet(book: Book, reports: Mapping[int, dict], locale: str) -> None:
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
