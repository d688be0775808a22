#!/usr/bin/env python
"""How fast do researchers' report pages answer? (goal: **landing and indicator pages under 150 ms** with 43
municipalities × 10 years of snapshots)

Set-up as ``bench_return_form.py`` (a temporary SQLite database, and PostgreSQL in a private schema when
``DATABASE_URL`` is set; migrations, registry, periods) plus a researcher. Ten reporting years 2017–2026 are
compiled by ``reports.compile_report`` from the synthetic answers of ``bench_reports.py`` (43 municipalities,
every year against the reference figures and the previous year) and stored as snapshots exactly as
``compile_snapshot`` stores them (payload and summary); each year gets ``--compilations`` snapshots, since
compilations accumulate. Then, signed in through the test client, each page is requested ``--runs`` times after
warm-ups and timed with ``time.perf_counter`` (the whole request: routing, queries, JSON decoding, rendering):

- the landing page (``/reports/``: opens on the latest year, the year selector reads every year's coverage);
- an indicator page of a share (its chart, its time series over 10 years, the map where there is one);
- an indicator page of a score;
- a region page and the scatter table page.

Usage::

    .venv/bin/python benchmarks/bench_report_pages.py [--runs 30] [--compilations 2]
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test .venv/bin/python benchmarks/bench_report_pages.py

Not a pytest test; it always exits 0 unless the set-up itself fails.
"""

from __future__ import annotations

import argparse
import json
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

from bench_reports import DATA, register, year_records  # noqa: E402
from bench_return_form import Target, build_app, postgres_target, quiet_logging, sqlite_target  # noqa: E402

GOAL_MS = 150.0
FIRST, LAST = 2017, 2026
PASSWORD = "bench-parole-2026"
SHARE = "remigration_promotion_topicality.very_topical"
SCORE = "state_support_sufficiency_score.mean"


def store_snapshots(app: Any, compilations: int) -> None:
    from monitor.extensions import db
    from monitor.reporting.models import ReportSnapshot
    from monitor.reporting.queries import expected_units
    from reports import compile_report, load_reference
    from reports.summary import summarise

    reference = load_reference(json.loads((DATA / "survey-baseline.json").read_text(encoding="utf-8")))
    units = register(43)
    with app.app_context():
        expected = expected_units()
        previous: list[Any] = []
        for year in range(FIRST, LAST + 1):
            records = year_records(units, year, seed=1)
            payload = compile_report(year, records, reference=reference, previous=previous,
                                     expected=expected).to_dict()
            for i in range(compilations):
                db.session.add(ReportSnapshot(year=year, definition_version="bench", reference_version="bench",
                                              inputs_fingerprint=f"{year}-{i}", statuses="approved",
                                              trigger="cli", payload=payload, summary=summarise(payload)))
            db.session.commit()
            previous = records


def researcher(app: Any) -> None:
    from monitor.auth.models import Role
    from monitor.auth.operations import create_user
    from monitor.extensions import db

    with app.app_context():
        create_user(email="bench.researcher@lu.lv", name="Bench Researcher", password=PASSWORD,
                    role=Role.RESEARCHER, municipality=None, region=None, locale="lv")
        db.session.commit()


def pages(app: Any) -> dict[str, str]:
    from monitor.extensions import db
    from monitor.reporting.queries import latest_snapshot

    with app.app_context():
        payload = latest_snapshot(LAST).payload
        keys = {i["key"] for i in payload["indicators"]}
        scatter = next((t["key"] for t in payload["tables"] if any(c["key"] == "x" for c in t["columns"])), None)
        region = payload["regions"][0]["slug"]
        db.session.remove()
    found = {"landing": "/reports/", f"indicator (share, {SHARE})": f"/reports/{LAST}/indicators/{SHARE}"}
    if SCORE in keys:
        found[f"indicator (score, {SCORE})"] = f"/reports/{LAST}/indicators/{SCORE}"
    found[f"region ({region})"] = f"/reports/{LAST}/regions/{region}"
    if scatter:
        found[f"table ({scatter})"] = f"/reports/{LAST}/tables/{scatter}"
    return found


def measure(app: Any, runs: int, warmup: int) -> dict[str, list[float]]:
    client = app.test_client()
    answer = client.post("/login", data={"email": "bench.researcher@lu.lv", "password": PASSWORD})
    assert answer.status_code in (302, 303), answer.status_code
    times: dict[str, list[float]] = {}
    for label, url in pages(app).items():
        for _ in range(warmup):
            assert client.get(url).status_code == 200, url
        samples = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, url
        times[label] = samples
    return times


def run(target: Target, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="monitor-bench-instance-") as instance_dir:
        os.environ["MONITOR_INSTANCE_PATH"] = instance_dir
        app = None
        try:
            started = time.perf_counter()
            app = build_app(target, instance_dir)
            researcher(app)
            store_snapshots(app, args.compilations)
            print(f"\n[{target.label}] set-up {time.perf_counter() - started:.1f} s: {LAST - FIRST + 1} years × "
                  f"{args.compilations} compilations of 43 municipalities")
            for label, samples in measure(app, args.runs, args.warmup).items():
                p50 = statistics.median(samples)
                p90 = statistics.quantiles(samples, n=10)[-1]
                verdict = "OK" if p90 < GOAL_MS else "OVER"
                print(f"  {label:62} p50 {p50:6.1f} ms  p90 {p90:6.1f} ms  max {max(samples):6.1f} ms  → {verdict}")
        finally:
            if app is not None:
                from monitor.extensions import db

                with app.app_context():
                    db.engine.dispose()
            if target.cleanup:
                target.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--compilations", type=int, default=2, help="snapshots stored per year (default 2)")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore DATABASE_URL")
    args = parser.parse_args(argv)
    quiet_logging()
    database_url = os.environ.pop("DATABASE_URL", "")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs, load average {load}; {args.runs} runs after "
          f"{args.warmup} warm-ups; goal: p90 < {GOAL_MS:.0f} ms per page")
    with tempfile.TemporaryDirectory(prefix="monitor-bench-") as tmp:
        run(sqlite_target(tmp), args)
    if database_url and not args.sqlite_only:
        run(postgres_target(database_url), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
