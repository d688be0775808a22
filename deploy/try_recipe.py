#!/usr/bin/env python3
"""Try the production recipe without Docker: the processes of ``compose.yaml`` (its one-shot ``migrate`` command,
``web`` under gunicorn with deploy/gunicorn.conf.py, the one ``scheduler``), with the settings of compose.yaml,
the Dockerfile's ``ENV`` and deploy/monitor.env.example, against a local PostgreSQL database and Redis.

What differs from the containers, and only that: the database and Redis addresses (local instead of the ``db`` and
``redis`` services), a fresh random ``SECRET_KEY``, a free local port, a temporary instance folder, and the mail
server (a closed local port, so the scheduler's send job fails fast instead of reaching smtp.example.lv).

Checks: the migration command succeeds; ``/health`` answers 200 ``{"status": "ok", "database": "ok"}`` with an
``X-Request-ID``; plain-HTTP pages are redirected to HTTPS (``MONITOR_FORCE_HTTPS``) and served behind the proxy
(``X-Forwarded-Proto: https``, ``MONITOR_PROXY_FIX_COUNT=1``); the web and scheduler processes log JSON lines; the
scheduler records job runs; both stop on SIGTERM.

Usage (exit status 0 when every check passes)::

    .venv/bin/python deploy/try_recipe.py --database-url postgresql://postgres@127.0.0.1:5432/recipe \
        [--redis-url redis://127.0.0.1:6379/0] [--seconds 15]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Recipe:
    """What compose.yaml and the Dockerfile say: the commands and the settings of the services."""

    migrate: list[str]
    web: list[str]
    scheduler: list[str]
    environment: dict[str, str]
    scheduler_replicas: int


@dataclass
class Outcome:
    checks: list[tuple[str, bool, str]] = field(default_factory=list)

    def check(self, name: str, ok: bool, detail: Any = "") -> bool:
        self.checks.append((name, bool(ok), str(detail)[:300]))
        return bool(ok)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(ok for _name, ok, _detail in self.checks)


def read_recipe() -> Recipe:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services = compose["services"]
    env: dict[str, str] = {}
    env.update(_dockerfile_env())
    env.update(_env_file(ROOT / "deploy" / "monitor.env.example"))
    env.update({k: str(v) for k, v in services["web"]["environment"].items()})
    replicas = int(services["scheduler"].get("deploy", {}).get("replicas", 1))
    return Recipe(services["migrate"]["command"], services["web"]["command"], services["scheduler"]["command"],
                  env, replicas)


def _dockerfile_env() -> dict[str, str]:
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            for pair in shlex.split(line[4:]):
                name, _, value = pair.partition("=")
                env[name] = value
    return env


def _env_file(path: Path) -> dict[str, str]:
    env = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, _, value = line.partition("=")
            if value.strip():
                env[name.strip()] = value.strip()
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def local_environment(recipe: Recipe, database_url: str, redis_url: str, instance: str) -> dict[str, str]:
    """The recipe's settings with the local addresses (see the module's docstring for what differs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MONITOR_", "FLASK_"))
           and k not in ("DATABASE_URL", "SECRET_KEY", "PORT", "HOST")}
    env.update(recipe.environment)
    if not re.match(r"^postgres(ql)?(\+psycopg)?://", env["DATABASE_URL"]):
        raise SystemExit("compose.yaml's DATABASE_URL is not PostgreSQL")
    if not env["MONITOR_RATELIMIT_STORAGE_URI"].startswith("redis://"):
        raise SystemExit("compose.yaml's MONITOR_RATELIMIT_STORAGE_URI is not Redis")
    env.update({
        "DATABASE_URL": database_url, "MONITOR_RATELIMIT_STORAGE_URI": redis_url,
        "SECRET_KEY": secrets.token_hex(32), "HOST": "127.0.0.1", "PORT": str(free_port()),
        "MONITOR_INSTANCE_PATH": instance, "MONITOR_MAIL_SERVER": "127.0.0.1",
        "MONITOR_MAIL_PORT": str(free_port()), "MONITOR_MAIL_USE_TLS": "false",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    })
    env.pop("POSTGRES_PASSWORD", None)
    return env


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _wait_for_health(port: int, web: subprocess.Popen[bytes], seconds: float) -> tuple[int, dict[str, str], bytes]:
    deadline = time.monotonic() + seconds
    last: Exception | None = None
    while time.monotonic() < deadline and web.poll() is None:
        try:
            return _get(port, "/health")
        except OSError as exc:
            last = exc
            time.sleep(0.3)
    raise RuntimeError(f"/health did not answer within {seconds:.0f} s (web exit code {web.poll()}): {last}")


