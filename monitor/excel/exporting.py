"""The researchers' benchmark workbook and CSV: what was asked for (``ExportRequest``, shared by the page and the
CLI), and the database → the plain inputs of the ``reports.excel`` writers, streamed in chunks so memory stays
bounded whatever the number of returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import IO, Callable, Iterable, Iterator, Mapping, NamedTuple

from flask_babel import gettext as _
from sqlalchemy import select

from forms import ReturnDefinition, definition_years, get_definition
from reports.excel import ExportUnit, WorkbookInfo
from reports.excel.benchmark import write_benchmark_csv, write_benchmark_workbook

from ..extensions import db
from ..registry.models import Municipality, PlanningRegion
from ..reporting.models import ReportSnapshot
from ..reporting.queries import latest_snapshot, place_names
from ..returns.models import AnnualReturn
from ..returns.storage import load_answers_bulk

#: researchers get published figures: approved returns only
EXPORT_STATUSES = ("approved",)
CHUNK = 200  # returns loaded per batch of queries (the session's identity map is weak: loaded rows are freed)
#: called with (years read, years in all) before each year is read, and once more when all are
Progress = Callable[[int, int], None]


class _Id(NamedTuple):
    id: int


def export_years(first: int, last: int) -> list[int]:
    """The years of ``first``…``last`` that have a return definition (past years included)."""
    return [y for y in definition_years() if first <= y <= last]


def definitions_for(years: Iterable[int]) -> dict[int, ReturnDefinition]:
    return {y: get_definition(y) for y in years}


def iter_export_units(years: Iterable[int], statuses: Iterable[str], *, chunk: int = CHUNK,
                      progress: Progress | None = None) -> Iterator[ExportUnit]:
    """Every return of ``years`` in one of ``statuses``, ordered by year and municipality, with typed answers."""
    statuses, years = list(statuses), list(years)
    for done, year in enumerate(years):
        if progress is not None:
            progress(done, len(years))
        definition = get_definition(year)
        rows = db.session.execute(
            select(AnnualReturn.id, AnnualReturn.status, Municipality.slug, Municipality.name_lv,
                   PlanningRegion.slug, PlanningRegion.name_lv)
            .join(Municipality, Municipality.id == AnnualReturn.municipality_id)
            .join(PlanningRegion, PlanningRegion.id == Municipality.region_id)
            .where(AnnualReturn.year == year, AnnualReturn.status.in_(statuses))
            .order_by(Municipality.slug)
        ).all()
        for start in range(0, len(rows), chunk):
            part = rows[start:start + chunk]
            answers = load_answers_bulk([_Id(r[0]) for r in part], definition)
            for return_id, status, slug, name, region, region_name in part:
                yield ExportUnit(unit=slug, name=name, region=region, region_name=region_name, year=year,
                                 status=status, values=answers[return_id])
    if progress is not None:
        progress(len(years), len(years))


def snapshots_for(years: Iterable[int]) -> dict[int, ReportSnapshot]:
    """The latest compiled report of each year that has one."""
    out = {}
    for year in years:
        snapshot = latest_snapshot(year)
        if snapshot is not None:
            out[year] = snapshot
    return out


def workbook_info(years: list[int], statuses: Iterable[str], snapshots: dict[int, ReportSnapshot], *,
                  locale: str, use_labels: bool) -> WorkbookInfo:
    described = {
        year: (f"snapshot {s.id}, compiled {s.compiled_at:%Y-%m-%d %H:%M} UTC, returns counted: {s.statuses}, "
               f"inputs {s.inputs_fingerprint[:12]}")
        for year, s in snapshots.items()
    }
    references = sorted({part for s in snapshots.values() for part in s.reference_version.split(";") if part})
    return WorkbookInfo(
        generated_at=dt.datetime.now(dt.timezone.utc), years=tuple(years), statuses=tuple(sorted(statuses)),
        locale=locale, use_labels=use_labels, snapshots=described,
        sources=tuple(f"reference dataset {r}" for r in references),
        generated_by="Remigration support monitor",
        place_names=place_names(locale),  # the README names the municipalities a year's figures do not count
    )


@dataclass(frozen=True)
class ExportRequest:
    first: int
    last: int
    format: str = "xlsx"  # xlsx | csv (a zip of CSV files)
    use_labels: bool = False
    locale: str = "lv"
    statuses: tuple[str, ...] = EXPORT_STATUSES

    @classmethod
    def parse(cls, args: Mapping[str, str], years: list[int]) -> tuple["ExportRequest | None", dict[str, str]]:
        """Read the page's (or CLI's) choices; errors by field name, in the user's language."""
        errors: dict[str, str] = {}
        first, last = _year(args.get("first"), years), _year(args.get("last"), years)
        if first is None:
            errors["first"] = _("Choose the first year from the list.")
        if last is None:
            errors["last"] = _("Choose the last year from the list.")
        if first is not None and last is not None and first > last:
            errors["last"] = _("The last year cannot be before the first year.")
        fmt = args.get("format", "xlsx")
        if fmt not in ("xlsx", "csv"):
            errors["format"] = _("Choose Excel or CSV.")
        codes = args.get("values", "codes")
        if codes not in ("codes", "labels"):
            errors["values"] = _("Choose codes or labels.")
        locale = args.get("lang", "lv")
        if locale not in ("lv", "en"):
            errors["lang"] = _("Choose Latvian or English.")
        if errors:
            return None, errors
        return cls(first, last, fmt, codes == "labels", locale), {}  # type: ignore[arg-type]

    def args(self) -> dict[str, str]:
        """The choices as the download page sends them (``parse`` reads them back)."""
        return {"first": str(self.first), "last": str(self.last), "format": self.format,
                "values": "labels" if self.use_labels else "codes", "lang": self.locale}

    def variant(self) -> str:
        """What the file holds, as one key: ``2025-2026.xlsx.codes.lv.approved``."""
        return (f"{self.first}-{self.last}.{self.format}.{'labels' if self.use_labels else 'codes'}.{self.locale}."
                + ",".join(sorted(self.statuses)))

    def filename(self) -> str:
        span = str(self.first) if self.first == self.last else f"{self.first}-{self.last}"
        return f"remigration-benchmark-{span}.{'xlsx' if self.format == 'xlsx' else 'csv.zip'}"


def _year(text: str | None, years: list[int]) -> int | None:
    return int(text) if text and text.isdigit() and int(text) in years else None


def write_export(export: ExportRequest, out: IO[bytes], progress: Progress | None = None) -> dict[str, int]:
    """Write the workbook (or the CSV zip) to ``out``; returns the rows written per sheet (or CSV file)."""
    years = export_years(export.first, export.last)
    snapshots = snapshots_for(years)
    info = workbook_info(years, export.statuses, snapshots, locale=export.locale, use_labels=export.use_labels)
    writer = write_benchmark_workbook if export.format == "xlsx" else write_benchmark_csv
    return writer(out, definitions=definitions_for(years),
                  units=iter_export_units(years, export.statuses, progress=progress),
                  reports={y: s.payload for y, s in snapshots.items()}, info=info)


def data_rows(counts: Mapping[str, int]) -> int:
    """The rows of the Data sheet, or of data.csv in a CSV zip (one per municipality and year)."""
    return counts.get("Data", counts.get("data.csv", 0))
