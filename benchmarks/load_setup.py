"""Set-up shared by the load and fault scripts (``load_mixed.py``, ``fault_scheduler.py``): a throw-away database
with the demo data, the load accounts and their 2026 returns, a gunicorn server on loopback, CPU counters.

Everything runs on 127.0.0.1; everything it creates (database, temporary directory, processes) is removed by
:meth:`Bench.close`, which the scripts call in ``finally`` (so also on Ctrl-C).
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VENV_BIN = Path(sys.executable).parent
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/load_bench"
PASSWORD = "slodzes-tests-parole-2026"
OPEN_YEAR = 2026  # the year the editors fill in (the demo's data is for 2025)
DEMO_YEAR = 2025
#: limits far above what the load users need, so the limiter does not shape the measurement (all come from 127.0.0.1)
HIGH_LIMITS = {"MONITOR_LOGIN_RATE_LIMIT": "100000 per minute", "MONITOR_API_RATE_LIMIT": "100000 per minute"}
#: (section, field, kind): what editors change; editors of one municipality each own one of these (never the same)
EDITOR_FIELDS = (
    ("respondent", "respondent_name", "text"),
    ("measures", "support_offered_to_remigrants", "text"),
    ("cooperation", "joint_activities", "text"),
    ("jobs", "shortage_profession_programmes", "text"),
    ("education", "school_psychologists_trained", "integer"),
    ("respondent", "predecessor_units_note", "text"),  # same section as the first: concurrent saves merge
    ("business_grants", "business_support_gaps_needs", "text"),
    ("contacts", "specialist_meetings_attended", "integer"),
    ("jobs", "job_fairs_count", "integer"),
    ("returnees", "remigrant_enquiries", "integer"),
)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


@dataclass
class Account:
    email: str
    role: str  # editor | reviewer | researcher
    user_id: int = 0
    slug: str = ""  # editor: the municipality
    section: str = ""  # editor: the section and field this editor changes
    field_key: str = ""
    kind: str = ""
    review_slugs: list[str] = field(default_factory=list)  # reviewer: returns of the region to open


# ------------------------------------------------------------------------------------------------ database

class Database:
    """A database that exists only for the run: PostgreSQL (created here, dropped at the end) or a SQLite file."""

    def __init__(self, url: str | None, sqlite_dir: str | None) -> None:
        self.sqlite = sqlite_dir is not None
        if self.sqlite:
            self.url = f"sqlite:///{sqlite_dir}/load.sqlite3"
            return
        from monitor.config import normalise_database_url

        self.url = normalise_database_url(url or DEFAULT_PG_URL)
        parts = urlsplit(self.url)
        self.name = parts.path.lstrip("/")
        self.admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        self.created = False

    def create(self) -> None:
        if self.sqlite:
            return
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)).fetchone():
                raise SystemExit(f"database {self.name!r} already exists: drop it first, or name a new one in "
                                 "--database-url (the script only uses a database it created itself)")
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self) -> None:
        if self.sqlite or not self.created:
            return
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> "
                         "pg_backend_pid()", (self.name,))
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
        self.created = False


# ---------------------------------------------------------------------------------------------------- bench

class Bench:
    """The temporary directory, the database, the environment every process gets, and the processes started."""

    def __init__(self, database_url: str | None, use_sqlite: bool, extra_env: dict[str, str] | None = None,
                 keep: bool = False) -> None:
        self.tmp = tempfile.mkdtemp(prefix="load-bench-")
        os.makedirs(f"{self.tmp}/instance")
        self.db = Database(database_url, self.tmp if use_sqlite else None)
        self.keep = keep
        self.env = dict(os.environ, FLASK_APP="wsgi.py", DATABASE_URL=self.db.url,
                        SECRET_KEY=secrets.token_hex(32), MONITOR_INSTANCE_PATH=f"{self.tmp}/instance",
                        **HIGH_LIMITS, **(extra_env or {}))
        self.env.pop("MONITOR_DEMO", None)
        self.processes: list[subprocess.Popen[Any]] = []

    # the database and its data
    def build(self, demo: bool = True) -> None:
        """Create the database, migrate it and load the demo (``flask db upgrade``, ``flask demo``; without the demo
        only the registry and the reporting periods)."""
        self.db.create()
        steps = [["db", "upgrade"], ["demo"]] if demo else [["db", "upgrade"], ["registry", "load"],
                                                            ["periods", "ensure"]]
        for args in steps:
            t0 = time.perf_counter()
            done = subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=self.env, capture_output=True,
                                  text=True)
            if done.returncode:
                raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
            log(f"flask {' '.join(args)}: {time.perf_counter() - t0:.1f} s")

    def app(self, **config: Any) -> Any:
        """The application on this database, for set-up and checks in this process."""
        from monitor import create_app

        saved = dict(os.environ)
        os.environ.update({k: v for k, v in self.env.items() if k in ("DATABASE_URL", "SECRET_KEY") or
                           k.startswith("MONITOR_")})
        try:
            return create_app(config or None)
        finally:
            os.environ.clear()
            os.environ.update(saved)

    # processes
    def start(self, args: list[str], log_name: str) -> subprocess.Popen[Any]:
        out = open(f"{self.tmp}/{log_name}.log", "ab")
        process = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes.append(process)
        return process

    def log_tail(self, log_name: str, lines: int = 30) -> str:
        path = Path(f"{self.tmp}/{log_name}.log")
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:]) if path.exists() else ""

    def close(self) -> None:
        for process in self.processes:
            stop_group(process)
        try:
            if not self.keep:
                self.db.drop()
        finally:
            if not self.keep:
                shutil.rmtree(self.tmp, ignore_errors=True)
            else:
                log(f"kept: {self.tmp} and the database {self.db.url}")


def stop_group(process: subprocess.Popen[Any], grace: float = 10) -> None:
    """SIGTERM to the process group (gunicorn's master and workers), SIGKILL after ``grace`` seconds."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
    except ProcessLookupError:
        pass


# ---------------------------------------------------------------------------------------------- accounts

def create_accounts(app: Any, editors: int, reviewers: int, researchers: int) -> list[Account]:
    """Accounts made by the app's own operations (``create_user``, ``start_return``). Editors are spread over the
    municipalities that have a 2025 demo return (then over the rest); editors sharing a municipality each own a
    different field. Every editor's municipality gets its 2026 return, started from last year's answers."""
    from sqlalchemy import select

    import monitor.auth.operations as auth_operations
    from monitor.auth.models import Role, User
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod
    from monitor.registry.models import Municipality, PlanningRegion
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import start_return

    accounts: list[Account] = []
    with app.app_context():
        # one Argon2 hash for all accounts (the production profile takes about a second per hash)
        real_hash, memo = auth_operations.hash_password, {}
        auth_operations.hash_password = lambda pw: memo.setdefault(pw, real_hash(pw))  # type: ignore[assignment]
        try:
            with_demo = set(db.session.scalars(select(AnnualReturn.municipality_id)
                                               .where(AnnualReturn.year == DEMO_YEAR)))
            municipalities = sorted(db.session.scalars(select(Municipality)),
                                    key=lambda m: (m.id not in with_demo, m.slug))
            if editors > len(municipalities) * len(EDITOR_FIELDS):
                raise SystemExit(f"at most {len(municipalities) * len(EDITOR_FIELDS)} editors")
            regions = sorted(db.session.scalars(select(PlanningRegion)), key=lambda r: r.slug)
            admin = db.session.scalar(select(User).where(User.role == Role.ADMIN))
            period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == OPEN_YEAR))
            for i in range(editors):
                municipality = municipalities[i % len(municipalities)]
                section, field_key, kind = EDITOR_FIELDS[i // len(municipalities)]
                user = auth_operations.create_user(
                    email=f"load.editor{i:03d}@load.example.lv", name=f"Slodzes redaktors {i}", password=PASSWORD,
                    role=Role.EDITOR, municipality=municipality, check_strength=False)
                accounts.append(Account(user.email, "editor", user.id, municipality.slug, section, field_key, kind))
                if i < len(municipalities):
                    start_return(municipality, period, admin, from_last_year=municipality.id in with_demo)
            for i in range(reviewers):
                region = regions[i % len(regions)]
                user = auth_operations.create_user(
                    email=f"load.reviewer{i:03d}@load.example.lv", name=f"Slodzes izvērtētājs {i}",
                    password=PASSWORD, role=Role.REVIEWER, region=region, check_strength=False)
                slugs = [m.slug for m in municipalities if m.region_id == region.id and m.id in with_demo]
                accounts.append(Account(user.email, "reviewer", user.id, review_slugs=slugs))
            for i in range(researchers):
                user = auth_operations.create_user(
                    email=f"load.researcher{i:03d}@load.example.lv", name=f"Slodzes pētnieks {i}",
                    password=PASSWORD, role=Role.RESEARCHER, check_strength=False)
                accounts.append(Account(user.email, "researcher", user.id))
            db.session.commit()
        finally:
            auth_operations.hash_password = real_hash  # type: ignore[assignment]
            db.session.remove()
    return accounts


# --------------------------------------------------------------------------------------------------- server

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """gunicorn as the README runs it (gthread workers), on a free loopback port."""

    def __init__(self, bench: Bench, workers: int, threads: int, extra_args: list[str] | None = None) -> None:
        self.bench = bench
        self.port = free_port()
        self.process = bench.start([str(VENV_BIN / "gunicorn"), "--no-control-socket", "-k", "gthread",
                                    "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{self.port}",
                                    *(extra_args or []), "wsgi:app"], "gunicorn")

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn stopped:\n" + self.bench.log_tail("gunicorn"))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit("gunicorn did not answer /health in time:\n" + self.bench.log_tail("gunicorn"))

    def workers(self) -> list[int]:
        return children(self.process.pid)


def children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            pass
    return out


# ------------------------------------------------------------------------------------------------------ CPU

def cpu_times() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    values = [float(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def process_cpu(pid: int, with_children: bool = False) -> float:
    """CPU seconds of a process (utime + stime; + cutime + cstime of its reaped children)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = float(fields[11]) + float(fields[12]) + (float(fields[13]) + float(fields[14]) if with_children else 0)
    return ticks / os.sysconf("SC_CLK_TCK")


def server_cpu(master: int) -> float:
    """CPU seconds of gunicorn: the master with its reaped (killed) workers, plus the live workers."""
    return process_cpu(master, with_children=True) + sum(process_cpu(p) for p in children(master))
