#!/usr/bin/env python
"""How long do the researchers' downloads take now that they are built once and stored? Goal: **a stored workbook
is sent in under 100 ms**; and how long does the scheduler take to build them?

Set-up as ``bench_return_form.py`` (a temporary SQLite database, and PostgreSQL in a private schema when
``DATABASE_URL`` is set; migrations, registry, periods) plus a researcher. Every one of the 43 municipalities gets an
approved return for each of the years 2023–2026 (``tests.factories.complete_answers`` of the year, with a few
numbers varied per municipality: 172 returns) and each year's report is compiled. Then:

1. **build** — the scheduler's work when a year is compiled: ``store_year_files(2026)`` builds the year's 8
   downloads (xlsx and CSV zip × codes and labels × LV and EN); and the ``export_builds`` job building a range
   (2023–2026, xlsx) that a researcher asked for. The time of each file is its ``build_ms``.
2. **download** — signed in through the test client, the stored 2026 workbook, CSV zip and the 2023–2026 workbook
   are each requested ``--runs`` times after warm-ups and timed with ``time.perf_counter`` (the whole request:
   the current-file check, the audit row and its commit, sending the bytes).

Usage::

    .venv/bin/python benchmarks/bench_export_files.py [--runs 30]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/bench_export_files.py

Not a pytest test; it always exits 0 unless the set-up itself fails.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_return_form import Target, build_app, postgres_target, quiet_logging, sqlite_target  # noqa: E402

GOAL_MS = 100.0
YEARS = range(2023, 2027)
PASSWORD = "bench-parole-2026"
QUERIES = {
    "2026 xlsx": "first=2026&last=2026&format=xlsx&values=codes&lang=lv",
    "2026 CSV zip": "first=2026&last=2026&format=csv&values=codes&lang=lv",
    "2023–2026 xlsx": "first=2023&last=2026&format=xlsx&values=codes&lang=lv",
}


def fill(app: Any) -> int:
    """Approved returns of every municipality for every year of ``YEARS``, and each year's report compiled."""
    from sqlalchemy import select

    from forms import get_definition
    from monitor.auth.models import Role
    from monitor.auth.operations import create_user
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod
    from monitor.registry.models import Municipality
    from monitor.reporting.operations import compile_snapshot, load_reference_data
    from tests.factories import complete_answers, make_return

    with app.app_context():
        for year in YEARS:  # past years have no period in a fresh install; the factory needs one
            if db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year)) is None:
                db.session.add(ReportingPeriod(year=year, definition_version=get_definition(year).version,
                                               opens_on=dt.date(year, 11, 1), deadline=dt.date(year + 1, 3, 31)))
        create_user(email="bench.researcher@lu.lv", name="Bench Researcher", password=PASSWORD,
                    role=Role.RESEARCHER, municipality=None, region=None, locale="lv")
        admin = create_user(email="bench.admin@lu.lv", name="Bench Admin", password=PASSWORD, role=Role.ADMIN,
                            municipality=None, region=None, locale="lv")
        load_reference_data()
        db.session.commit()
        slugs = list(db.session.scalars(select(Municipality.slug).order_by(Municipality.slug)))
        admin_id = admin.id
    count = 0
    for year in YEARS:
        base = complete_answers(year)
        for index, slug in enumerate(slugs):
            answers = {**base, "returnees_persons": 5 + index * 3, "returnees_families": 1 + index,
                       "returnees_children": index % 4}
            make_return(app, slug, year, answers, actor_id=admin_id, status="approved")
            count += 1
    with app.app_context():
        for year in YEARS:
            compile_snapshot(year, trigger="cli")
        db.session.commit()
    return count


