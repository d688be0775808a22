"""Typed answers survive the database round trip exactly, on SQLite and PostgreSQL, and every change is logged."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from forms import get_definition, validate
from tests.factories import complete_answers, make_return


def _load(app, return_id):
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import load_answers

    with app.app_context():
        return load_answers(db.session.get(AnnualReturn, return_id), get_definition(2026))


def test_round_trip_of_every_type(app, users):
    answers = dict(complete_answers(), state_support_sufficiency_score="hard_to_say", ngo_grants_total_eur="12 500,55",
                   extra_latvian_lessons="yes", extra_lessons_hours_per_week="2,5",
                   job_partners=["liaa", "esi_lv"], contacts_confirmed_on="15.06.2026",
                   returnees_persons="hard_to_say", support_offered_to_remigrants="Line one\nline two")
    expected = validate(get_definition(2026), answers).values
    return_id = make_return(app, "cesu-novads", 2026, answers, actor_id=users["editor"].id)
    loaded = _load(app, return_id)
    for key, value in expected.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            assert [{k: v for k, v in r.items() if k != "_uid"} for r in loaded[key]] == \
                   [{k: v for k, v in r.items() if k != "_uid"} for r in value], key
        else:
            assert loaded[key] == value, key
    assert loaded["ngo_grants_total_eur"] == Decimal("12500.55")
    assert loaded["extra_lessons_hours_per_week"] == Decimal("2.5")
    assert loaded["job_partners"] == ["esi_lv", "liaa"]  # definition order
    assert loaded["contacts_confirmed_on"] == dt.date(2026, 6, 15)
    assert loaded["returnees_persons"] == "hard_to_say"
    assert loaded["contact_persons"][0]["fte_share"] == Decimal("0.2")


def test_blank_is_not_zero(app, users):
    return_id = make_return(app, "cesu-novads", 2026, {"ngo_grants_total_eur": "0", "job_fairs_count": ""},
                            actor_id=users["editor"].id)
    loaded = _load(app, return_id)
    assert loaded["ngo_grants_total_eur"] == Decimal("0") and loaded["job_fairs_count"] is None


def test_typed_values_are_queryable_by_sql(app, users):
    from monitor.extensions import db
    from monitor.returns.models import Answer, GroupAnswer

    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    with app.app_context():
        assert db.session.scalar(select(Answer.code_value).where(
            Answer.field_key == "remigration_promotion_topicality")) == "rather_topical"
        assert db.session.scalar(select(Answer.int_value).where(
            Answer.field_key == "measures_5y_count_business_grants")) == 4
        total = db.session.scalar(select(GroupAnswer.num_value).where(GroupAnswer.field_key == "total_fund_eur"))
        assert Decimal(total) == Decimal("30000")


def test_each_change_is_logged_once_with_old_and_new(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn, ChangeLog
    from monitor.returns.edit import plan_edit
    from monitor.returns.storage import apply_edit, load_answers

    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze", "job_fairs_count": "2"},
                            actor_id=users["editor"].id)
    definition = get_definition(2026)
    with app.app_context():
        ret = db.session.get(AnnualReturn, return_id)
        current = load_answers(ret, definition)
        plan = plan_edit(definition, current, {"respondent_name": "Ilze", "job_fairs_count": 3})
        logs = apply_edit(ret, definition, plan, actor_id=db.session.get(User, users["editor2"].id).id,
                          source="web")
        db.session.commit()
        assert [(log.field_path, log.old_value, log.new_value) for log in logs] == [("job_fairs_count", "2", "3")]
        assert ret.version == 3
        # writing the same values again changes nothing, not even the version
        again = plan_edit(definition, load_answers(ret, definition), {"respondent_name": "Ilze", "job_fairs_count": 3})
        assert apply_edit(ret, definition, again, actor_id=None, source="web") == []
        db.session.commit()
        assert db.session.get(AnnualReturn, return_id).version == 3
        assert db.session.query(ChangeLog).filter_by(return_id=return_id).count() == 3


def test_unanswered_multi_choice_is_sql_null(app, users):
    from sqlalchemy import func

    from monitor.extensions import db
    from monitor.returns.models import Answer

    make_return(app, "cesu-novads", 2026, {"job_partners": ["liaa"], "respondent_name": "Ilze"},
                actor_id=users["editor"].id)
    with app.app_context():
        rows = db.session.execute(select(func.count(), func.count(Answer.codes))).one()
        assert tuple(rows) == (2, 1)  # only the multi-choice answer has codes; the text answer has SQL NULL


def test_bulk_loading_equals_one_by_one(app, users):
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import load_answers, load_answers_bulk

    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    make_return(app, "liepaja", 2026, {"respondent_name": "Kārlis", "job_partners": ["liaa"]},
                actor_id=users["editor_other"].id)
    make_return(app, "valmieras-novads", 2026, {}, actor_id=users["admin"].id)
    definition = get_definition(2026)
    with app.app_context():
        returns = db.session.scalars(select(AnnualReturn)).all()
        bulk = load_answers_bulk(returns, definition)
        assert set(bulk) == {r.id for r in returns}
        for ret in returns:
            assert bulk[ret.id] == load_answers(ret, definition)
