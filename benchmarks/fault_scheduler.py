#!/usr/bin/env python
"""Two scheduler processes against one PostgreSQL database; kill -9 of the leader; how long until the other takes
over, and did every job run exactly once per slot? Bounded (``--run`` seconds), loopback only, not part of the tests.

1. Builds a throw-away database like ``load_mixed.py`` (``flask db upgrade`` + ``flask demo``; ``--no-demo``: only
   the registry and the reporting periods), created and dropped by the script.
2. Starts two scheduler processes with a short lease (``--lease``, ``--renew``: MONITOR_SCHEDULER_LEASE_SECONDS and
   MONITOR_SCHEDULER_RENEW_SECONDS). ``--jobs fast`` (default) runs the production job list's own entries with
   shorter triggers — ``compile_nightly`` (its operation, compile every open year) on a cron slot every ``--slot``
   seconds of the wall clock instead of 02:15, ``compile_requests`` every 2 s — plus a 2-second ``tick`` that
   shows the exact takeover; the process is the real one (``scheduler.__main__.main``, the same lease and job
   wrapper), only ``scheduler.jobs.JOBS`` is replaced in the child. ``--jobs test`` runs ``python -m scheduler``
   unchanged with MONITOR_SCHEDULER_JOBS=test (tick and compile_requests every 2 s).
3. Queues a "compile now" request every ``--request-every`` seconds (as the admin page does), kills the leader with
   SIGKILL after ``--kill-after`` seconds, runs to ``--run`` seconds, stops the survivor with SIGTERM.
4. Reports, from the ``job_run``, ``scheduler_lease`` and ``compile_request`` tables: the leader before and after,
   the takeover time (kill → the lease changed hands → the new leader's first run), runs per job and holder, slots
   run twice (a problem), slots not run (those in the takeover gap: a cron slot missed there is not run late),
   runs left "running" by the killed process, and whether every compile request was processed exactly once.
   Exit status 1 if a slot ran twice, a request was processed twice, or no process took over.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from typing import Any

from load_setup import DEMO_YEAR, ROOT, Bench, log

TICK = 2.0


def child(slot: int) -> int:
    """One scheduler process with the fast job list (the production entries with short triggers)."""
    import dataclasses

    import scheduler.jobs as jobs
    from scheduler.__main__ import main

    real = {job.id: job for job in jobs.JOBS}
    jobs.JOBS = (
        jobs.Job("tick", "interval", {"seconds": TICK}, "monitor.jobs.operations:tick", "heartbeat of this script"),
        dataclasses.replace(real["compile_requests"], trigger_args={"seconds": TICK}),
        dataclasses.replace(real["compile_nightly"], trigger="cron", trigger_args={"second": f"*/{slot}"}),
    )
    return main([])


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/load_scheduler",
                   help="a PostgreSQL database to create and drop (default load_scheduler on 127.0.0.1:5432)")
    p.add_argument("--jobs", choices=("fast", "test"), default="fast")
    p.add_argument("--slot", type=int, default=10, help="fast: the nightly compilation's cron slot, seconds (1–59)")
    p.add_argument("--lease", type=float, default=6, help="MONITOR_SCHEDULER_LEASE_SECONDS")
    p.add_argument("--renew", type=float, default=2, help="MONITOR_SCHEDULER_RENEW_SECONDS")
    p.add_argument("--kill-after", type=float, default=25, help="seconds after the first job run")
    p.add_argument("--run", type=float, default=70, help="seconds in all after the first job run")
    p.add_argument("--request-every", type=float, default=5, help="seconds between 'compile now' requests")
    p.add_argument("--no-demo", action="store_true", help="registry and periods only (faster set-up)")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        return child(args.slot)
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _interrupt)
    bench = Bench(args.database_url, False, {
        "MONITOR_SCHEDULER_LEASE_SECONDS": str(args.lease), "MONITOR_SCHEDULER_RENEW_SECONDS": str(args.renew),
        "MONITOR_REPORT_DOCUMENTS_ON_COMPILE": "false",  # a slot's run stays short (PDFs are not the question here)
        **({"MONITOR_SCHEDULER_JOBS": "test"} if args.jobs == "test" else {})}, keep=args.keep)
    try:
        log(f"database: {bench.db.url}")
        bench.build(demo=not args.no_demo)
        app = bench.app()
        command = ([sys.executable, "-m", "scheduler"] if args.jobs == "test" else
                   [sys.executable, str(ROOT / "benchmarks" / "fault_scheduler.py"), "--child",
                    "--slot", str(args.slot)])
        processes = [bench.start(command, f"scheduler{i}") for i in (1, 2)]
        log(f"scheduler processes: {[p.pid for p in processes]} (lease {args.lease:g} s, renew {args.renew:g} s, "
            f"jobs {args.jobs})")
        first = wait_first_run(app, bench, processes)
        leader_pid = int(first.split(":")[1])
        victim = next((p for p in processes if p.pid == leader_pid), None)
        if victim is None:
            raise SystemExit(f"the leader {first} is not one of the started processes")
        log(f"leader: {first}")
        requested = 0
        start = time.time()
        killed_at = None
        lease_changed_at = None
        while time.time() < start + args.run:
            if time.time() - start >= requested * args.request_every:
                request_compile(app)
                requested += 1
            if killed_at is None and time.time() - start >= args.kill_after:
                victim.send_signal(signal.SIGKILL)
                victim.wait(10)
                killed_at = dt.datetime.now(dt.timezone.utc)
                log(f"kill -9 {victim.pid} (the leader)")
            if killed_at is not None and lease_changed_at is None and lease_holder(app) not in (first, None):
                lease_changed_at = dt.datetime.now(dt.timezone.utc)
                log(f"lease taken over by {lease_holder(app)}")
            time.sleep(0.2)
        time.sleep(max(args.request_every, 2 * TICK))  # let the survivor take the last request
        survivor = next(p for p in processes if p is not victim)
        survivor.send_signal(signal.SIGTERM)
        try:
            survivor.wait(30)
        except subprocess.TimeoutExpired:
            log("the survivor did not stop within 30 s of SIGTERM")
        return 0 if report(app, args, first, killed_at, lease_changed_at, requested) else 1
    except KeyboardInterrupt:
        log("interrupted: cleaning up")
        return 130
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C does not stop the clean-up halfway
        bench.close()


def _interrupt(*_args: object) -> None:
    raise KeyboardInterrupt


def wait_first_run(app: Any, bench: Bench, processes: list[Any], timeout: float = 180) -> str:
    from sqlalchemy import select

    from monitor.extensions import db
    from monitor.jobs.models import JobRun

    deadline = time.time() + timeout
    while time.time() < deadline:
        for i, p in enumerate(processes, 1):
            if p.poll() is not None:
                raise SystemExit(f"scheduler {p.pid} stopped:\n{bench.log_tail(f'scheduler{i}')}")
        with app.app_context():
            holder = db.session.scalar(select(JobRun.holder).order_by(JobRun.id).limit(1))
            db.session.remove()
        if holder:
            return holder
        time.sleep(0.5)
    raise SystemExit("no job ran within %d s:\n%s" % (timeout, bench.log_tail("scheduler1")))


def request_compile(app: Any) -> None:
    """What the admin's "compile now" button stores (monitor.jobs.views.compile_now)."""
    from sqlalchemy import select

    from monitor.auth.models import Role, User
    from monitor.extensions import db
    from monitor.reporting.models import CompileRequest

    with app.app_context():
        admin = db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1))
        db.session.add(CompileRequest(year=DEMO_YEAR, requested_by_id=admin))
        db.session.commit()
        db.session.remove()


