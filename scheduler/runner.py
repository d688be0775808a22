"""The scheduler process: APScheduler 3 in a process of its own (``flask scheduler run``), never in web workers.

Exactly once across processes: every process competes for one lease row (``scheduler_lease``); only the holder of
an unexpired lease runs jobs, and it renews the lease every few seconds. If the holder dies, its lease expires
(TTL, 30 s by default) and another process takes over at its next renewal. Works on SQLite and PostgreSQL
(one conditional UPDATE, so two processes can never both hold it).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import threading
import traceback
import uuid
from typing import Any, Callable

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from monitor.extensions import db
from monitor.jobs.models import JobRun, SchedulerLease
from monitor.jobs.runs import finish_run, start_run
from monitor.models_base import utcnow

from .jobs import Job, job_list

log = logging.getLogger("scheduler")
LEASE = "main"


class Lease:
    """The leader lease of one process."""

    def __init__(self, app: Flask, ttl: float, holder: str | None = None) -> None:
        self.app = app
        self.ttl = dt.timedelta(seconds=ttl)
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._held_until: dt.datetime | None = None
        self._lock = threading.Lock()

    def renew(self) -> bool:
        """Take or extend the lease if it is free, expired or ours; True if this process is now the leader."""
        with self.app.app_context():
            now = utcnow()
            if db.session.get(SchedulerLease, LEASE) is None:
                try:
                    db.session.add(SchedulerLease(name=LEASE, holder="", expires_at=now - dt.timedelta(seconds=1)))
                    db.session.commit()
                except IntegrityError:  # another process created it at the same moment
                    db.session.rollback()
            result = db.session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == LEASE,
                       (SchedulerLease.holder == self.holder) | (SchedulerLease.expires_at <= now))
                .values(holder=self.holder, expires_at=now + self.ttl)
            )
            db.session.commit()
            ok = result.rowcount == 1
            db.session.remove()
        with self._lock:
            self._held_until = now + self.ttl if ok else None
        return ok

    def is_leader(self) -> bool:
        with self._lock:
            return self._held_until is not None and utcnow() < self._held_until

    def release(self) -> None:
        """Give the lease up at once (clean shutdown), so another process need not wait for it to expire."""
        with self.app.app_context():
            db.session.execute(update(SchedulerLease).where(
                SchedulerLease.name == LEASE, SchedulerLease.holder == self.holder).values(expires_at=utcnow()))
            db.session.commit()
            db.session.remove()
        with self._lock:
            self._held_until = None


def run_job(app: Flask, job: Job, lease: Lease | None = None,
            clock: Callable[[], dt.datetime] = utcnow) -> JobRun | None:
    """The one wrapper every job runs in: application context, a recorded run, commit or roll back, log.

    Returns the recorded run (for a run that found nothing to do: the row of its quiet stretch, see
    ``monitor.jobs.runs``), or None when this process is not the leader (nothing runs, nothing is recorded).
    A failing job is recorded with its error and simply runs again at its next time. ``clock``: for tests.
    """
    if lease is not None and not lease.is_leader():
        return None
    holder = lease.holder if lease else "manual"
    with app.app_context():
        run = start_run(job.id, holder, clock())
        db.session.commit()
        run_id = run.id
        try:
            result = job.function()()
            db.session.commit()
            outcome, error = "ok", None
        except Exception:  # noqa: BLE001 - recorded; the scheduler keeps going
            db.session.rollback()
            result, outcome, error = None, "failed", traceback.format_exc(limit=5)[-4000:]
            log.exception("job %s failed", job.id)
        run = finish_run(db.session.get(JobRun, run_id), outcome, result, error, clock())
        db.session.commit()
        log.info("job %s: %s", job.id, run.outcome)
        db.session.refresh(run)  # loaded, so the caller can read it after the session is gone
        db.session.expunge(run)
        db.session.remove()
        return run


def build_scheduler(app: Flask, lease: Lease, jobs: tuple[Job, ...], renew_seconds: float) -> BlockingScheduler:
    scheduler = BlockingScheduler(
        timezone="Europe/Riga",
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
    )
    scheduler.add_job(lease.renew, "interval", seconds=renew_seconds, id="_lease", next_run_time=utcnow())
    for job in jobs:
        scheduler.add_job(run_job, job.trigger, args=(app, job, lease), id=job.id, replace_existing=True,
                          **job.trigger_args)
    return scheduler


def run_forever(app: Flask) -> None:
    """``flask scheduler run``: run until SIGTERM/SIGINT, then finish the running job and give up the lease."""
    ttl = float(app.config.get("SCHEDULER_LEASE_SECONDS", 30))
    renew = float(app.config.get("SCHEDULER_RENEW_SECONDS", max(ttl / 3, 1)))
    lease = Lease(app, ttl)
    scheduler = build_scheduler(app, lease, job_list(app.config.get("SCHEDULER_JOBS")), renew)

    def stop(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping after the running job", signum)
        threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("scheduler %s starting", lease.holder)
    try:
        scheduler.start()
    finally:
        lease.release()
        log.info("scheduler %s stopped", lease.holder)