def _json_lines(text: str) -> list[dict[str, Any]]:
    entries = []
    for line in text.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def _stop(process: subprocess.Popen[bytes]) -> int | None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)
    return process.returncode


def try_recipe(database_url: str, redis_url: str, seconds: float = 15) -> Outcome:
    recipe = read_recipe()
    outcome = Outcome()
    outcome.check("compose.yaml runs exactly one scheduler", recipe.scheduler_replicas == 1, recipe.scheduler_replicas)
    with tempfile.TemporaryDirectory(prefix="try-recipe-") as instance:
        env = local_environment(recipe, database_url, redis_url, instance)
        port = int(env["PORT"])
        migrate = subprocess.run(recipe.migrate, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        if not outcome.check("migrate: " + " ".join(recipe.migrate), migrate.returncode == 0,
                             migrate.stderr[-300:]):
            return outcome
        logs = Path(instance)
        web_err, sched_err = open(logs / "web.log", "w+b"), open(logs / "scheduler.log", "w+b")
        web = subprocess.Popen(recipe.web, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=web_err,
                               start_new_session=True)
        scheduler = subprocess.Popen(recipe.scheduler, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=sched_err, start_new_session=True)
        try:
            status, headers, body = _wait_for_health(port, web, 60)
            outcome.check("web: /health answers 200 with the database", status == 200
                          and json.loads(body) == {"status": "ok", "database": "ok"}, body)
            outcome.check("web: X-Request-ID on the answer", bool(headers.get("x-request-id")), headers)
            outcome.check("web: Cache-Control no-store on /health", headers.get("cache-control") == "no-store",
                          headers.get("cache-control"))
            status, headers, _ = _get(port, "/login")
            outcome.check("web: plain HTTP is redirected to HTTPS", status in (301, 302)
                          and headers.get("location", "").startswith("https://"), (status, headers.get("location")))
            status, headers, _ = _get(port, "/login", {"X-Forwarded-Proto": "https", "X-Request-ID": "try-recipe-1"})
            outcome.check("web: served behind the proxy (X-Forwarded-Proto: https)", status == 200, status)
            outcome.check("web: the caller's X-Request-ID is echoed", headers.get("x-request-id") == "try-recipe-1",
                          headers.get("x-request-id"))
            status, _headers, _ = _get(port, "/api/v1/municipalities", {"X-Forwarded-Proto": "https"})
            outcome.check("web: the open-data API (Redis-backed rate limit) answers", status == 200, status)
            time.sleep(seconds)  # the scheduler takes its lease and runs its frequent jobs
            outcome.check("scheduler: still running", scheduler.poll() is None, scheduler.poll())
        except RuntimeError as exc:
            outcome.check("web: started", False, exc)
        finally:
            web_code, scheduler_code = _stop(web), _stop(scheduler)
        outcome.check("web: stops on SIGTERM", web_code == 0, web_code)
        outcome.check("scheduler: stops on SIGTERM", scheduler_code == 0, scheduler_code)
        web_err.seek(0), sched_err.seek(0)
        web_log, scheduler_log = web_err.read().decode(errors="replace"), sched_err.read().decode(errors="replace")
        web_err.close(), sched_err.close()
        web_lines, scheduler_lines = _json_lines(web_log), _json_lines(scheduler_log)
        requests = [e for e in web_lines if e.get("logger") == "monitor.request"]
        outcome.check("web: every log line is JSON", web_lines and len(web_lines) == len(web_log.splitlines()),
                      web_log[-300:])
        outcome.check("web: request lines carry request id, path, status", any(
            e.get("request_id") == "try-recipe-1" and e.get("path") == "/login" and e.get("status") == 200
            for e in requests), requests[-3:])
        outcome.check("scheduler: every log line is JSON", scheduler_lines
                      and len(scheduler_lines) == len(scheduler_log.splitlines()), scheduler_log[-300:])
        outcome.check("scheduler: ran jobs", _job_runs(database_url) > 0, scheduler_log[-300:])
    return outcome


def _job_runs(database_url: str) -> int:
    import sqlalchemy as sa

    from monitor.config import normalise_database_url

    engine = sa.create_engine(normalise_database_url(database_url))
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM job_run")).scalar() or 0)
    finally:
        engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database for the recipe's processes")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--seconds", type=float, default=15, help="how long the scheduler runs before stopping")
    args = parser.parse_args(argv)
    outcome = try_recipe(args.database_url, args.redis_url, args.seconds)
    for name, ok, detail in outcome.checks:
        print(f"{'ok  ' if ok else 'FAIL'} {name}" + ("" if ok else f"\n     {detail}"))
    print("the recipe works" if outcome.ok else "the recipe FAILED")
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
