"""The jobs page: runs that found nothing to do are folded into one row per quiet stretch, the last run of every job
stays on top, filters by job and outcome, paging."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from monitor.jobs.runs import did_nothing

START = dt.datetime(2026, 12, 1, 0, 15, tzinfo=dt.UTC)  # 02:15 in Riga: the nightly compilation


@pytest.mark.parametrize("result, nothing", [
    (None, True),
    ({}, True),
    ({"processed": 0}, True),
    ({"sent": 0, "retrying": 0, "failed": 0, "held": 0}, True),
    ({"compiled": [], "unchanged": [2025, 2026], "failed": {}, "excluded": [], "documents": [],
      "documents_failed": {}}, True),
    ({"queued": {}}, True),
    ({"stored": []}, True),
    ({"processed": 1}, False),
    ({"sent": 0, "retrying": 0, "failed": 0, "held": 3}, False),
    ({"compiled": [2026], "unchanged": [2025]}, False),
    ({"compiled": [], "unchanged": [2026], "excluded": [{"municipality": "liepaja"}]}, False),
    ({"queued": {"2026": 0}}, False),  # a year was looked at and reported: shown
    ({"at": "2026-12-01T00:00:00+00:00"}, False),
    ({"2026": {"revalidated": 0, "with_errors": 0}}, False),
])
def test_did_nothing(result, nothing):
    assert did_nothing(result) is nothing


def _job(job_id):
    from scheduler.jobs import JOBS

    return next(j for j in JOBS if j.id == job_id)


def test_an_hour_of_idle_ticks_keeps_the_nightly_run_on_the_page(app, users, login_as):
    from monitor.extensions import db
    from monitor.jobs.models import JobRun
    from monitor.reporting.models import CompileRequest
    from scheduler.runner import run_job

    now = [START]

    def clock() -> dt.datetime:
        return now[0]

    nightly = run_job(app, _job("compile_nightly"), clock=clock)
    assert nightly.outcome == "ok" and nightly.result["compiled"]
    ticks = _job("compile_requests")
    for i in range(360):  # one hour of "compile now" checks every 10 seconds
        now[0] = START + dt.timedelta(seconds=10 * (i + 1))
        if i == 180:  # someone asks for a compilation halfway: that run did something and keeps its own row
            with app.app_context():
                db.session.add(CompileRequest(year=2026))
                db.session.commit()
        run = run_job(app, ticks, clock=clock)
    assert run.outcome == "idle" and run.run_count == 179
    with app.app_context():
        rows = db.session.execute(select(JobRun.job_id, JobRun.outcome, JobRun.run_count, JobRun.started_at,
                                         JobRun.last_started_at).order_by(JobRun.id)).all()
    assert [(r.job_id, r.outcome, r.run_count) for r in rows] == [
        ("compile_nightly", "ok", 1), ("compile_requests", "idle", 180), ("compile_requests", "ok", 1),
        ("compile_requests", "idle", 179)]
    assert (rows[1].started_at, rows[1].last_started_at) == (START + dt.timedelta(seconds=10),
                                                             START + dt.timedelta(seconds=1800))
    assert rows[3].last_started_at == START + dt.timedelta(seconds=3600)

    page = login_as("admin").get("/admin/jobs/").get_data(as_text=True)  # the admin reads Latvian
    summary, runs = page.split("<h2>Darbu izpildes</h2>", 1)
    nightly_row = re.search(r"<tr><th scope=\"row\">.*?Nakts apkopošana.*?</tr>", summary, re.S).group(0)
    assert "01.12.2026 02:15:00" in nightly_row and "pabeigts" in nightly_row  # Riga time, done
    assert "nebija ko darīt (179 reizes)" in summary  # the last quiet stretch of "compile now" checks
    assert runs.split("<tbody>")[1].count("<tr>") == 4  # the four rows: nothing was flooded away
    assert "nebija ko darīt (180 reizes)" in runs and "01.12.2026 02:15:10 – 01.12.2026 02:45:00" in runs


def test_a_failure_ends_a_quiet_stretch(app):
    from scheduler.jobs import Job
    from scheduler.runner import run_job

    quiet = Job("quiet", "interval", {}, "monitor.jobs.operations:process_compile_requests")
    broken = Job("quiet", "interval", {}, "tests.scheduler.jobs_for_tests:writes_then_fails")
    assert run_job(app, quiet).run_count == 1
    assert run_job(app, quiet).run_count == 2
    assert run_job(app, broken).outcome == "failed"
    again = run_job(app, quiet)
    assert again.outcome == "idle" and again.run_count == 1  # a new stretch after the failure


def _rows(app, job_id, outcome, n):
    from monitor.extensions import db
    from monitor.jobs.models import JobRun

    with app.app_context():
        for i in range(n):
            db.session.add(JobRun(job_id=job_id, holder="test", outcome=outcome, started_at=START,
                                  finished_at=START, result={"n": i}))
        db.session.commit()


def test_filters_and_pages(app, users, login_as):
    _rows(app, "send_mail", "ok", 60)
    _rows(app, "deadline_reminders", "failed", 3)
    _rows(app, "send_mail", "ok", 2)
    admin = login_as("admin")

    def body_rows(url):
        page = admin.get(url)
        assert page.status_code == 200
        text = page.get_data(as_text=True)
        runs = text.split("<h2>Darbu izpildes</h2>")[1]  # below the summary table
        return text, runs.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") if "<tbody>" in runs else 0

    text, n = body_rows("/admin/jobs/")
    assert n == 50 and "1. lapa no 2 (rindas: 65)" in text and 'rel="next"' in text
    summary = text.split("<h2>Darbu izpildes</h2>")[0]
    assert "Atgādinājumi par termiņu" in summary and "E-pasta sūtīšana" in summary
    assert re.search(r"Nakts apkopošana</th><td colspan=\"3\">vēl nav izpildīts", summary)  # a job never run
    text, n = body_rows("/admin/jobs/?page=2")
    assert n == 15 and 'rel="prev"' in text
    text, n = body_rows("/admin/jobs/?outcome=failed")
    assert n == 3
    text, n = body_rows("/admin/jobs/?job=send_mail&outcome=failed")
    assert n == 0
    text, n = body_rows("/admin/jobs/?job=deadline_reminders")
    assert n == 3 and "1. lapa no 1" in text
    text, n = body_rows("/admin/jobs/?job=send_mail&page=2")
    assert n == 12 and "job=send_mail" in text  # the filter survives paging
    # unknown filters are not applied; a page past the end (or absurd) shows the last page
    assert body_rows("/admin/jobs/?outcome=bogus&job=nope")[1] == 50
    assert body_rows("/admin/jobs/?page=" + "9" * 30)[1] == 15
    assert login_as("reviewer").get("/admin/jobs/").status_code == 404

