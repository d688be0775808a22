#!/usr/bin/env python
"""How fast is an administrator's import of a past year? (goal: **43 returns under 2 s**)

Set-up as ``bench_return_form.py``: a temporary SQLite database (and PostgreSQL in a private schema when
``DATABASE_URL`` is set), migrations, registry, periods, an administrator. The file is a researchers' benchmark
workbook of 2022 for all 43 municipalities, each a realistically sized return (``realistic_answers()`` of the
return-form benchmark without its personal fields: every section answered, 8 grant programmes, 15 diaspora
activities, 5 budget lines…), written by the project's own writer. Timed with ``time.perf_counter``:

(a) **first import**: ``read_bulk`` of the file + ``import_history`` (the edit plan of each return and the one
    writer) + commit, into an empty year — 43 returns created. The year is emptied between rounds;
(b) **the same file again**: nothing changes (the idempotent path: every return planned, nothing written);
(c) **read only**: ``read_bulk`` alone, to show how the time divides.

Usage::

    .venv/bin/python benchmarks/bench_history_import.py [--runs 5] [--warmup 1]

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
    Target, build_app, postgres_target, quiet_logging, realistic_answers, sqlite_target,
)

GOAL_S = 2.0
YEAR = 2022


def workbook(app: Any, data: str = "dense") -> bytes:
    """The 2022 benchmark workbook, written by ``reports.excel.benchmark``: ``dense`` — 43 realistically sized
    returns; ``survey`` — the 2022 survey as the study reports it (41 returns, tests/reports/seed_2022.py)."""
    from forms import get_definition
    from monitor.excel.exporting import workbook_info
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.edit import plan_edit
    from reports.excel import ExportUnit
    from reports.excel.benchmark import write_benchmark_workbook

    definition = get_definition(YEAR)
    raw = {k: v for k, v in realistic_answers().items()
           if definition.has_field(k) and not definition.field(k).is_personal}
    values = plan_edit(definition, {}, raw).values
    survey = {}
    if data == "survey":
        from tests.reports.seed_2022 import records_2022

        survey = {r.unit: r.values for r in records_2022()}
    with app.app_context():
        units = [ExportUnit(m.slug, m.name_lv, m.region.slug, m.region.name_lv, YEAR, "approved",
                            survey[m.slug] if survey else values)
                 for m in db.session.scalars(db.select(Municipality).order_by(Municipality.slug))
                 if not survey or m.slug in survey]
        info = workbook_info([YEAR], ("approved",), {}, locale="lv", use_labels=False)
    out = io.BytesIO()
    write_benchmark_workbook(out, definitions={YEAR: definition}, units=iter(units), reports={}, info=info)
    return out.getvalue()


def empty_year(app: Any) -> None:
    from sqlalchemy import delete, select

    from monitor.audit.models import AuditEvent
    from monitor.extensions import db
    from monitor.reporting.models import CompileRequest
    from monitor.returns.models import AnnualReturn, Answer, ChangeLog, GroupAnswer, GroupRow

    with app.app_context():
        ids = list(db.session.scalars(select(AnnualReturn.id).where(AnnualReturn.year == YEAR)))
        db.session.execute(delete(GroupAnswer).where(GroupAnswer.row_id.in_(
            select(GroupRow.id).where(GroupRow.return_id.in_(ids)))))
        for model in (GroupRow, Answer, ChangeLog, AuditEvent):
            db.session.execute(delete(model).where(model.return_id.in_(ids)))
        db.session.execute(delete(AnnualReturn).where(AnnualReturn.id.in_(ids)))
        db.session.execute(delete(CompileRequest))
        db.session.commit()


def make_admin(app: Any) -> int:
    from monitor.auth.models import Role
    from monitor.auth.operations import create_user
    from monitor.extensions import db

    with app.app_context():
        user = create_user(email="bench.admin@varam.gov.lv", name="Bench Admin", password="bench-password-1234",
                           role=Role.ADMIN, municipality=None, region=None, locale="lv")
        db.session.commit()
        return user.id


def import_once(app: Any, data: bytes, admin_id: int) -> Any:
    from forms import get_definition
    from monitor.auth.models import User
    from monitor.excel.operations import import_history
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from reports.excel.bulk import read_bulk

    with app.app_context():
        known = set(db.session.scalars(db.select(Municipality.slug)))
        outcome = import_history(YEAR, read_bulk(data, definitions=get_definition, known_units=known, year=YEAR),
                                 db.session.get(User, admin_id))
        if not outcome.saved:
            raise RuntimeError([p.en for p in outcome.problems[:5]])
        db.session.commit()
        return outcome


def timed(fn: Callable[[], Any], runs: int, warmup: int, before: Callable[[], None] = lambda: None) -> list[float]:
    out = []
    for i in range(warmup + runs):
        before()
        t0 = time.perf_counter()
        fn()
        if i >= warmup:
            out.append(time.perf_counter() - t0)
    return out


def run(target: Target, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="monitor-bench-instance-") as instance_dir:
        os.environ["MONITOR_INSTANCE_PATH"] = instance_dir
        app = None
        try:
            app = build_app(target, instance_dir)
            admin = make_admin(app)
            data = workbook(app, args.data)
            first = import_once(app, data, admin)
            print(f"\n[{target.label}, {args.data} data] file {len(data) / 1024:.0f} KiB; {first.created} returns, "
                  f"{first.answers} answers, {first.changes} values written, {first.not_kept_answers} not kept")
            created = timed(lambda: import_once(app, data, admin), args.runs, args.warmup,
                            before=lambda: empty_year(app))
            again = timed(lambda: import_once(app, data, admin), args.runs, args.warmup)

            def read() -> None:
                from forms import get_definition
                from reports.excel.bulk import read_bulk

                with app.app_context():
                    read_bulk(data, definitions=get_definition, known_units=set(), year=YEAR)

            reading = timed(read, args.runs, args.warmup)
            for name, values in ((f"first import ({first.created} created)", created), ("same file again", again),
                                 ("read_bulk alone", reading)):
                print(f"  {name:<28} median {statistics.median(values):6.2f} s   max {max(values):6.2f} s")
            n = first.created
            verdict = "MET" if statistics.median(created) < GOAL_S and statistics.median(again) < GOAL_S else "NOT MET"
            print(f"SUMMARY {target.label}, {args.data}: history import of {n} returns, goal <{GOAL_S:.0f} s: "
                  f"{verdict} (first {statistics.median(created):.2f} s, again {statistics.median(again):.2f} s)")
        finally:
            if app is not None:
                from monitor.extensions import db

                with app.app_context():
                    db.engine.dispose()
            if target.cleanup:
                target.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--data", choices=("dense", "survey"), default="dense",
                        help="dense: 43 realistically sized returns; survey: the 2022 survey's 41 returns")
    args = parser.parse_args(argv)
    quiet_logging()
    database_url = os.environ.pop("DATABASE_URL", "")
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs; {args.runs} runs after {args.warmup} warm-up(s)")
    with tempfile.TemporaryDirectory(prefix="monitor-bench-") as tmp:
        run(sqlite_target(tmp), args)
    if database_url:
        run(postgres_target(database_url), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
