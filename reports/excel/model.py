"""Plain inputs and outputs of the Excel/CSV writers and readers (no Flask, no database).

The Flask app builds these from the database; tests and benchmarks build them by hand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

#: Bumped whenever the layout of the municipality template changes; an upload of an older layout is refused.
TEMPLATE_FORMAT = "1"


@dataclass(frozen=True)
class ExportUnit:
    """One municipality's return for one year: a row of the Data sheet (and its rows in the group sheets).

    ``values`` are typed answers exactly as ``forms.validate`` returns them (groups: lists of row dicts, each with
    a ``_uid``). Personal fields (``Field.is_personal``) may be present: the research writers leave them out.
    """

    unit: str  # municipality slug
    name: str  # municipality name (Latvian; names are not translated)
    region: str  # planning-region slug
    region_name: str
    year: int
    status: str  # workflow status: draft / submitted / returned / resubmitted / approved
    values: Mapping[str, Any]


@dataclass(frozen=True)
class WorkbookInfo:
    """What the README sheet says about where the numbers come from."""

    generated_at: dt.datetime  # UTC, timezone-aware
    years: tuple[int, ...]
    statuses: tuple[str, ...]  # the return statuses included (normally only "approved")
    locale: str = "lv"  # "lv" or "en": the language of headers, labels and the README
    use_labels: bool = False  # choice answers as labels instead of codes in the Data and group sheets
    #: per year: a one-line description of the report snapshot the Indicators sheet comes from
    #: (e.g. "snapshot 12, compiled 2026-11-20 09:14 UTC, inputs a1b2c3…"); missing year → no indicators
    snapshots: Mapping[int, str] = field(default_factory=dict)
    #: the reference datasets used ("2017 BISS — version 1", "2022 survey — version 1")
    sources: tuple[str, ...] = ()
    generated_by: str = ""  # e.g. "Remigration monitor, https://…" (never a person's name)
    #: municipality slug → name, for the README's coverage (the municipalities not counted); slugs otherwise
    place_names: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CellRef:
    """Where an answer sits in an uploaded workbook, for messages: sheet name, cell ("C7") and the field label."""

    sheet: str
    cell: str
    label: str


@dataclass(frozen=True)
class CellProblem:
    """Something wrong found while reading a cell, before validation (a formula, an unknown choice, an edited key)."""

    ref: CellRef
    code: str
    lv: str
    en: str

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv


class WorkbookRefused(Exception):
    """The file as a whole cannot be read: not an .xlsx, too big, a zip or XML bomb, not our template, wrong
    municipality/year/template version. Carries a message in both languages."""

    def __init__(self, code: str, lv: str, en: str) -> None:
        super().__init__(en)
        self.code, self.lv, self.en = code, lv, en

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv


@dataclass
class TemplateUpload:
    """A municipality template as read back: raw answers for ``forms.validate`` plus where each one sits."""

    municipality: str  # slug written into the template
    year: int
    definition_version: str
    template_format: str
    base_version: int  # the return's version when the template was downloaded
    fingerprints: dict[str, str]  # per top-level key: the fingerprint of the answer as downloaded
    #: raw answers by top-level key (cell values: str / int / float / Decimal / date / None; multi-choice → list of
    #: codes; groups → list of row dicts with "_uid" when the row came from the download, blank rows dropped)
    raw: dict[str, Any]
    #: "key" or "group[i].field" (i = index among the non-blank rows, as in raw) or "group[i]" → the cell
    cells: dict[str, CellRef]
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class BulkRow:
    """One municipality's return in a bulk (historical) workbook."""

    unit: str
    year: int
    raw: dict[str, Any]
    cells: dict[str, CellRef]


@dataclass(frozen=True)
class UnitResolution:
    """How the bulk reader should count a municipality cell that is not a known slug (the caller decides: a current
    name, a pre-reform name or code). ``slug`` None: not counted — unknown, or ``candidates`` when the former
    municipality was divided. ``former`` is the pre-reform name when the text named one; ``successor`` the Latvian
    name of the municipality the row is counted as (names are not translated)."""

    slug: str | None
    former: str = ""
    successor: str = ""
    candidates: tuple[str, ...] = ()  # Latvian names of every successor of a divided former municipality


@dataclass(frozen=True)
class UnitNote:
    """A Data row whose municipality was written as a pre-reform name and is counted as its successor."""

    ref: CellRef
    row: int
    written: str
    former: str
    unit: str  # the successor's slug
    lv: str
    en: str

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv


@dataclass
class BulkUpload:
    rows: list[BulkRow]
    problems: list[CellProblem] = field(default_factory=list)
    #: rows counted as a successor of the pre-reform municipality they name
    notes: list[UnitNote] = field(default_factory=list)
    #: when one year is imported from a workbook of several: the rows of each other year, not read (one per year)
    skipped: list[CellProblem] = field(default_factory=list)
