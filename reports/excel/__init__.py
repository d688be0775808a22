"""Excel and CSV: the researchers' benchmark workbook, the municipality template and the bulk (historical) workbook.

The only place in the project that imports openpyxl. Writers take plain data and write bytes to a binary stream;
readers take bytes and return plain data (``model``), or raise ``WorkbookRefused`` for a file that cannot be read
at all. Nothing here reads a database, config or request.

- ``safety`` — one helper for user text in any export (formula injection), and the guarded opening of uploads
  (size, zip members, compression ratio, defusedxml);
- ``codebook`` — the variables of one or more return definitions, for the Codebook sheet and codebook.csv;
- ``benchmark`` — the researchers' workbook (streaming, write-only) and the same data as CSV files in a zip, from
  its parts: ``formats`` (number formats), ``flatten`` (a return's rows), ``indicators``, ``readme``, ``xlsx``
  (write-only sheets whose rows are serialised as SpreadsheetML text) and ``benchmark_csv`` (the zip);
- ``template`` — a municipality's return as a prefilled workbook, and reading it back;
- ``bulk`` — reading many municipalities' returns from one workbook in the benchmark's Data/group-sheet layout.
"""

from .model import (
    TEMPLATE_FORMAT, BulkRow, BulkUpload, CellProblem, CellRef, ExportUnit, TemplateUpload, UnitNote,
    UnitResolution, WorkbookInfo, WorkbookRefused,
)

__all__ = [
    "TEMPLATE_FORMAT", "BulkRow", "BulkUpload", "CellProblem", "CellRef", "ExportUnit", "TemplateUpload",
    "UnitNote", "UnitResolution", "WorkbookInfo", "WorkbookRefused",
]
