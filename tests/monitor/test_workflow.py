"""The transition matrix: every role × state × action. Allowed ones work; forbidden ones change nothing and say why."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from tests.factories import complete_answers, make_return

STATES = ["draft", "submitted", "returned", "resubmitted", "approved"]
ROLES = ["admin", "reviewer", "reviewer_other", "editor", "editor_other", "researcher"]
ACTIONS = ["submit", "return_for_correction", "approve", "reopen"]

# (action, state) → roles allowed; the municipality is Cēsu novads (Vidzeme): "reviewer" is its region's
ALLOWED = {
    ("submit", "draft"): {"admin", "editor"},
    ("submit", "returned"): {"admin", "editor"},
    ("return_for_correction", "submitted"): {"admin", "reviewer"},
    ("return_for_correction", "resubmitted"): {"admin", "reviewer"},
    ("approve", "submitted"): {"admin", "reviewer"},
    ("approve", "resubmitted"): {"admin", "reviewer"},
    ("reopen", "approved"): {"admin"},
}
TARGET = {
    ("submit", "draft"): "submitted", ("submit", "returned"): "resubmitted",
    ("return_for_correction", "submitted"): "returned", ("return_for_correction", "resubmitted"): "returned",
    ("approve", "submitted"): "approved", ("approve", "resubmitted"): "approved", ("reopen", "approved"): "returned",
}


def _run(app, return_id, user_id, action):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.refusals import OperationRefused
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import submit_return
    from monitor.review import operations as ops

    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        user = db.session.get(User, user_id)
        try:
            if action == "submit":
                outcome = submit_return(ret, base_version=ret.version, actor=user, today=dt.date(2027, 1, 15))
                assert outcome.submitted, [i.en for i in outcome.result.errors]
            elif action == "return_for_correction":
                ops.return_for_correction(ret, user, reason="Lūdzu, precizējiet budžetu.", base_version=ret.version)
            elif action == "approve":
                ops.approve_return(ret, user, base_version=ret.version)
            else:
                ops.reopen_return(ret, user, reason="Kļūda budžetā.", base_version=ret.version)
        except OperationRefused as exc:
            db.session.rollback()
            return None, exc
        db.session.commit()
        return ret.status, None


def _state(app, return_id):
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn

    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        return ret.status, ret.version


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_transition_matrix(app, users, state, action):
    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id,
                            status=state)
    for role in ROLES:
        before = _state(app, return_id)
        new_state, refused = _run(app, return_id, users[role].id, action)
        if role in ALLOWED.get((action, state), set()):
            assert refused is None, (role, refused and refused.en)
            assert new_state == TARGET[(action, state)]
            # put it back for the next role
            from monitor.extensions import db
            from monitor.returns.models import AnnualReturn

            with app.app_context():
                db.session.get(AnnualReturn, return_id).status = state
                db.session.commit()
        else:
            assert refused is not None, role
            assert refused.lv and refused.en  # says why, in both languages
            expected = "wrong_state" if (action, state) not in ALLOWED else "not_allowed"
            assert refused.code == expected, (role, refused.code)
            assert _state(app, return_id) == before  # nothing changed


def test_reasons_are_required_for_returning_and_reopening(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.refusals import OperationRefused
    from monitor.returns.models import AnnualReturn
    from monitor.review import operations as ops

    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id,
                            status="submitted")
    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        with pytest.raises(OperationRefused) as refused:
            ops.return_for_correction(ret, db.session.get(User, users["reviewer"].id), reason="  ",
                                      base_version=ret.version)
        assert refused.value.code == "reason_required"


def test_replay_on_a_stale_page_is_refused(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.refusals import OperationRefused
    from monitor.returns.models import AnnualReturn
    from monitor.review import operations as ops

    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id,
                            status="submitted")
    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        reviewer = db.session.get(User, users["reviewer"].id)
        stale = ret.version
        ops.approve_return(ret, reviewer, base_version=stale)
        db.session.commit()
        with pytest.raises(OperationRefused) as refused:  # the same click again
            ops.approve_return(ret, reviewer, base_version=stale)
        assert refused.value.code == "wrong_state"
        db.session.rollback()


def test_every_transition_is_audited_with_actor_time_and_reason(app, users):
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    _run(app, return_id, users["editor"].id, "submit")
    _run(app, return_id, users["reviewer"].id, "return_for_correction")
    _run(app, return_id, users["editor"].id, "submit")
    _run(app, return_id, users["reviewer"].id, "approve")
    _run(app, return_id, users["admin"].id, "reopen")
    with app.app_context():
        events = db.session.execute(select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.reason, AuditEvent.at)
                                    .where(AuditEvent.return_id == return_id).order_by(AuditEvent.id)).all()
    actions = [e.action for e in events]
    assert actions == ["return_started", "return_submitted", "return_returned", "return_resubmitted",
                       "return_approved", "return_reopened"]
    assert events[2].reason == "Lūdzu, precizējiet budžetu." and events[2].actor_id == users["reviewer"].id
    assert events[5].reason == "Kļūda budžetā." and events[5].actor_id == users["admin"].id
    assert all(e.at is not None for e in events)


def test_late_submission_is_accepted_and_marked(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import submit_return

    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        outcome = submit_return(ret, base_version=ret.version, actor=db.session.get(User, users["editor"].id),
                                today=dt.date(2027, 4, 2))  # the 2026 deadline is 31.03.2027
        assert outcome.submitted
        db.session.commit()
        assert ret.is_late and ret.status == "submitted"


def test_deadline_extension_makes_the_same_day_on_time(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import submit_return
    from monitor.review.operations import extend_deadline

    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    with app.app_context():
        admin = db.session.get(User, users["admin"].id)
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == 2026))
        cesis = db.session.scalar(select(Municipality).where(Municipality.slug == "cesu-novads"))
        extend_deadline(admin, period, cesis, deadline=dt.date(2027, 4, 15), reason="Darbinieku maiņa.")
        db.session.commit()
        ret = db.session.get(AnnualReturn, return_id)
        submit_return(ret, base_version=ret.version, actor=db.session.get(User, users["editor"].id),
                      today=dt.date(2027, 4, 2))
        db.session.commit()
        assert not ret.is_late


def test_extension_must_be_later_and_admin_only(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod
    from monitor.refusals import OperationRefused
    from monitor.registry.models import Municipality
    from monitor.review.operations import extend_deadline

    with app.app_context():
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == 2026))
        cesis = db.session.scalar(select(Municipality).where(Municipality.slug == "cesu-novads"))
        with pytest.raises(OperationRefused) as refused:
            extend_deadline(db.session.get(User, users["admin"].id), period, cesis, deadline=period.deadline,
                            reason="x")
        assert refused.value.code == "not_later"
        with pytest.raises(OperationRefused) as refused:
            extend_deadline(db.session.get(User, users["reviewer"].id), period, cesis,
                            deadline=dt.date(2027, 5, 1), reason="x")
        assert refused.value.code == "not_allowed"
