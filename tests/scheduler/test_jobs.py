"""The job list is valid, the wrapper commits or rolls back and records every run, "compile now" round trip."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from scheduler.jobs import JOBS, TEST_JOBS, Job
from tests.factories import complete_answers, make_return


def test_job_ids_are_unique_and_operations_importable(app):
    for jobs in (JOBS, TEST_JOBS):
        ids = [job.id for job in jobs]
        assert len(ids) == len(set(ids))
        for job in jobs:
            assert callable(job.function()), job.id
            assert job.trigger in ("interval", "cron")


def test_the_scheduler_accepts_every_trigger(app):
    from scheduler.runner import Lease, build_scheduler

    scheduler = build_scheduler(app, Lease(app, 30, holder="test"), JOBS, 10)
    assert {j.id for j in scheduler.get_jobs()} == {job.id for job in JOBS} | {"_lease"}


def test_wrapper_commits_a_successful_job_and_records_it(app):
    from monitor.extensions import db
    from monitor.jobs.models import CompletenessSnapshot, JobRun
    from scheduler.runner import run_job

    run = run_job(app, Job("w", "interval", {}, "tests.scheduler.jobs_for_tests:writes"))
    assert run.outcome == "ok" and run.result == {"wrote": 1} and run.finished_at is not None
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CompletenessSnapshot)) == 1
        assert db.session.scalar(select(JobRun.outcome)) == "ok"


def test_wrapper_rolls_back_a_failing_job_and_records_the_error(app):
    from monitor.extensions import db
    from monitor.jobs.models import CompletenessSnapshot, JobRun
    from scheduler.runner import run_job

    run = run_job(app, Job("f", "interval", {}, "tests.scheduler.jobs_for_tests:writes_then_fails"))
    assert run.outcome == "failed" and "broken on purpose" in run.error
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(CompletenessSnapshot)) == 0  # rolled back
        assert db.session.scalar(select(JobRun.outcome)) == "failed"


def test_a_process_that_is_not_the_leader_runs_nothing(app):
    from scheduler.runner import Lease, run_job

    first, second = Lease(app, 30, holder="first"), Lease(app, 30, holder="second")
    assert first.renew() and not second.renew()
    job = Job("w", "interval", {}, "tests.scheduler.jobs_for_tests:writes")
    assert run_job(app, job, second) is None
    assert run_job(app, job, first).outcome == "ok"
    first.release()
    assert second.renew()  # a released lease is taken at once


def test_idempotent_jobs(app, users):
    from monitor.extensions import db
    from monitor.jobs.models import CompletenessSnapshot
    from monitor.reporting.models import ReportSnapshot
    from monitor.jobs import operations

    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    with app.app_context():
        first = operations.compile_open_years()
        db.session.commit()
        second = operations.compile_open_years()
        db.session.commit()
        assert 2026 in first["compiled"] and 2026 in second["unchanged"] and not second["compiled"]
        operations.take_completeness_snapshot()
        db.session.commit()
        assert operations.take_completeness_snapshot()["stored"] == []
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(ReportSnapshot)) == 2  # 2025 and 2026
        assert db.session.scalar(select(func.count()).select_from(CompletenessSnapshot)) == 2


def test_compile_now_round_trip(app, users, login_as):
    from scheduler.jobs import JOBS
    from scheduler.runner import run_job

    admin = login_as("admin")
    assert login_as("reviewer").post("/admin/jobs/compile", data={"year": "2026"}).status_code == 404
    assert admin.post("/admin/jobs/compile", data={"year": "2026"}).status_code == 302
    page = admin.get("/admin/jobs/").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page  # progress: the page refreshes itself while waiting
    run = run_job(app, next(j for j in JOBS if j.id == "compile_requests"))
    assert run.outcome == "ok" and run.result == {"processed": 1}
    page = admin.get("/admin/jobs/").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and re.search(r"/reports/\?year=2026", page)
    assert admin.get("/api/reports/2026").status_code == 200


def test_one_broken_return_does_not_stop_the_compilation(app, users):
    from monitor.extensions import db
    from monitor.returns.models import Answer
    from monitor.jobs import operations

    broken_id = make_return(app, "liepaja", 2026, complete_answers(), actor_id=users["editor_other"].id,
                            status="approved")
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="approved")
    with app.app_context():
        # a stored answer that the definition no longer accepts (as after a definition change)
        answer = db.session.scalar(select(Answer).where(Answer.return_id == broken_id,
                                                        Answer.field_key == "remigration_promotion_topicality"))
        answer.code_value = "no_longer_a_code"
        db.session.commit()
        result = operations.compile_open_years()
        db.session.commit()
        assert 2026 in result["compiled"] and not result["failed"]
        assert [p["municipality"] for p in result["excluded"]] == ["liepaja"]
        from monitor.reporting.queries import latest_snapshot

        assert latest_snapshot(2026).payload["n_units"] == 1
