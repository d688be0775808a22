#!/usr/bin/env python
"""How long and how much memory does the largest history import the limits let through take? (issue 14, item 6)

The worst file an administrator's upload may be: a ``Data`` sheet with the 2022 form's field keys as columns and
rows of weakly compressible numbers (each row a known municipality and 2022), padded until the file reaches the
byte limit or the uncompressed bound — whichever the guards hit first. Each size is read (``read_bulk``: the zip
and XML guards, openpyxl's load, the reader) in a fresh process; printed: wall time and peak RSS of that process,
the file's size and uncompressed size, the cells, and whether the guards refused it (and in what time).

The web request must finish well within gunicorn's worker timeout (``--timeout``, 60 s in deploy/gunicorn.conf.py).

Usage::

    .venv/bin/python benchmarks/bench_import_bound.py [--sizes 5,1] [--limits default|old]

With the default limits the file stops at the bound (``BULK_MAX_MARKUP``), so the first line is the worst case.

``--limits old`` reads with the limits before this change (20 MiB, 20 × that uncompressed, 50,000 rows).
Not a pytest test.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MiB = 1024 * 1024
YEAR = 2022


def _columns() -> list[str]:
    from forms import get_definition

    definition = get_definition(YEAR)
    keys = [f.key for f in definition.iter_fields() if f.type.value in ("integer", "money", "decimal")]
    return ["municipality", "year", *keys[:40]] if keys else ["municipality", "year"]


def make_file(target: int, *, max_uncompressed: int, max_markup: int) -> tuple[bytes, int, int]:
    """A workbook of about ``target`` bytes (or ``max_uncompressed`` XML): (data, uncompressed size, cells)."""
    import openpyxl


    slugs = [m["slug"] for m in json.loads((ROOT / "monitor/data/municipalities.json").read_text())["municipalities"]]
    columns = _columns()
    wb = openpyxl.Workbook()
    wb.active.title = "Data"
    base = io.BytesIO()
    wb.save(base)
    rng = random.Random(14)
    parts = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet '
             'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">']
    parts += [f'<c t="inlineStr"><is><t>{c}</t></is></c>' for c in columns]
    parts.append("</row>")
    size, cells, row = sum(map(len, parts)), len(columns), 1
    markup = sum(part.count("<") for part in parts) + 400  # and the other parts' (about 400)
    per_row = 2 + 4 * len(columns) + 4
    # random digits compress about 2.2 : 1; stop at the byte target (estimated) or the uncompressed bound
    while size < min(target * 2.2, max_uncompressed) - 4096 and markup + per_row <= max_markup:
        row += 1
        cells_xml = [f'<row r="{row}"><c t="inlineStr"><is><t>{slugs[row % len(slugs)]}</t></is></c><c><v>{YEAR}'
                     "</v></c>"]
        cells_xml += [f"<c><v>{rng.randrange(10**9)}</v></c>" for _ in columns[2:]]
        cells_xml.append("</row>")
        chunk = "".join(cells_xml)
        parts.append(chunk)
        size += len(chunk)
        cells += len(columns)
        markup += per_row
    parts.append("</sheetData></worksheet>")
    sheet = "".join(parts).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(base) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml" else src.read(info))
    return out.getvalue(), len(sheet), cells


def read_in_this_process(path: str, max_bytes: int, old: bool) -> None:
    from forms import get_definition
    from reports.excel import WorkbookRefused
    from reports.excel import bulk

    data = Path(path).read_bytes()
    if old:
        bulk.BULK_MAX_ROWS = 50_000
        bulk.BULK_MAX_UNCOMPRESSED = max(50 * MiB, 20 * max_bytes)
        bulk.BULK_MAX_MARKUP = 10**12
    started = time.perf_counter()
    outcome = "read"
    try:
        bulk.read_bulk(data, definitions=get_definition, known_units=set(), year=YEAR, max_bytes=max_bytes)
    except WorkbookRefused as exc:
        outcome = f"refused ({exc.code})"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 2), "peak_mib": round(peak), "outcome": outcome}))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="5,1")
    parser.add_argument("--limits", choices=("default", "old"), default="default")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        read_in_this_process(args.child[0], int(args.child[1]), args.limits == "old")
        return 0
    from reports.excel import bulk

    limit_bytes = 20 * MiB if args.limits == "old" else None
    for size in (float(s) for s in args.sizes.split(",")):
        max_uncompressed = max(50 * MiB, 20 * int(size * MiB)) if args.limits == "old" \
            else getattr(bulk, "BULK_MAX_UNCOMPRESSED", 10**12)
        max_markup = 10**12 if args.limits == "old" else bulk.BULK_MAX_MARKUP
        data, uncompressed, cells = make_file(int(size * MiB), max_uncompressed=max_uncompressed,
                                              max_markup=max_markup)
        path = Path("/tmp/bench-import-bound.xlsx")
        path.write_bytes(data)
        max_bytes = limit_bytes or max(len(data), 1)  # the byte limit itself is what the setting bounds
        done = subprocess.run([sys.executable, __file__, "--limits", args.limits, "--child", str(path),
                               str(max_bytes)], capture_output=True, text=True, check=True)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"file {len(data) / MiB:5.1f} MiB, XML {uncompressed / MiB:6.1f} MiB, {cells:>9,} cells: "
              f"{result['outcome']:<28} {result['seconds']:6.1f} s, peak RSS {result['peak_mib']:5} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
