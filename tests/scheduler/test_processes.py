"""Real scheduler processes (``python -m scheduler``) against PostgreSQL: each job runs once per scheduled time
even with two processes, another process takes over when the leader is killed, SIGTERM stops cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from tests.conftest import ROOT, database_url, is_postgres

pytestmark = pytest.mark.skipif(not is_postgres(), reason="several scheduler processes need PostgreSQL")
PROCESS_SECRET = "scheduler-process-test-" + "0" * 32  # the guard wants 32 bytes outside the test mapping
TICK = 2  # seconds between runs of the test job "tick" (scheduler.jobs.TEST_JOBS)


def _start(instance_dir: str) -> subprocess.Popen:
    env = dict(os.environ, DATABASE_URL=database_url(), SECRET_KEY=PROCESS_SECRET, MONITOR_INSTANCE_PATH=instance_dir,
               MONITOR_SCHEDULER_JOBS="test", MONITOR_SCHEDULER_LEASE_SECONDS="4",
               MONITOR_SCHEDULER_RENEW_SECONDS="1")
    return subprocess.Popen([sys.executable, "-m", "scheduler"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def _runs(app):
    from monitor.extensions import db
    from monitor.jobs.models import JobRun

    with app.app_context():
        rows = db.session.execute(select(JobRun.holder, JobRun.started_at).where(JobRun.job_id == "tick")
                                  .order_by(JobRun.started_at)).all()
        db.session.remove()
        return [(h, t.timestamp()) for h, t in rows]


def _stop(*processes: subprocess.Popen) -> None:
    for p in processes:
        if p.poll() is None:
            p.kill()
        p.wait(10)


def test_two_processes_for_a_minute_run_each_job_once(app, instance_dir):
    first, second = _start(instance_dir), _start(instance_dir)
    try:
        time.sleep(60)
    finally:
        _stop(first, second)
    runs = _runs(app)
    holders = {h for h, _t in runs}
    assert len(holders) == 1, holders  # one leader ran the job; the other stood by
    times = [t for _h, t in runs]
    # once per tick, never twice: about 60 / TICK runs and no two closer than a tick apart (less jitter)
    assert 60 / TICK * 0.75 <= len(times) <= 60 / TICK + 2, len(times)
    assert min(b - a for a, b in zip(times, times[1:])) > TICK * 0.6


def test_another_process_takes_over_when_the_leader_is_killed(app, instance_dir):
    first, second = _start(instance_dir), _start(instance_dir)
    try:
        deadline = time.time() + 20
        while time.time() < deadline and not _runs(app):
            time.sleep(0.5)
        leader = _runs(app)[0][0]
        leader_pid = int(leader.split(":")[1])
        victim, survivor = (first, second) if first.pid == leader_pid else (second, first)
        victim.send_signal(signal.SIGKILL)
        victim.wait(10)
        killed_at = time.time()
        deadline = killed_at + 30
        taken_over = None
        while time.time() < deadline:
            later = [(h, t) for h, t in _runs(app) if h != leader]
            if later:
                taken_over = later[0][1]
                break
            time.sleep(0.5)
        assert taken_over is not None, "no other process took over"
        assert taken_over - killed_at < 60  # within a minute (lease 4 s + renewal 1 s here)
    finally:
        _stop(first, second)


def test_sigterm_stops_cleanly_and_releases_the_lease(app, instance_dir):
    from monitor.extensions import db
    from monitor.jobs.models import SchedulerLease

    process = _start(instance_dir)
    try:
        deadline = time.time() + 20
        while time.time() < deadline and not _runs(app):
            time.sleep(0.5)
        assert _runs(app), process.stderr.read().decode() if process.poll() is not None else "no run"
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        _stop(process)
    with app.app_context():
        lease = db.session.get(SchedulerLease, "main")
        from monitor.models_base import utcnow

        assert lease.expires_at <= utcnow()  # given up: another process need not wait for it to expire
        db.session.remove()
