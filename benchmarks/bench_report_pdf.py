#!/usr/bin/env python
"""How long does the yearly report take as a PDF (``monitor.reporting.document``)?

One reporting year of the real register: 43 municipalities with random but typed answers (the same generator as
``bench_reports.py``; 90 % approved), compiled against the reference figures (2017, 2022) and the previous year's
returns, stored as a snapshot in a temporary SQLite database. The PDF is then built in Latvian and in English
(``--runs`` times each, after one warm-up build); the script prints the seconds per language (wall clock and the
process's CPU time, which a busy machine moves less; the HTML part apart), the page count and the size. Goal: **under 15 s** for one year's PDF in one language.

Usage::

    .venv/bin/python benchmarks/bench_report_pdf.py              # 1 warm-up + 3 runs per language
    .venv/bin/python benchmarks/bench_report_pdf.py --runs 1 --out /tmp/report   # also writes report-lv.pdf …
    .venv/bin/python benchmarks/bench_report_pdf.py --profile    # + cProfile of one Latvian build

Not a pytest test; it always exits 0 unless something raises.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_reports import register, year_records  # noqa: E402

YEAR = 2026
GOAL_S = 15.0


def build_snapshot(app) -> int:  # type: ignore[no-untyped-def]
    """Registry, periods, reference data and one compiled snapshot of 43 municipalities; returns its id."""
    from forms import get_definition
    from reports.compile import compile_report
    from reports.summary import summarise

    from monitor.cli import ensure_periods
    from monitor.extensions import db
    from monitor.registry.operations import load_registry
    from monitor.reporting.models import ReportSnapshot
    from monitor.reporting.operations import DEFAULT_STATUSES, load_reference_data
    from monitor.reporting.queries import current_reference, expected_units, region_names

    with app.app_context():
        db.create_all()
        load_registry()
        ensure_periods()
        load_reference_data()
        units = register(43)
        previous = year_records(units, YEAR - 1, seed=1)
        records = year_records(units, YEAR, seed=1)
        reference, reference_version = current_reference()
        report = compile_report(YEAR, records, reference=reference, previous=previous, statuses=DEFAULT_STATUSES,
                                regions=region_names("lv"), expected=expected_units())
        payload = report.to_dict()
        snapshot = ReportSnapshot(year=YEAR, definition_version=get_definition(YEAR).version,
                                  reference_version=reference_version, inputs_fingerprint="benchmark",
                                  statuses="approved", trigger="cli", payload=payload, summary=summarise(payload))
        db.session.add(snapshot)
        db.session.commit()
        return snapshot.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="measured builds per language (default 3)")
    parser.add_argument("--out", type=Path, help="write report-lv.pdf and report-en.pdf into this folder")
    parser.add_argument("--profile", action="store_true", help="print cProfile of one Latvian build")
    args = parser.parse_args()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as tmp:
        os.environ["MONITOR_INSTANCE_PATH"] = tmp
        from monitor import create_app
        from monitor.extensions import db
        from monitor.reporting.document import render_pdf, render_report_html
        from monitor.reporting.models import ReportSnapshot

        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/b.db"})
        snapshot_id = build_snapshot(app)
        with app.app_context():
            snapshot = db.session.get(ReportSnapshot, snapshot_id)
            print(f"report {YEAR}: 43 municipalities, {snapshot.payload['n_units']} counted, "
                  f"{len(snapshot.payload['indicators'])} indicators, {len(snapshot.payload['tables'])} tables")
            render_pdf(snapshot, "lv")  # warm-up: fonts, templates, CSS
            worst = 0.0
            for locale in ("lv", "en"):
                html_s, pdf_s, cpu_s = [], [], []
                for _run in range(args.runs):
                    started = time.perf_counter()
                    render_report_html(snapshot, locale)
                    html_s.append(time.perf_counter() - started)
                    started, cpu = time.perf_counter(), time.process_time()
                    content, pages = render_pdf(snapshot, locale)
                    pdf_s.append(time.perf_counter() - started)
                    cpu_s.append(time.process_time() - cpu)
                total = statistics.median(pdf_s)
                worst = max(worst, total)
                print(f"{locale}: {total:.2f} s per PDF (median of {args.runs}; CPU {statistics.median(cpu_s):.2f} s; "
                      f"of which HTML {statistics.median(html_s):.2f} s), {pages} pages, {len(content) / 1e6:.2f} MB")
                if args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    (args.out / f"report-{locale}.pdf").write_bytes(content)
            print(f"SUMMARY: slowest language {worst:.2f} s per PDF (goal < {GOAL_S:g} s) → "
                  f"{'OK' if worst < GOAL_S else 'OVER'}")
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                render_pdf(snapshot, "lv")
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
                print(out.getvalue())


if __name__ == "__main__":
    main()
