"""Review through the web: desk, comments round trip, return → correct → resubmit → approve, locked returns."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forms import get_definition
from tests.factories import complete_answers, make_return

RETURN_PAGE = "/returns/cesu-novads/2026"
REVIEW_PAGE = "/review/cesu-novads/2026"


def _version(page: str) -> str:
    return re.search(r'name="base_version" value="(\d+)"', page).group(1)


def _submit(client) -> None:
    page = client.get(f"{RETURN_PAGE}/submit").get_data(as_text=True)
    response = client.post(f"{RETURN_PAGE}/submit", data={"base_version": _version(page)})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]


def _status(app):
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn

    with app.app_context():
        return db.session.scalar(select(AnnualReturn.status).join(Municipality).where(
            Municipality.slug == "cesu-novads", AnnualReturn.year == 2026))


def test_comments_round_trip_and_resubmission(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    editor, reviewer = login_as("editor"), login_as("reviewer")
    _submit(editor)
    assert _status(app) == "submitted"

    desk = reviewer.get("/review/?year=2026").get_data(as_text=True)
    assert REVIEW_PAGE in desk and "Cēsu novads" in desk and "Liepāj" not in desk

    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    assert "Ilze Bērziņa" in page  # the answers are shown
    assert reviewer.post(f"{REVIEW_PAGE}/comments", data={
        "section_key": "budget", "field_path": "budget_lines", "body": "Kāpēc izlietots mazāk nekā plānots?"
    }).status_code == 302
    assert reviewer.post(f"{REVIEW_PAGE}/comments", data={
        "section_key": "housing", "body": "Lūdzu, pārbaudiet dzīvokļu skaitu."}).status_code == 302
    # the municipality does not see comments before the return is sent back
    assert "Kāpēc izlietots" not in editor.get(f"{RETURN_PAGE}/sections/budget").get_data(as_text=True)

    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    response = reviewer.post(f"{REVIEW_PAGE}/decision", data={
        "action": "return_for_correction", "reason": "Divi jautājumi jāprecizē.", "base_version": _version(page)})
    assert response.status_code == 302 and _status(app) == "returned"

    overview = editor.get(RETURN_PAGE).get_data(as_text=True)
    assert "Divi jautājumi jāprecizē." in overview
    budget = editor.get(f"{RETURN_PAGE}/sections/budget").get_data(as_text=True)
    assert "Kāpēc izlietots mazāk nekā plānots?" in budget
    comment_id = re.search(r'name="reply::(\d+)"', budget).group(1)
    form = {"base_version": _version(budget), "action": "save", "g.budget_lines.rows": "1",
            "g.budget_lines.0._uid": re.search(r'name="g.budget_lines.0._uid" value="([0-9a-f]+)"', budget).group(1),
            "g.budget_lines.0.source": "own_budget", "g.budget_lines.0.planned_eur": "5000",
            "g.budget_lines.0.spent_eur": "4200", f"reply::{comment_id}": "Viens pasākums tika atcelts.",
            "f.varam_remigration_funding_used": "yes", "f.spending_results_published": "no"}
    assert editor.post(f"{RETURN_PAGE}/sections/budget", data=form).status_code == 302
    housing = editor.get(f"{RETURN_PAGE}/sections/housing").get_data(as_text=True)
    assert "Lūdzu, pārbaudiet dzīvokļu skaitu." in housing
    data = {"base_version": _version(housing), "action": "save", "f.housing_shortage_topicality": "rather_topical",
            "f.municipal_dwellings_total": "410", "f.vacant_dwellings_habitable": "12",
            "f.free_flats_list_published": "yes", "f.specialist_rental_scheme": "yes",
            "f.construction_cofinancing": "no", "f.housing_database_published": "no"}
    assert editor.post(f"{RETURN_PAGE}/sections/housing", data=data).status_code == 302
    _submit(editor)
    assert _status(app) == "resubmitted"

    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    assert "Viens pasākums tika atcelts." in page  # the answer reaches the reviewer
    changed = page.split('id="changed-h"')[1].split("</section>")[0]
    assert "410" in changed and "400" in changed  # what changed since the previous submission
    response = reviewer.post(f"{REVIEW_PAGE}/decision", data={"action": "approve", "base_version": _version(page)})
    assert response.status_code == 302 and _status(app) == "approved"


def test_approved_return_refuses_edits_through_every_path(app, users, login_as):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.refusals import OperationRefused
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import save_section, submit_return

    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id,
                            status="approved")
    editor = login_as("editor")
    response = editor.post(f"{RETURN_PAGE}/sections/respondent", data={
        "base_version": "2", "f.respondent_name": "Cits", "action": "save"})
    assert response.status_code == 409
    assert "apstiprināts" in response.get_data(as_text=True)
    assert 'name="f.respondent_name"' not in editor.get(f"{RETURN_PAGE}/sections/respondent").get_data(as_text=True)
    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        editor_user = db.session.get(User, users["editor"].id)
        with pytest.raises(OperationRefused) as refused:  # the operation the Excel import will use too
            save_section(ret, "respondent", {"respondent_name": "Cits"}, base_version=ret.version, actor=editor_user)
        assert refused.value.code == "locked"
        with pytest.raises(OperationRefused):
            submit_return(ret, base_version=ret.version, actor=editor_user)
        db.session.rollback()
        from monitor.returns.storage import load_answers

        assert load_answers(ret, get_definition(2026))["respondent_name"] == "Ilze Bērziņa"


def test_reviewer_of_another_region_and_editors_cannot_review(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="submitted")
    for role in ("reviewer_other", "editor_other", "researcher"):
        client = login_as(role)
        assert client.get(REVIEW_PAGE).status_code == 404
        assert client.post(f"{REVIEW_PAGE}/decision", data={"action": "approve", "base_version": "2"}).status_code \
            == 404
    editor = login_as("editor")
    assert editor.get(REVIEW_PAGE).status_code == 404
    assert editor.post(f"{REVIEW_PAGE}/comments", data={"section_key": "budget", "body": "x"}).status_code == 404
    assert _status(app) == "submitted"


def test_comment_validation_and_deletion(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="submitted")
    reviewer = login_as("reviewer")
    response = reviewer.post(f"{REVIEW_PAGE}/comments", data={"section_key": "budget", "body": "   "},
                             follow_redirects=True)
    assert "tukšs" in response.get_data(as_text=True)
    response = reviewer.post(f"{REVIEW_PAGE}/comments", data={"section_key": "nope", "body": "x"},
                             follow_redirects=True)
    assert "Nezināma sadaļa" in response.get_data(as_text=True)
    reviewer.post(f"{REVIEW_PAGE}/comments", data={"section_key": "budget", "body": "Dzēšams"})
    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    comment_id = re.search(r"/comments/(\d+)/delete", page).group(1)
    assert reviewer.post(f"{REVIEW_PAGE}/comments/{comment_id}/delete").status_code == 302
    assert "Dzēšams" not in reviewer.get(REVIEW_PAGE).get_data(as_text=True)


def test_return_needs_a_reason_in_the_web_form(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="submitted")
    reviewer = login_as("reviewer")
    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    response = reviewer.post(f"{REVIEW_PAGE}/decision", data={
        "action": "return_for_correction", "reason": "", "base_version": _version(page)}, follow_redirects=True)
    assert "pamatojumu" in response.get_data(as_text=True)
    assert _status(app) == "submitted"


def test_admin_opens_a_period_and_extends_a_deadline(app, users, login_as):
    from monitor.extensions import db
    from monitor.periods.models import DeadlineExtension, ReportingPeriod

    with app.app_context():
        db.session.execute(ReportingPeriod.__table__.delete().where(ReportingPeriod.year == 2026))
        db.session.commit()
    admin = login_as("admin")
    bad = admin.post("/review/periods", data={"year": "2026", "opens_on": "2027-01-10", "deadline": "2027-01-01"})
    assert bad.status_code == 400 and "termiņš nevar būt pirms" in bad.get_data(as_text=True)
    ok = admin.post("/review/periods", data={"year": "2026", "opens_on": "2026-11-01", "deadline": "2027-03-31"})
    assert ok.status_code == 302
    response = admin.post("/review/periods/2026/extensions", data={
        "municipality": "cesu-novads", "deadline": "2027-04-30", "reason": "Jauns speciālists."})
    assert response.status_code == 302
    with app.app_context():
        extension = db.session.scalar(select(DeadlineExtension))
        assert extension.deadline.isoformat() == "2027-04-30" and extension.reason == "Jauns speciālists."
    assert login_as("reviewer").get("/review/periods").status_code == 404
    assert login_as("editor").post("/review/periods/2026/extensions", data={}).status_code == 404


def test_draft_comments_left_at_approval_are_never_shown_to_the_municipality(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="submitted")
    reviewer = login_as("reviewer")
    reviewer.post(f"{REVIEW_PAGE}/comments", data={"section_key": "budget", "body": "Iekšēja piezīme"})
    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    reviewer.post(f"{REVIEW_PAGE}/decision", data={"action": "approve", "base_version": _version(page)})
    editor = login_as("editor")
    assert "Iekšēja piezīme" not in editor.get(f"{RETURN_PAGE}/sections/budget").get_data(as_text=True)
    assert "Iekšēja piezīme" not in editor.get(RETURN_PAGE).get_data(as_text=True)


def test_comments_on_the_whole_return_are_answered_on_the_overview(app, users, login_as):
    from monitor.extensions import db
    from monitor.returns.models import ReviewComment

    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="submitted")
    reviewer = login_as("reviewer")
    reviewer.post(f"{REVIEW_PAGE}/comments", data={"body": "Kopumā labi, bet trūkst plānu."})
    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    reviewer.post(f"{REVIEW_PAGE}/decision", data={"action": "return_for_correction", "reason": "Skat. komentāru",
                                                   "base_version": _version(page)})
    editor = login_as("editor")
    overview = editor.get(RETURN_PAGE).get_data(as_text=True)
    comment_id = re.search(r'name="reply::(\d+)"', overview).group(1)
    assert editor.post(f"{RETURN_PAGE}/replies", data={f"reply::{comment_id}": "Plāni pievienoti."}).status_code == 302
    with app.app_context():
        assert db.session.get(ReviewComment, int(comment_id)).reply == "Plāni pievienoti."
    # the reviewer of another region cannot answer, nor can the other municipality's editor
    assert login_as("editor_other").post(f"{RETURN_PAGE}/replies", data={f"reply::{comment_id}": "x"}).status_code \
        == 404


def test_answers_to_an_earlier_round_cannot_be_rewritten(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn, ReviewComment
    from monitor.returns.operations import submit_return
    from monitor.review import operations as ops

    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        editor, reviewer = db.session.get(User, users["editor"].id), db.session.get(User, users["reviewer"].id)
        submit_return(ret, base_version=ret.version, actor=editor)
        comment = ops.add_comment(ret, reviewer, body="Pirmā kārta", section_key="budget")
        ops.return_for_correction(ret, reviewer, reason="Labot", base_version=ret.version)
        ops.answer_comments(ret, editor, {comment.id: "Izlabots"})
        submit_return(ret, base_version=ret.version, actor=editor)
        ops.return_for_correction(ret, reviewer, reason="Vēlreiz", base_version=ret.version)
        assert ops.answer_comments(ret, editor, {comment.id: "Pārrakstīts"}) == 0
        db.session.commit()
        assert db.session.get(ReviewComment, comment.id).reply == "Izlabots"


def test_too_long_answer_keeps_the_section_input(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id, status="submitted")
    reviewer = login_as("reviewer")
    reviewer.post(f"{REVIEW_PAGE}/comments", data={"section_key": "attitudes", "body": "Pārbaudiet."})
    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    reviewer.post(f"{REVIEW_PAGE}/decision", data={"action": "return_for_correction", "reason": "x",
                                                   "base_version": _version(page)})
    editor = login_as("editor")
    page = editor.get(f"{RETURN_PAGE}/sections/attitudes").get_data(as_text=True)
    comment_id = re.search(r'name="reply::(\d+)"', page).group(1)
    response = editor.post(f"{RETURN_PAGE}/sections/attitudes", data={
        "base_version": _version(page), "action": "save", "f.remigration_promotion_topicality": "very_topical",
        f"reply::{comment_id}": "x" * 5000})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "par garu" in text and 'value="very_topical" id="f-remigration_promotion_topicality" checked' in text


def test_stale_submit_after_the_return_was_sent_back_is_explained(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    editor = login_as("editor")
    _submit(editor)
    reviewer = login_as("reviewer")
    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    reviewer.post(f"{REVIEW_PAGE}/decision", data={"action": "return_for_correction", "reason": "x",
                                                   "base_version": _version(page)})
    response = editor.post(f"{RETURN_PAGE}/submit", data={"base_version": "2"}, follow_redirects=True)
    assert "stāvoklis mainījās" in response.get_data(as_text=True)
    assert _status(app) == "returned"


def test_deadlines_never_earlier_than_the_general_one_and_lateness_follows_extensions(app, users):
    import datetime as dt

    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.periods.deadlines import effective_deadline
    from monitor.periods.models import ReportingPeriod
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import submit_return
    from monitor.review.operations import change_period, extend_deadline

    return_id = make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    with app.app_context():
        admin = db.session.get(User, users["admin"].id)
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == 2026))
        cesis = db.session.scalar(select(Municipality).where(Municipality.slug == "cesu-novads"))
        ret = db.session.get(AnnualReturn, return_id)
        submit_return(ret, base_version=ret.version, actor=db.session.get(User, users["editor"].id),
                      today=dt.date(2027, 4, 5))
        ret.first_submitted_at = dt.datetime(2027, 4, 5, 9, tzinfo=dt.UTC)
        assert ret.is_late
        extend_deadline(admin, period, cesis, deadline=dt.date(2027, 4, 7), reason="Slimība")
        assert not ret.is_late  # every page now tells the same story
        change_period(admin, period, opens_on=period.opens_on, deadline=dt.date(2027, 4, 30))
        assert effective_deadline(period, cesis.id) == dt.date(2027, 4, 30)
        db.session.rollback()
