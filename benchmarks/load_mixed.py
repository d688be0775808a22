#!/usr/bin/env python
"""The mixed load on gunicorn over loopback, optionally with faults; then every acknowledged save is checked against
the database. Bounded: a fixed number of users for a fixed time per level, on 127.0.0.1 only; not part of the tests.

1. Builds a throw-away database (PostgreSQL: creates ``load_bench`` on 127.0.0.1 unless ``--database-url`` names
   another new one, dropped at the end; ``--sqlite``: a temporary file) with ``flask db upgrade`` and ``flask demo``,
   then the load accounts (editors of different municipalities, reviewers of every region, researchers) with the
   app's own operations, and the 2026 returns of the editors' municipalities (started from the 2025 demo answers).
2. Starts gunicorn on a free loopback port as the README runs it (gthread, ``--workers`` × ``--threads``), with a
   random SECRET_KEY and login/API rate limits high enough not to shape the measurement; waits for ``/health``.
3. For each level of ``--users`` (e.g. 50,100,150): starts the users the level adds, spread over ``--ramp``
   seconds, waits until they are signed in, then measures ``--duration`` seconds and prints, per request type,
   count, p50/p95/p99 ms, errors (status >= 500, timeouts, connection errors) and other refusals, the achieved
   req/s and the CPU (the machine's from /proc/stat; gunicorn's and this script's own).
4. ``--fault kill-worker``: kill -9 of a random gunicorn worker every ``--fault-every`` seconds while the levels run
   (gunicorn starts a new one); ``--fault pg-restart``: ``pg_ctlcluster --skip-systemctl-redirect <ver> <name>
   restart`` halfway through each level's measurement. Failed requests are listed by type and status, with what the
   error pages said (title, "saved"/"not saved", Retry-After).
5. Stops the users and checks every save against the database (``load_check.py``): each acknowledged save (a redirect
   after the POST) is in the return's change log, the stored answer is the editor's last stored save, a save answered
   with an error page was either not stored or said it was saved. Exit status 1 if that check finds a problem.

Ctrl-C stops it at any point; gunicorn, the database and the temporary directory are removed in every case.
See benchmarks/README.md for examples and the numbers.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from load_client import Context, User
from load_setup import Bench, Server, cpu_times, create_accounts, log, server_cpu

ROLES = ("editor", "reviewer", "researcher")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--database-url", help="a PostgreSQL database to create and drop (default "
                                          "postgresql://postgres@127.0.0.1:5432/load_bench)")
    p.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    p.add_argument("--users", default="50,100,150", help="concurrent users per level, comma-separated")
    p.add_argument("--duration", type=float, default=60, help="measured seconds per level")
    p.add_argument("--ramp", type=float, default=15, help="seconds over which a level's new users start")
    p.add_argument("--mix", default="50,20,30", help="percent editors,reviewers,researchers")
    p.add_argument("--think", default="0.5,2.5", help="think time between a user's requests: min,max seconds")
    p.add_argument("--timeout", type=float, default=30, help="seconds before a request counts as timed out")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--threads", type=int, default=4)
    p.add_argument("--gunicorn-arg", action="append", default=[], help="extra gunicorn argument (repeatable)")
    p.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                   help="extra setting for the server, e.g. MONITOR_ARGON2_PROFILE=CHEAPEST (repeatable)")
    p.add_argument("--fault", choices=("kill-worker", "pg-restart"))
    p.add_argument("--fault-every", type=float, default=10, help="kill-worker: seconds between kills")
    p.add_argument("--pg-cluster", help="pg-restart: VERSION/NAME (default: the local cluster on the URL's port)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--keep", action="store_true", help="keep the database and the temporary directory")
    args = p.parse_args(argv)
    if args.fault == "pg-restart" and args.sqlite:
        p.error("--fault pg-restart needs PostgreSQL")
    return args


def role_counts(total: int, mix: list[float]) -> dict[str, int]:
    shares = [m / sum(mix) for m in mix]
    counts = [math.floor(total * s) for s in shares]
    for i in sorted(range(3), key=lambda i: total * shares[i] - counts[i], reverse=True)[:total - sum(counts)]:
        counts[i] += 1
    return dict(zip(ROLES, counts))


def start_order(accounts: list, mix: list[float]) -> list:
    """Accounts in the order users start: every prefix keeps the mix."""
    pools = {r: [a for a in accounts if a.role == r] for r in ROLES}
    started = Counter[str]()
    order = []
    for k in range(1, len(accounts) + 1):
        role = max((r for r in ROLES if len(pools[r]) > started[r]),
                   key=lambda r: k * mix[ROLES.index(r)] / sum(mix) - started[r])
        order.append(pools[role][started[role]])
        started[role] += 1
    return order


# ------------------------------------------------------------------------------------------------- reporting

def percentile(values: list[float], q: float) -> float:
    return values[max(0, math.ceil(q * len(values)) - 1)]


def is_error(outcome: str) -> bool:
    return not outcome.isdigit() or int(outcome) >= 500


def print_level(requests: list[tuple[float, float, str, str]], duration: float, cpu: dict[str, float]) -> None:
    by_type: dict[str, list[tuple[float, str]]] = {}
    for _start, ms, label, outcome in requests:
        by_type.setdefault(label, []).append((ms, outcome))
    rows = sorted(by_type.items()) + [("all", [(ms, o) for _s, ms, _l, o in requests])]
    print(f"  {'request type':<25} {'count':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6}  other")
    for label, items in rows:
        times = sorted(ms for ms, _o in items)
        errors = sum(is_error(o) for _ms, o in items)
        refused = Counter(o for _ms, o in items if o.isdigit() and 400 <= int(o) < 500)
        print(f"  {label:<25} {len(items):>6} {percentile(times, .5):>7.0f} {percentile(times, .95):>7.0f} "
              f"{percentile(times, .99):>7.0f} {errors:>6}  "
              + ", ".join(f"{s}×{n}" for s, n in sorted(refused.items())))
    print(f"  achieved {len(requests) / duration:.1f} req/s; CPU: machine {cpu['machine']:.0f} % of "
          f"{os.cpu_count()} cores busy, gunicorn {cpu['server']:.2f} cores, this script {cpu['client']:.2f} cores; "
          f"load average {Path('/proc/loadavg').read_text().split()[0]}")


def print_failures(ctx: Context) -> None:
    failed = Counter((label, outcome) for _s, _ms, label, outcome in ctx.requests if is_error(outcome))
    print("\nFailed requests by type and status (whole run):" + ("" if failed else " none"))
    for (label, outcome), n in sorted(failed.items()):
        print(f"  {label:<25} {outcome:<11} {n}")
    if ctx.error_pages:
        print("What the error pages said (type, status, title, about saving · Retry-After):")
        for (label, status, title, claim), n in sorted(ctx.error_pages.items()):
            print(f"  {n:>5} × {label} {status}: “{title}” {claim or '(nothing about saving)'}")
    print(f"Connections reopened after the server closed them: {ctx.reconnects}")


def print_server_log(bench: Bench) -> None:
    """What gunicorn's own log says about its workers (timeouts, restarts) and how many errors the app logged."""
    path = Path(bench.tmp) / "gunicorn.log"
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    marks = Counter()
    for line in lines:
        for mark in ("WORKER TIMEOUT", "Booting worker", "was sent SIGKILL", "exited with code", "Traceback",
                     "database unavailable", "unhandled error"):
            if mark in line:
                marks[mark] += 1
    print("gunicorn log: " + (", ".join(f"“{m}” ×{n}" for m, n in marks.items()) or "nothing notable"))