def build(app: Any) -> dict[str, Any]:
    """The scheduler's builds: the 8 files of 2026, then the range someone asked for. ms per file."""
    from monitor.excel.builds import process_export_builds, request_build
    from monitor.excel.exporting import ExportRequest
    from monitor.excel.models import ExportBuild
    from monitor.excel.stored import store_year_files
    from monitor.extensions import db

    with app.app_context():
        started = time.perf_counter()
        files = store_year_files(2026)
        db.session.commit()
        year_total = time.perf_counter() - started
        out = {f.variant: (f.build_ms, f.size, f.data_rows) for f in files}
        from monitor.auth.models import User
        from sqlalchemy import select

        researcher = db.session.scalar(select(User).where(User.email == "bench.researcher@lu.lv"))
        request_build(ExportRequest(2023, 2026, "xlsx", False, "lv"), researcher)
        db.session.commit()
        started = time.perf_counter()
        result = process_export_builds()
        range_total = time.perf_counter() - started
        built = db.session.scalar(select(ExportBuild))
        stored = built.file_id and db.session.get(type(files[0]), built.file_id)
        out[stored.variant] = (stored.build_ms, stored.size, stored.data_rows)
    return {"files": out, "year_total": year_total, "range_total": range_total, "job": result}


def downloads(app: Any, runs: int, warmup: int) -> dict[str, tuple[list[float], list[float]]]:
    """Per download: (wall ms, CPU ms of this process) of each run. The CPU time is the Python side of the request
    (with SQLite, the database too): on a busy machine it moves less than the wall time."""
    client = app.test_client()
    response = client.post("/login", data={"email": "bench.researcher@lu.lv", "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    times: dict[str, tuple[list[float], list[float]]] = {}
    for label, query in QUERIES.items():
        wall, cpu = [], []
        for run in range(warmup + runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get("/exports/?" + query)
            body = response.data
            elapsed, elapsed_cpu = (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000
            assert response.status_code == 200 and len(body) == int(response.headers["Content-Length"]), \
                (label, response.status_code)
            if run >= warmup:
                wall.append(elapsed)
                cpu.append(elapsed_cpu)
        times[label] = (wall, cpu)
    return times


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]


def run(target: Target, runs: int, warmup: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-exports-") as instance:
        os.environ["MONITOR_INSTANCE_PATH"] = instance
        app = build_app(target, instance)
        app.config.update(RATELIMIT_ENABLED=False, REPORT_DOCUMENTS_ON_COMPILE=False)
        started = time.perf_counter()
        returns = fill(app)
        print(f"\n{target.label}: {returns} approved returns (43 × {len(YEARS)} years), reports compiled "
              f"({time.perf_counter() - started:.0f} s set-up)")
        built = build(app)
        print(f"\nbuild (the scheduler, off any request): 2026's 8 files in {built['year_total']:.2f} s; "
              f"the 2023–2026 range job in {built['range_total']:.2f} s ({built['job']})")
        print(f"{'file':<42}{'build ms':>10}{'size kB':>10}{'Data rows':>11}")
        for variant, (ms, size, rows) in sorted(built["files"].items()):
            print(f"{variant:<42}{ms:>10}{size / 1000:>10.0f}{rows:>11}")
        times = downloads(app, runs, warmup)
        print(f"\ndownload of a stored file (whole request, {runs} runs after {warmup} warm-ups): goal < {GOAL_MS:.0f} ms")
        print(f"{'download':<20}{'median ms':>11}{'p90 ms':>9}{'max ms':>9}{'CPU median ms':>15}")
        worst = 0.0
        for label, (series, cpu) in times.items():
            median = statistics.median(series)
            worst = max(worst, median)
            print(f"{label:<20}{median:>11.1f}{p90(series):>9.1f}{max(series):>9.1f}{statistics.median(cpu):>15.1f}")
        print(f"SUMMARY {target.label}: slowest median download {worst:.1f} ms → "
              f"{'OK' if worst < GOAL_MS else 'OVER'} (goal < {GOAL_MS:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    quiet_logging()
    targets = []
    with tempfile.TemporaryDirectory(prefix="bench-exports-db-") as tmp:
        targets.append(sqlite_target(tmp))
        if os.environ.get("DATABASE_URL", "").startswith("postgres"):
            targets.append(postgres_target(os.environ["DATABASE_URL"]))
        for target in targets:
            try:
                run(target, args.runs, args.warmup)
            finally:
                if target.cleanup:
                    target.cleanup()


if __name__ == "__main__":
    main()