def lease_holder(app: Any) -> str | None:
    from monitor.extensions import db
    from monitor.jobs.models import SchedulerLease

    with app.app_context():
        lease = db.session.get(SchedulerLease, "main")
        holder = lease.holder if lease else None
        db.session.remove()
    return holder


def report(app: Any, args: argparse.Namespace, first: str, killed_at: dt.datetime | None,
           lease_changed_at: dt.datetime | None, requested: int) -> bool:
    from sqlalchemy import select

    from monitor.extensions import db
    from monitor.jobs.models import JobRun
    from monitor.reporting.models import CompileRequest

    with app.app_context():
        runs = db.session.scalars(select(JobRun).order_by(JobRun.started_at)).all()
        requests = db.session.scalars(select(CompileRequest).order_by(CompileRequest.id)).all()
        runs = [(r.job_id, r.holder, _utc(r.started_at), r.outcome, r.result or {}) for r in runs]
        requests = [(r.id, r.status) for r in requests]
        db.session.remove()
    problems: list[str] = []
    print(f"\n== two schedulers, lease {args.lease:g} s, renew {args.renew:g} s, jobs {args.jobs}")
    print("Runs per job and holder:")
    for (job, holder), n in sorted(Counter((j, h) for j, h, *_ in runs).items()):
        print(f"  {job:<18} {n:>4}  {holder}{'  (killed)' if holder == first else ''}")
    later = [(h, t) for _j, h, t, *_ in runs if h != first]
    if killed_at is None:
        problems.append("the leader was never killed (--kill-after beyond --run?)")
    elif not later:
        problems.append("no other process ran a job after the leader was killed")
    else:
        taken = later[0][1]
        lease_s = f"{(lease_changed_at - killed_at).total_seconds():.1f} s" if lease_changed_at else "not seen"
        print(f"Takeover: kill -9 → lease changed hands {lease_s}; → first job run of the new leader "
              f"{(taken - killed_at).total_seconds():.1f} s (lease TTL {args.lease:g} s + renew {args.renew:g} s "
              "at most)")
        after = [t for _j, h, t, *_ in runs if h == first and t > killed_at]
        if after:
            problems.append(f"{len(after)} runs by the killed process after the kill")
    # once per slot
    by_job: dict[str, list[dt.datetime]] = defaultdict(list)
    for job, _h, t, *_ in runs:
        by_job[job].append(t)
    for job, times in sorted(by_job.items()):
        if job == "compile_nightly":
            slots = Counter(int(t.timestamp()) // args.slot for t in times)
            twice = [s for s, n in slots.items() if n > 1]
            missing = [s for s in range(min(slots), max(slots) + 1) if s not in slots]
            print(f"  {job}: {len(slots)} slots of {args.slot} s run, {len(twice)} run twice, {len(missing)} not run"
                  + (" (" + ", ".join(time.strftime('%H:%M:%S', time.gmtime(s * args.slot)) + " UTC"
                                      for s in missing) + ": in the takeover gap, not run late)" if missing else ""))
            if twice:
                problems.append(f"{job}: {len(twice)} slots ran twice")
        else:
            gaps = [(b - a).total_seconds() for a, b in zip(times, times[1:])]
            close = sum(g < TICK * 0.6 for g in gaps)
            print(f"  {job}: {len(times)} runs every {TICK:g} s, {close} closer than {TICK * 0.6:g} s, longest gap "
                  f"{max(gaps, default=0):.1f} s")
            if close:
                problems.append(f"{job}: {close} runs closer than {TICK * 0.6:g} s (twice in one slot)")
    stuck = [(j, h) for j, h, _t, outcome, _r in runs if outcome == "running"]
    if stuck:
        print(f"  runs left 'running' (their process was killed mid-run): {Counter(j for j, _h in stuck)}")
    processed = sum(int(r.get("processed", 0)) for j, _h, _t, _o, r in runs if j == "compile_requests")
    states = Counter(status for _id, status in requests)
    print(f"Compile requests: {requested} queued; states {dict(states)}; processed {processed} times in all "
          f"(each exactly once: {processed == states.get('done', 0) + states.get('failed', 0)})")
    if processed > states.get("done", 0) + states.get("failed", 0):
        problems.append("a compile request was processed more than once")
    if states.get("running"):
        print("  a request left 'running' by the killed leader is never picked up again (it stays 'running')")
    for line in problems:
        print(f"  ! {line}")
    print("RESULT: " + ("one leader at a time, every slot at most once" if not problems
                        else f"{len(problems)} PROBLEMS"))
    return not problems


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
