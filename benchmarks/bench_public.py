#!/usr/bin/env python
"""How fast do the public pages and the open-data API answer under load? (goals: **profile page and search page
p95 < 50 ms, the API's list of all measures p95 < 100 ms**)

A bounded loopback load test, not a pytest test. Set-up: a private schema (``bench_<random>``, dropped at the end)
in the PostgreSQL database of ``DATABASE_URL``; migrations, registry, reporting periods, then the demo dataset
(``monitor.demo.load_demo``: 43 municipalities' 2025 returns and the 2022 history) with every 2025 return marked
approved and published by the project's own ``monitor.public.operations.rebuild_published`` — 43 municipalities
with published profiles. Then the production server as the README runs it (gunicorn, ``-k gthread -w 2
--threads 4``) on a free loopback port, and ``--clients`` threads (default 50), each with its own keep-alive
``http.client`` connection, request for ``--seconds`` (default 20) in turn:

- ``profile``: ``/municipalities/<random slug>``;
- ``search``: ``/measures?…`` with a random query of a fixed list (text with and without diacritics, filters);
- ``api_all``: ``/api/v1/measures?per_page=500`` — every measure in force in one JSON page.

No ``If-None-Match`` is sent (every request does the work). Before the load a single client makes a short
sequential pass (the service time without queueing). Prints p50/p95/p99, requests and errors per type.

Usage::

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test_search .venv/bin/python benchmarks/bench_public.py
    … bench_public.py --clients 50 --seconds 20 --workers 2 --threads 4

It always exits 0 unless the set-up itself fails.
"""

from __future__ import annotations

import argparse
import http.client
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

GOALS_MS = {"profile": 50.0, "search": 50.0, "api_all": 100.0}
SEARCHES = ("q=maja", "q=m%C4%81ja",  # "māja"
             "q=cesis", "q=grants&kind=business_grants", "who=remigrants_only",
            "kind=housing&region=vidzeme-region", "q=atbalsts&amount_min=1000", "amount_min=1000&amount_max=10000",
            "q=valoda", "q=nekasnebija", "region=latgale-region&page=2", "")


