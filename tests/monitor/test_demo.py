"""The demo dataset (``flask demo``): how many returns, their validity, idempotence, Cēsis, fictional people."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select

from forms import get_definition, validate
from tests.conftest import UserRef

DATA = Path(__file__).resolve().parents[2] / "monitor" / "data"


def load(app: Flask, users: dict[str, UserRef], seed: int = 2025) -> int:
    from monitor.auth.models import User
    from monitor.demo_data import load_demo_returns
    from monitor.extensions import db

    with app.app_context():
        created = load_demo_returns(db.session.get(User, users["admin"].id), seed=seed)
        db.session.commit()
        return created


def stored_returns(app: Flask) -> list[dict[str, Any]]:
    """Every return as plain data: slug, year, status, is_demo, submitted_at and the typed answers."""
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import load_answers

    with app.app_context():
        return [
            {"slug": r.municipality.slug, "year": r.year, "status": r.status, "is_demo": r.is_demo,
             "submitted_at": r.submitted_at, "values": load_answers(r, get_definition(r.year))}
            for r in db.session.scalars(select(AnnualReturn))
        ]


def row_counts(app: Flask) -> dict[str, int]:
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn, Answer, ChangeLog, GroupRow

    with app.app_context():
        return {model.__name__: db.session.scalar(select(func.count()).select_from(model))
                for model in (AnnualReturn, Answer, GroupRow, ChangeLog, AuditEvent)}


def test_demo_creates_the_expected_returns(app, users):
    from monitor.demo_data import DRAFTS, NO_RETURN
    from monitor.extensions import db
    from monitor.returns.models import ChangeLog

    created = load(app, users)

    returns = stored_returns(app)
    assert created == len(returns) == 43 - NO_RETURN
    assert Counter(r["status"] for r in returns) == {"submitted": 43 - NO_RETURN - DRAFTS, "draft": DRAFTS}
    assert all(r["is_demo"] and r["year"] == 2025 for r in returns)
    for r in returns:
        if r["status"] == "submitted":
            assert r["submitted_at"].tzinfo is not None
            assert dt.datetime(2026, 1, 1, tzinfo=dt.UTC) <= r["submitted_at"] < dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
        else:
            assert r["submitted_at"] is None
    with app.app_context():
        assert set(db.session.scalars(select(ChangeLog.source).distinct())) == {"demo"}


def test_submitted_returns_validate_and_drafts_can_be_saved(app, users):
    load(app, users)
    definition = get_definition(2025)

    for r in stored_returns(app):
        if r["status"] == "submitted":
            assert validate(definition, r["values"], submit=True).errors == [], r["slug"]
        else:
            result = validate(definition, r["values"], submit=True)
            assert not [i for i in result.issues if i.blocks_draft], r["slug"]
            assert result.errors, f"{r['slug']}: a demo draft should still miss some answers"


def test_second_run_creates_nothing(app, users):
    assert load(app, users) == 40
    before = row_counts(app)

    assert load(app, users) == 0
    assert row_counts(app) == before


def test_dataset_is_deterministic(app):
    from monitor.demo_data import build_dataset
    from monitor.extensions import db
    from monitor.registry.models import Municipality

    with app.app_context():
        municipalities = list(db.session.scalars(select(Municipality)))
        first, again = build_dataset(municipalities, 2025), build_dataset(list(reversed(municipalities)), 2025)
        other = build_dataset(municipalities, 7)
    assert first == again
    assert [(d.slug, d.status, d.answers) for d in first] != [(d.slug, d.status, d.answers) for d in other]


def test_cesis_has_a_complete_submitted_return_to_start_2026_from(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod
    from monitor.registry.models import Municipality
    from monitor.returns.operations import start_return
    from monitor.returns.storage import load_answers

    load(app, users, seed=11)  # Cēsis is complete whatever the seed
    cesis = next(r for r in stored_returns(app) if r["slug"] == "cesu-novads")
    definition = get_definition(2025)
    assert cesis["status"] == "submitted"
    assert validate(definition, cesis["values"], submit=True).errors == []
    grants = {g["name"]: g for g in cesis["values"]["grant_programmes"]}
    assert grants["Cēsu novada uzņēmējdarbības grantu konkurss"]["max_grant_eur"] == Decimal("3000.00")

    with app.app_context():  # what the demo editor of Cēsis does next
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == "cesu-novads"))
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == 2026))
        ret = start_return(municipality, period, db.session.get(User, users["editor"].id), from_last_year=True)
        copied = load_answers(ret, get_definition(2026))
        assert copied["contact_persons"][0]["name"] == cesis["values"]["contact_persons"][0]["name"]
        assert [g["name"] for g in copied["grant_programmes"]] == list(grants)
        db.session.rollback()


def test_contact_persons_are_fictional(app, users):
    from monitor import demo_measures as ref

    load(app, users)
    reference_text = "".join((DATA / name).read_text(encoding="utf-8")
                             for name in ("municipal-facts.json", "survey-baseline.json"))
    surnames = {s for pair in ref.SURNAMES for s in pair}

    for r in stored_returns(app):
        values, domain = r["values"], f"@{r['slug']}.example"
        people = [c["name"] for c in values["contact_persons"]]
        people += [values["respondent_name"]] if values["respondent_name"] else []
        for name in people:
            first, last = name.split(" ")
            assert first in ref.FEMALE + ref.MALE and last in surnames, name
            assert name not in reference_text, name
        for i, contact in enumerate(values["contact_persons"]):
            assert contact["email"].endswith(domain)
            assert i > 0 or contact["email"] == f"remigracija{domain}"
            assert contact["phone"] is None or contact["phone"].startswith("+371 6000 0")


def test_answers_follow_the_study_where_it_says_something(app, users):
    from monitor import demo_measures as ref

    load(app, users)
    facts = json.loads((DATA / "municipal-facts.json").read_text(encoding="utf-8"))
    grant_names = {(m["municipality"], m["name_lv"]) for m in facts["measures"] if m["category"] == "business_grant"}
    routing = {"riga": "regional_coordinator", "liepaja": "municipal_remigration_coordinator",
               "cesu-novads": "specialist_with_remigration_duties"}  # Table 19 of the study

    submitted = [r for r in stored_returns(app) if r["status"] == "submitted"]
    for r in submitted:
        for grant in r["values"]["grant_programmes"]:
            assert (r["slug"], grant["name"]) in grant_names
            assert grant["applications_received"] >= grant["applications_evaluated"] >= grant[
                "applications_supported"] >= 1
        if r["slug"] in routing:
            assert r["values"]["inquiry_routing"] == routing[r["slug"]]
        if r["slug"] not in ref.measures_by_municipality():
            assert r["values"]["has_business_grants"] == "no"
    topical = Counter(r["values"]["remigration_promotion_topicality"] for r in submitted)
    assert topical["very_topical"] <= 6 and topical["rather_topical"] <= 20


def test_no_returns_of_other_years(app, users):
    load(app, users)
    load(app, users, seed=3)

    assert {r["year"] for r in stored_returns(app)} == {2025}


def test_the_closing_lines_say_which_year_the_pages_open_on(app, users):
    from monitor.auth.models import User
    from monitor.demo import year_note
    from monitor.extensions import db

    load(app, users)  # the demo's returns: 2025
    with app.app_context():
        admin = db.session.get(User, users["admin"].id)
        december = year_note(admin, dt.date(2026, 12, 2)).split("\n")
        spring = year_note(admin, dt.date(2026, 3, 1))
    assert december[0] == ("Reporting year 2026 is open for entry since 01.11.2026 (0 returns started); "
                           "the demo's returns are for 2025.")
    assert "the completeness dashboard open on 2025" in december[1] and "year switch" in december[2]
    assert spring == "Pages open on the reporting year 2025."  # 2026 has not opened: nothing to explain
