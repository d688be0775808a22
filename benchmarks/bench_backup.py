#!/usr/bin/env python
"""How long do backup and restore take, and how big is the file? (43 municipalities × 10 years of full returns)

Set-up as ``bench_return_form.py`` (a temporary SQLite database, and PostgreSQL in a private schema of the database
in ``DATABASE_URL`` when it is set; migrations, registry, periods). Then 430 full returns — the realistically sized
return of ``bench_return_form.realistic_answers`` (every section answered, 8 grant programmes, 15 diaspora
activities, 3 contact persons, 5 budget lines, 3 documents), stored through the project's own ``plan_edit`` /
``apply_edit`` with the 2026 definition for each of the 43 municipalities and each year 2017–2026 (reporting
periods 2017–2024 are added for the purpose), approved. Each answer is also in the change log, as in real use.

Then, timed with ``time.perf_counter`` (``--runs`` times each, median printed):

- ``create``: ``monitor.backup.operations.create_backup`` (dump, row counts, checksum, tar);
- ``verify``: ``verify_backup`` (checksum; SQLite: decompress, integrity check, count every table;
  PostgreSQL: ``pg_restore --list``);
- ``restore``: ``restore_backup`` after deleting one year's returns (verify, replace, count every table).

Prints the database size, the file size and the times. Usage::

    .venv/bin/python benchmarks/bench_backup.py                                   # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/bench_backup.py                               # SQLite, then PostgreSQL

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
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_return_form import (  # noqa: E402
    Target, build_app, postgres_target, quiet_logging, realistic_answers, sqlite_target,
)

YEARS = range(2017, 2027)


def fill(app: Any) -> int:
    """430 approved full returns; → the number of stored answers."""
    from sqlalchemy import delete, func, select

    from forms import get_definition
    from monitor.auth.models import Role
    from monitor.auth.operations import create_user
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod
    from monitor.registry.models import Municipality
    from monitor.returns.edit import plan_edit
    from monitor.returns.models import AnnualReturn, Answer, ReturnStatus
    from monitor.returns.storage import apply_edit

    definition = get_definition(2026)
    plan = plan_edit(definition, {}, realistic_answers())
    assert plan.can_apply, [i.en for i in plan.blocking]
    with app.app_context():
        user = create_user(email="bench.admin@example.lv", name="Bench", password="bench password 1234",
                           role=Role.ADMIN, municipality=None, region=None, locale="lv")
        existing = {p.year for p in db.session.scalars(select(ReportingPeriod))}
        for year in YEARS:
            if year not in existing:
                db.session.add(ReportingPeriod(year=year, definition_version=definition.version,
                                               opens_on=dt.date(year, 11, 1), deadline=dt.date(year + 1, 3, 31)))
        db.session.execute(delete(AnnualReturn))
        db.session.commit()
        municipalities = list(db.session.scalars(select(Municipality).order_by(Municipality.id)))
        assert len(municipalities) == 43, len(municipalities)
        for year in YEARS:
            for m in municipalities:
                ret = AnnualReturn(municipality_id=m.id, year=year, status=ReturnStatus.DRAFT, version=1,
                                   definition_version=definition.version, created_by_id=user.id)
                db.session.add(ret)
                db.session.flush()
                apply_edit(ret, definition, plan, actor_id=user.id, source="web", current={})
                ret.status = ReturnStatus.APPROVED
            db.session.commit()
        answers = db.session.scalar(select(func.count()).select_from(Answer)) or 0
        db.session.remove()
        return answers


def database_bytes(app: Any) -> int:
    from sqlalchemy import text

    from monitor.extensions import db

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            return Path(db.engine.url.database or "").stat().st_size
        with db.engine.connect() as conn:
            return int(conn.scalar(text(
                "SELECT sum(pg_total_relation_size(format('%I.%I', schemaname, tablename)::regclass)) "
                "FROM pg_tables WHERE schemaname = current_schema()")) or 0)


def timed(app: Any, fn: Callable[[], Any], before: Callable[[], None] | None = None) -> tuple[float, Any]:
    from monitor.extensions import db

    if before:
        before()
    with app.app_context():
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        db.session.remove()
    return elapsed, result


def delete_a_year(app: Any) -> None:
    from sqlalchemy import delete, select

    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn, Answer, ChangeLog, GroupRow

    with app.app_context():
        ids = select(AnnualReturn.id).where(AnnualReturn.year == 2020)
        for model in (Answer, GroupRow, ChangeLog):
            db.session.execute(delete(model).where(model.return_id.in_(ids)))
        db.session.execute(delete(AnnualReturn).where(AnnualReturn.year == 2020))
        db.session.commit()
        db.session.remove()


def run(target: Target, runs: int) -> None:
    from monitor.backup.operations import create_backup, restore_backup, verify_backup

    with tempfile.TemporaryDirectory(prefix="monitor-bench-instance-") as instance_dir:
        os.environ["MONITOR_INSTANCE_PATH"] = instance_dir
        app = None
        try:
            t0 = time.perf_counter()
            app = build_app(target, instance_dir)
            answers = fill(app)
            print(f"\n[{target.label}] filled 43 municipalities × {len(YEARS)} years: {answers:,} answers in "
                  f"{time.perf_counter() - t0:.0f} s; database {database_bytes(app) / 1e6:.1f} MB")
            out = Path(instance_dir) / "backups"
            creates, verifies, restores, sizes = [], [], [], []
            for _ in range(runs):
                seconds, (path, manifest) = timed(app, lambda: create_backup(out))
                creates.append(seconds)
                sizes.append(path.stat().st_size)
                verifies.append(timed(app, lambda: verify_backup(path))[0])
                restores.append(timed(app, lambda: restore_backup(path, lambda m, r: True),
                                      before=lambda: delete_a_year(app))[0])
                path.unlink()
            rows = sum(manifest.row_counts.values())
            print(f"[{target.label}] {rows:,} rows in {len(manifest.row_counts)} tables; backup file "
                  f"{statistics.median(sizes) / 1e6:.1f} MB ({manifest.tool})")
            for label, values in (("create", creates), ("verify", verifies), ("restore", restores)):
                print(f"[{target.label}] {label:<8} median {statistics.median(values):6.2f} s "
                      f"(min {min(values):.2f}, max {max(values):.2f}, n={len(values)})")
        finally:
            if app is not None:
                from monitor.extensions import db

                with app.app_context():
                    db.engine.dispose()
            if target.cleanup:
                target.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sqlite-only", action="store_true", help="ignore DATABASE_URL")
    args = parser.parse_args(argv)
    quiet_logging()
    database_url = os.environ.pop("DATABASE_URL", "")  # the app must not pick it up for the SQLite run
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs, load average {load}; {args.runs} runs")
    with tempfile.TemporaryDirectory(prefix="monitor-bench-") as tmp:
        run(sqlite_target(tmp), args.runs)
    if database_url and not args.sqlite_only:
        run(postgres_target(database_url), args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