def private_schema(url: str) -> tuple[str, Any]:
    import sqlalchemy as sa

    from monitor.config import normalise_database_url

    url = normalise_database_url(url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def cleanup() -> None:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return url + ("&" if "?" in url else "?") + f"options=-csearch_path%3D{schema}", cleanup


def build_data(url: str, instance_dir: str) -> tuple[list[str], int]:
    """The demo dataset, every 2025 return approved and published. → (municipality slugs, measures in force)."""
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from monitor import create_app
    from monitor.cli import ensure_periods
    from monitor.demo import load_demo
    from monitor.extensions import db
    from monitor.models_base import utcnow
    from monitor.public.models import PublishedMeasure
    from monitor.public.operations import rebuild_published
    from monitor.registry.models import Municipality
    from monitor.registry.operations import load_registry
    from monitor.returns.models import AnnualReturn, ReturnStatus

    app = create_app({"TESTING": True, "SECRET_KEY": "bench-secret", "ARGON2_PROFILE": "CHEAPEST",
                      "SQLALCHEMY_DATABASE_URI": url, "MONITOR_DEMO": True})
    with app.app_context():
        logging.disable(logging.INFO)
        try:
            upgrade(directory=str(ROOT / "migrations"))
        finally:
            logging.disable(logging.NOTSET)
        load_registry()
        ensure_periods()
        db.session.commit()
        load_demo()
        db.session.commit()
        # the demo leaves some returns in draft, submitted or returned: approve them all, as the demo approves
        # the others (then publish every approved return with the project's own rebuild)
        for ret in db.session.scalars(select(AnnualReturn).where(AnnualReturn.year == 2025,
                                                                 AnnualReturn.status != ReturnStatus.APPROVED)):
            ret.status, ret.approved_at = ReturnStatus.APPROVED, utcnow()
        db.session.commit()
        rebuild_published()
        db.session.commit()
        slugs = list(db.session.scalars(select(Municipality.slug)))
        measures = db.session.scalar(select(func.count()).select_from(PublishedMeasure)
                                     .where(PublishedMeasure.is_latest.is_(True))) or 0
        db.engine.dispose()
    return slugs, measures


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, instance_dir: str, port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-" + uuid.uuid4().hex,
           "MONITOR_INSTANCE_PATH": instance_dir, "MONITOR_API_RATE_LIMIT": "1000000 per minute"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    server = subprocess.Popen([gunicorn, "--no-control-socket", "-k", "gthread", "-w", str(workers), "--threads",
                               str(threads), "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                              cwd=ROOT, env=env)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/v1/openapi.json")
            if conn.getresponse().status == 200:
                conn.close()
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


def next_request(rng: random.Random, slugs: list[str], kind: str) -> str:
    if kind == "profile":
        return f"/municipalities/{rng.choice(slugs)}"
    if kind == "search":
        return "/measures?" + rng.choice(SEARCHES)
    return "/api/v1/measures?per_page=500"


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.samples: dict[str, str] = {}

    def add(self, kind: str, seconds: float, ok: bool, note: str = "") -> None:
        with self.lock:
            if ok:
                self.times[kind].append(seconds)
            else:
                self.errors[kind] += 1
                self.samples.setdefault(kind, note)


def client_loop(port: int, slugs: list[str], until: float, seed: int, rec: Recorder,
                kinds: tuple[str, ...] = ("profile", "search", "api_all")) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = seed
    while time.monotonic() < until:
        kind = kinds[i % len(kinds)]
        i += 1
        path = next_request(rng, slugs, kind)
        start = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            rec.add(kind, elapsed, response.status == 200, f"{response.status} {path}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        except (OSError, http.client.HTTPException) as exc:
            rec.add(kind, time.perf_counter() - start, False, f"{type(exc).__name__} {path}")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.close()


def sequential(port: int, slugs: list[str], kind: str, count: int, rec: Recorder) -> None:
    """One client, one request at a time: the service time without queueing."""
    rng = random.Random(7)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        path = next_request(rng, slugs, kind)
        start = time.perf_counter()
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        rec.add(kind, time.perf_counter() - start, response.status == 200, f"{response.status} {path}")
    conn.close()


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def report(title: str, rec: Recorder, seconds: float | None) -> None:
    """``seconds`` None: each type's rate is 1 / its mean time (a sequential pass)."""
    print(f"\n{title}")
    print(f"  {'type':<9} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8}  goal p95")
    for kind in ("profile", "search", "api_all"):
        t = rec.times.get(kind, [])
        if not t:
            print(f"  {kind:<9} {0:>8} {rec.errors.get(kind, 0):>6}")
            continue
        verdict = "ok" if pct(t, 95) < GOALS_MS[kind] else "MISSED"
        rate = len(t) / (sum(t) if seconds is None else seconds)
        print(f"  {kind:<9} {len(t):>8} {rec.errors.get(kind, 0):>6} {rate:>7.1f} {pct(t, 50):>8.1f} "
              f"{pct(t, 95):>8.1f} {pct(t, 99):>8.1f} {1000 * max(t):>8.1f}  < {GOALS_MS[kind]:.0f} ms {verdict}")
    for kind, note in rec.samples.items():
        print(f"  first error of {kind}: {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--sequential", type=int, default=60, help="requests per type of the single-client pass")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres", "postgresql")):
        print("Set DATABASE_URL to a PostgreSQL database (a private schema is created and dropped).")
        return 2
    schema_url, cleanup = private_schema(url)
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="bench-public-") as instance_dir:
            started = time.perf_counter()
            slugs, measures = build_data(schema_url, instance_dir)
            print(f"set-up: {len(slugs)} municipalities, {measures} measures in force, "
                  f"{time.perf_counter() - started:.0f} s; cpus: {os.cpu_count()}, load avg: {os.getloadavg()}")
            port = free_port()
            server = start_server(schema_url, instance_dir, port, args.workers, args.threads)
            print(f"gunicorn -k gthread -w {args.workers} --threads {args.threads} on 127.0.0.1:{port}")
            warm = Recorder()
            for kind in ("profile", "search", "api_all"):  # warm both workers' caches and connections
                client_loop(port, slugs, time.monotonic() + 2, 1, warm, (kind,))
            seq = Recorder()
            for kind in ("profile", "search", "api_all"):
                sequential(port, slugs, kind, args.sequential, seq)
            report(f"one client, sequential ({args.sequential} requests per type; req/s = 1 / mean time)", seq, None)
            rec = Recorder()
            until = time.monotonic() + args.seconds
            threads = [threading.Thread(target=client_loop, args=(port, slugs, until, n, rec))
                       for n in range(args.clients)]
            load_start = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            report(f"{args.clients} concurrent clients for {time.monotonic() - load_start:.1f} s "
                   f"(load avg after: {os.getloadavg()[0]:.2f})", rec, time.monotonic() - load_start)
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
