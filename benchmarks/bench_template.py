#!/usr/bin/env python
"""How fast is a municipality's Excel round trip? Download of the prefilled template, and the upload of a filled
one (goal: **under 1 s**).

Set-up as ``bench_return_form.py``: a temporary SQLite database (and PostgreSQL in a private schema when
``DATABASE_URL`` is set), migrations, registry, periods, an editor and a realistically sized 2026 return (every
section answered, 8 grant programmes, 15 diaspora activities, 3 contact persons, 5 budget lines). Signed in with
the Flask test client, it measures with ``time.perf_counter``:

(a) GET of the template (answers loaded, workbook written);
(b) ``read_template`` alone (guarded opening, parsing, checks) of that file;
(c) POST of the file with one answer changed — the whole request: reading, validation, merge, storage, commit.
    Rounds alternate two values, so every round really writes;
(d) POST of the same file again (nothing changes: the idempotent path).

Usage::

    .venv/bin/python benchmarks/bench_template.py [--runs 20] [--warmup 2]

Not a pytest test; it always exits 0 unless the set-up itself fails.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_return_form import (  # noqa: E402
    PASSWORD, SLUG, YEAR, build_app, create_editor_and_return, postgres_target, quiet_logging, sqlite_target,
)

GOAL_S = 1.0
URL = f"/returns/{SLUG}/{YEAR}/excel"


def with_answer(data: bytes, key: str, value: Any) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    for ws in wb.worksheets:
        for row in ws.iter_rows(min_col=1, max_col=3):
            if row[0].value == key:
                row[2].value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def timed(fn: Callable[[int], Any], runs: int, warmup: int) -> list[float]:
    for i in range(warmup):
        fn(i)
    times = []
    for i in range(runs):
        started = time.perf_counter()
        fn(warmup + i)
        times.append(time.perf_counter() - started)
    return times


def run(label: str, app: Any, runs: int, warmup: int) -> None:
    from forms import get_definition
    from reports.excel.template import read_template

    create_editor_and_return(app)
    client = app.test_client()
    assert client.post("/login", data={"email": "bench.editor@cesis.lv", "password": PASSWORD}).status_code == 302
    template = client.get(f"{URL}/template.xlsx").data
    files = [with_answer(template, "returnees_persons", value) for value in (31, 32)]

    def download(_i: int) -> None:
        assert client.get(f"{URL}/template.xlsx").status_code == 200

    def parse(_i: int) -> None:
        read_template(template, definitions=get_definition, expected_municipality=SLUG, expected_year=YEAR)

    def upload(i: int, data: bytes | None = None) -> None:
        body = {"file": (io.BytesIO(data or files[i % 2]), "veidne.xlsx")}
        response = client.post(URL, data=body, content_type="multipart/form-data")
        assert response.status_code == 302, response.get_data(as_text=True)[:500]

    results = {
        "download template": timed(download, runs, warmup),
        "read_template only": timed(parse, runs, warmup),
        "upload, 1 answer changed": timed(upload, runs, warmup),
        "upload, same file again": timed(lambda i: upload(i, files[0]), runs, warmup),
    }
    print(f"\n{label}: template {len(template) / 1024:.0f} KiB, median of {runs} after {warmup} warm-ups")
    for name, times in results.items():
        median = statistics.median(times)
        verdict = "" if name.startswith("download") else f"  goal < {GOAL_S:.0f} s: " + (
            "OK" if median < GOAL_S else "OVER")
        print(f"  {name:<28}{median * 1000:>9.0f} ms   (min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})"
              f"{verdict}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=2)
    args = parser.parse_args()
    quiet_logging()
    with tempfile.TemporaryDirectory() as tmp:
        run("SQLite", build_app(sqlite_target(tmp), tmp), args.runs, args.warmup)
        if os.environ.get("DATABASE_URL"):
            target = postgres_target(os.environ["DATABASE_URL"])
            try:
                run("PostgreSQL", build_app(target, tmp), args.runs, args.warmup)
            finally:
                if target.cleanup:
                    target.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
