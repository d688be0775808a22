"""The research export as CSV files in a zip: codebook.csv, data.csv, one ``<group sheet>.csv`` per group sheet,
indicators.csv, README.txt — the same rows as the workbook (``flatten``, ``indicators``, ``readme``), RFC 4180 in
UTF-8 with a BOM, every field through ``safety.csv_field``."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import shutil
import tempfile
import zipfile
from typing import Any, BinaryIO, Iterable, Iterator, Mapping, Sequence

from forms.schema import ReturnDefinition

from .codebook import CODEBOOK_COLUMNS, DATA_SHEET, codebook_rows
from .flatten import Flattener, stream_units
from .indicators import INDICATOR_COLUMNS, indicator_rows
from .model import ExportUnit, WorkbookInfo
from .readme import csv_name, readme_text
from .safety import csv_field

class _CsvSink:
    """RFC 4180 rows (csv module, CRLF) in UTF-8 with a BOM, every field through ``csv_field``."""

    def __init__(self, raw: Any, header: Sequence[str]) -> None:
        self.text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.text, lineterminator="\r\n")
        self.writer.writerow(header)
        self.rows = 0

    def append(self, values: Sequence[Any], formats: Any = None) -> None:
        self.writer.writerow([csv_field(v) for v in values])
        self.rows += 1

    def finish(self) -> None:
        self.text.flush()
        self.text.detach()  # leaves the underlying file open



class _Zip:
    """The zip being written: members stamped with the export's time (UTC), compressed."""

    def __init__(self, out: BinaryIO, generated_at: dt.datetime) -> None:
        self.zf = zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED)
        self.stamp = generated_at.astimezone(dt.timezone.utc).timetuple()[:6]

    def open(self, name: str) -> BinaryIO:
        entry = zipfile.ZipInfo(name, date_time=self.stamp)  # type: ignore[arg-type]
        entry.compress_type = zipfile.ZIP_DEFLATED
        return self.zf.open(entry, "w")  # type: ignore[return-value]

    @contextlib.contextmanager
    def csv(self, sheet: str, header: Sequence[str], counts: dict[str, int]) -> Iterator[_CsvSink]:
        """A CSV member for ``sheet``; its row count goes to ``counts[sheet]``."""
        with self.open(csv_name(sheet)) as raw:
            sink = _CsvSink(raw, header)
            yield sink
            sink.finish()
        counts[sheet] = sink.rows


def write_benchmark_csv(out: BinaryIO, *, definitions: Mapping[int, ReturnDefinition], units: Iterable[ExportUnit],
                        reports: Mapping[int, dict], info: WorkbookInfo) -> dict[str, int]:
    """Write the zip of CSV files to ``out``; returns the number of rows (header excluded) per CSV file."""
    flat, counts, zipped = Flattener(definitions, info), {}, _Zip(out, info.generated_at)
    with zipped.zf:
        with zipped.csv("Codebook", CODEBOOK_COLUMNS, counts) as sink:
            for row in codebook_rows(definitions):
                sink.append(row.values())
        _data_csv(zipped, flat, units, counts)
        with zipped.csv("Indicators", INDICATOR_COLUMNS, counts) as sink:
            for values, _ in indicator_rows(reports, info.locale):
                sink.append(values)
        with zipped.open("README.txt") as member:
            member.write(readme_text(info, counts, reports).encode("utf-8-sig"))
    return {csv_name(sheet): rows for sheet, rows in counts.items()}


def _data_csv(zipped: _Zip, flat: Flattener, units: Iterable[ExportUnit], counts: dict[str, int]) -> None:
    """data.csv straight into the zip; the group CSVs into spooled temporary files, copied in afterwards (a zip
    has only one member open for writing at a time)."""
    with contextlib.ExitStack() as stack:
        spools = [stack.enter_context(tempfile.SpooledTemporaryFile(max_size=4 << 20)) for _ in flat.plan.groups]
        sinks = [_CsvSink(spool, flat.group_header(g)) for spool, g in zip(spools, flat.plan.groups)]
        with zipped.csv(DATA_SHEET, flat.data_header(), counts) as data:
            stream_units(flat, units, data, sinks)
        for sink, spool, group in zip(sinks, spools, flat.plan.groups):
            sink.finish()
            spool.seek(0)
            with zipped.open(csv_name(group.sheet)) as member:
                shutil.copyfileobj(spool, member, 1 << 20)
            counts[group.sheet] = sink.rows