# ---------------------------------------------------------------------------------------------------- faults

class Faults(threading.Thread):
    """kill-worker: every ``every`` seconds, kill -9 of one gunicorn worker (while ``active`` is set)."""

    def __init__(self, server: Server, every: float, seed: int) -> None:
        super().__init__(daemon=True)
        self.server, self.every, self.rng = server, every, random.Random(seed)
        self.active, self.stop = threading.Event(), threading.Event()
        self.events: list[str] = []

    def run(self) -> None:
        while not self.stop.wait(self.every):
            workers = self.server.workers()
            if self.active.is_set() and workers:
                pid = self.rng.choice(workers)
                try:
                    os.kill(pid, signal.SIGKILL)
                    self.events.append(f"{time.strftime('%H:%M:%S')} kill -9 worker {pid}")
                except ProcessLookupError:
                    pass


def pg_cluster(url: str, named: str | None) -> tuple[str, str]:
    if named:
        version, _, name = named.partition("/")
        return version, name or "main"
    from urllib.parse import urlsplit

    port = str(urlsplit(url).port or 5432)
    for line in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True).stdout.splitlines():
        version, name, cluster_port = line.split()[:3]
        if cluster_port == port:
            return version, name
    return sorted(os.listdir("/etc/postgresql"))[-1], "main"


