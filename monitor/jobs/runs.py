"""How job runs are recorded and listed.

Runs that found nothing to do are not stored one by one: a run whose result says it did nothing (see
``did_nothing``) is folded into the job's previous row when that row is the same kind of idle run (same result),
which then counts ``run_count`` runs from ``started_at`` to ``last_started_at``. So "compile requests" every 10 s
leaves one row per quiet stretch — with how many checks and when the first and the last was — instead of 360
rows an hour, while every run that did something, failed or is still running keeps a row of its own. The row is
written when the run starts (so a crash mid-run stays visible as "running") and folded when it ends.

Why not just a "last checked" time per job: the stretches keep the history honest (when the checks went on,
when they stopped, how many there were) at a cost of one row between two runs that did something.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Mapping

from sqlalchemy import ColumnElement, func, select

from ..extensions import db
from ..paging import Page, page_of
from .models import JobRun

OUTCOMES = ("ok", "idle", "failed", "running")
#: result keys that list what was looked at and needed nothing ("unchanged": years whose inputs did not change)
NOTHING_KEYS = frozenset({"unchanged"})
PER_PAGE = 50


def did_nothing(result: Mapping[str, Any] | None) -> bool:
    """True when a job's result reports no work: every value is empty (0, [], {}, None, "") except the keys that
    only list what needed nothing. A result without keys (or no result) did nothing too."""
    if result is None:
        return True
    return not any(value for key, value in result.items() if key not in NOTHING_KEYS)


def start_run(job_id: str, holder: str, now: dt.datetime) -> JobRun:
    run = JobRun(job_id=job_id, holder=holder, outcome="running", started_at=now)
    db.session.add(run)
    db.session.flush()
    return run


def finish_run(run: JobRun, outcome: str, result: Any, error: str | None, now: dt.datetime) -> JobRun:
    """Record how ``run`` ended; an idle run joins the job's previous row when that is the same idle run (the
    row then stands for one more run and ``run`` is deleted). Returns the row that now holds the run."""
    run.finished_at, run.error = now, error
    run.result = result if isinstance(result, dict) else None
    if outcome != "ok" or not did_nothing(run.result):
        run.outcome = outcome
        return run
    run.outcome = "idle"
    previous = db.session.scalar(select(JobRun).where(JobRun.job_id == run.job_id, JobRun.id < run.id)
                                 .order_by(JobRun.id.desc()).limit(1))
    if previous is None or previous.outcome != "idle" or previous.result != run.result:
        return run
    previous.run_count += 1
    previous.last_started_at, previous.finished_at, previous.holder = run.started_at, now, run.holder
    db.session.delete(run)
    return previous


# ------------------------------------------------------------------------------------------ the jobs page

@dataclass(frozen=True)
class RunFilters:
    job: str | None = None
    outcome: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        out: list[ColumnElement[bool]] = []
        if self.job:
            out.append(JobRun.job_id == self.job)
        if self.outcome:
            out.append(JobRun.outcome == self.outcome)
        return out

    def query_args(self) -> dict[str, str]:
        return {k: v for k, v in (("job", self.job), ("outcome", self.outcome)) if v}


def parse_filters(args: Mapping[str, str], job_ids: set[str]) -> RunFilters:
    """Unknown values are not applied (the select boxes only offer known ones)."""
    job, outcome = args.get("job") or None, args.get("outcome") or None
    return RunFilters(job if job in job_ids else None, outcome if outcome in OUTCOMES else None)


def job_ids() -> list[str]:
    return sorted(db.session.scalars(select(JobRun.job_id).distinct()))


def runs_page(filters: RunFilters, page: int) -> Page:
    """One page of rows matching the filters, newest first (``paging.page_of``, like every long list)."""
    conditions = filters.conditions()
    found = page_of(select(JobRun).where(*conditions).order_by(JobRun.id.desc()),
                    select(func.count()).select_from(JobRun).where(*conditions), page, PER_PAGE)
    return replace(found, rows=[row[0] for row in found.rows])


@dataclass(frozen=True)
class JobSummary:
    job_id: str
    last: JobRun  # the latest row (possibly a stretch of idle runs)
    last_work: JobRun | None  # the latest run that did something or failed


def summaries() -> list[JobSummary]:
    """The latest row of every job that ever ran, and its latest run that did something (or failed)."""
    latest = {job: db.session.get(JobRun, run_id) for job, run_id in db.session.execute(
        select(JobRun.job_id, func.max(JobRun.id)).group_by(JobRun.job_id))}
    worked = {job: db.session.get(JobRun, run_id) for job, run_id in db.session.execute(
        select(JobRun.job_id, func.max(JobRun.id)).where(JobRun.outcome.in_(("ok", "failed")))
        .group_by(JobRun.job_id))}
    return [JobSummary(job, run, worked.get(job)) for job, run in sorted(latest.items()) if run is not None]