def restart_postgres(cluster: tuple[str, str], events: list[str]) -> None:
    t0 = time.perf_counter()
    done = subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart"],
                          capture_output=True, text=True)
    events.append(f"{time.strftime('%H:%M:%S')} pg_ctlcluster {' '.join(cluster)} restart: exit {done.returncode} "
                  f"after {time.perf_counter() - t0:.1f} s {done.stderr.strip()[:200]}")


# ------------------------------------------------------------------------------------------------------ main

def run_levels(args: argparse.Namespace, bench: Bench, server: Server, order: list, ctx: Context,
               users: list[User], levels: list[int]) -> list[str]:
    events: list[str] = []
    faults = None
    if args.fault == "kill-worker":
        faults = Faults(server, args.fault_every, args.seed)
        faults.start()
    cluster = pg_cluster(bench.db.url, args.pg_cluster) if args.fault == "pg-restart" else None
    try:
        for level in levels:
            new = [User(account, ctx, len(users) + i, args.seed) for i, account in enumerate(order[len(users):level])]
            log(f"level {level}: starting {len(new)} users over {args.ramp:.0f} s")
            for i, user in enumerate(new):
                user.start()
                users.append(user)
                if i + 1 < len(new):
                    time.sleep(args.ramp / len(new))
            deadline = time.time() + args.ramp + 300
            for user in new:
                user.signed_in.wait(max(0.0, deadline - time.time()))
            failed = sum(u.login_failed for u in users)
            if faults:
                faults.active.set()
            busy0, total0 = cpu_times()
            server0, client0 = server_cpu(server.process.pid), sum(os.times()[:2])
            start = time.time()
            restart = None
            if cluster:
                restart = threading.Timer(args.duration / 2, restart_postgres, (cluster, events))
                restart.start()
            time.sleep(args.duration)
            end = time.time()
            if restart:
                restart.join()
            busy1, total1 = cpu_times()
            cpu = {"machine": 100 * (busy1 - busy0) / max(total1 - total0, 1),
                   "server": (server_cpu(server.process.pid) - server0) / (end - start),
                   "client": (sum(os.times()[:2]) - client0) / (end - start)}
            window = [r for r in list(ctx.requests) if start <= r[0] < end]
            roles = Counter(u.account.role for u in users)
            print(f"\n== {level} users ({roles['editor']} editors, {roles['reviewer']} reviewers, "
                  f"{roles['researcher']} researchers{f', {failed} could not sign in' if failed else ''}), "
                  f"{end - start:.0f} s measured, {args.workers} workers × {args.threads} threads, "
                  f"{'SQLite' if args.sqlite else 'PostgreSQL'}{f', fault {args.fault}' if args.fault else ''}",
                  flush=True)
            if window:
                print_level(window, end - start, cpu)
            sys.stdout.flush()
    finally:
        if faults:
            faults.stop.set()
            events = faults.events + events
    return events


def _interrupt(*_args: object) -> None:
    raise KeyboardInterrupt  # SIGTERM cleans up like Ctrl-C


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    levels = sorted({int(n) for n in args.users.split(",")})
    mix = [float(x) for x in args.mix.split(",")]
    think = tuple(float(x) for x in args.think.split(","))
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _interrupt)
    bench = Bench(args.database_url, args.sqlite, dict(e.split("=", 1) for e in args.env), keep=args.keep)
    ctx: Context | None = None
    users: list[User] = []
    try:
        log(f"database: {bench.db.url}")
        bench.build()
        app = bench.app()
        counts = role_counts(levels[-1], mix)
        t0 = time.perf_counter()
        accounts = create_accounts(app, counts["editor"], counts["reviewer"], counts["researcher"])
        log(f"accounts: {counts} in {time.perf_counter() - t0:.1f} s")
        server = Server(bench, args.workers, args.threads, args.gunicorn_arg)
        server.wait_ready()
        log(f"gunicorn on 127.0.0.1:{server.port}, pid {server.process.pid}, workers {server.workers()}")
        ctx = Context(server.port, args.timeout, think)  # type: ignore[arg-type]
        events = run_levels(args, bench, server, start_order(accounts, mix), ctx, users, levels)
        ctx.stop.set()
        for user in users:
            user.join(args.timeout + 5)
        if events:
            print("\nFaults injected:\n  " + "\n  ".join(events))
        print_failures(ctx)
        print_server_log(bench)
        from load_check import check_saves

        ok = check_saves(app, ctx.saves)
        return 0 if ok else 1
    except KeyboardInterrupt:
        log("interrupted: cleaning up")
        return 130
    finally:
        if ctx is not None:
            ctx.stop.set()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C does not stop the clean-up halfway
        bench.close()


if __name__ == "__main__":
    sys.exit(main())
