"""Small factories for tests: returns with answers, built through the real operations."""

from __future__ import annotations

from typing import Any, Mapping

from flask import Flask
from sqlalchemy import select

from forms import get_definition, validate


def make_return(app: Flask, slug: str, year: int, values: Mapping[str, Any] | None = None, *,
                actor_id: int, status: str | None = None) -> int:
    """Create the return of ``slug`` for ``year`` (as ``actor_id``) with ``values`` stored; returns its id.

    ``values`` are raw or typed answers; they are validated like a draft save and must not have blocking errors.
    """
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.periods.models import ReportingPeriod
    from monitor.registry.models import Municipality
    from monitor.returns.edit import plan_edit
    from monitor.returns.operations import start_return
    from monitor.returns.storage import apply_edit

    with app.app_context():
        actor = db.session.get(User, actor_id)
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
        period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year))
        ret = start_return(municipality, period, actor)
        if values:
            definition = get_definition(year)
            plan = plan_edit(definition, {}, values)
            assert plan.can_apply, [i.en for i in plan.blocking]
            apply_edit(ret, definition, plan, actor_id=actor_id, source="web", current={})
        if status:
            ret.status = status
        db.session.commit()
        return ret.id


def complete_answers(year: int = 2026) -> dict[str, Any]:
    """A complete, valid set of answers for every required question (no errors on submit)."""
    answers: dict[str, Any] = {
        "respondent_name": "Ilze Bērziņa", "respondent_role": "head_development_planning",
        "respondent_email": "ilze.berzina@cesis.lv",
        "remigration_promotion_topicality": "rather_topical", "emigration_active_problem": "yes",
        "return_promotion_revitalises_economy": "yes", "support_programmes_needed": "rather_necessary",
        "remigration_policy_competence": "shared_state_municipal", "municipal_role_in_remigration": "fairly_large",
        "state_support_sufficiency_score": 5, "eu_state_grant_uptake_score": 8,
        "planning_docs_recognise_emigration": "yes", "planning_docs_include_remigration_measures": "no",
        "diaspora_involved_in_policy_drafting": "no", "remigration_plan_in_development_plan": "no",
        "has_remigration_strategy": "no", "has_separate_budget_line": "no", "business_support_unit": "department",
        "measures_5y_count_business_grants": 4, "measures_5y_count_job_creation": 0,
        "measures_5y_count_housing": 2, "measures_5y_count_diaspora_ties": 3, "measures_5y_count_other": 1,
        "budget_lines": [{"source": "own_budget", "planned_eur": "5000", "spent_eur": "4200"}],
        "varam_remigration_funding_used": "yes", "spending_results_published": "no",
        "has_business_grants": "yes",
        "grant_programmes": [{"name": "Cēsu novada uzņēmējdarbības atbalsta konkurss", "kind": "startup_grant",
                              "eligibility": "open_to_all", "max_grant_eur": "5000", "total_fund_eur": "30000",
                              "applications_received": 20, "applications_evaluated": 15,
                              "applications_supported": 6}],
        "job_creation_support": "no", "specialist_wage_subsidy": "no", "vacancies_published": "also_private",
        "housing_shortage_topicality": "not_at_all_topical", "municipal_dwellings_total": 400,
        "vacant_dwellings_habitable": 12, "free_flats_list_published": "yes", "specialist_rental_scheme": "yes",
        "construction_cofinancing": "no", "housing_database_published": "no",
        "maintains_contact_with_emigrants": "yes", "emigrant_database": "no",
        "extra_latvian_lessons": "no", "kindergarten_priority": "no",
        "tracks_returnee_information": "yes", "returnees_persons": 25, "returnees_families": 8,
        "returnees_children": 9,
        "contact_persons": [{"name": "Ilze Bērziņa", "position": "Attīstības nodaļas vadītāja", "fte_share": "0,2",
                             "email": "ilze.berzina@cesis.lv", "is_public": "yes"}],
        "has_remigration_coordinator": "yes", "inquiry_routing": "specialist_with_remigration_duties",
        "contacts_confirmed_on": "2026-11-02",
        "regional_coordinator_cooperation": "good", "info_exchange_with_other_municipalities": "yes",
        "interest_in_other_municipalities_measures": "yes",
        "return_page_published": "yes", "relocation_handbook": "no", "grant_information_published": "yes",
        "success_stories_published": "no", "municipality_cv_up_to_date": "yes",
        "plans_measures_next_5y": "yes", "planned_measures_next_5y": "Atbalsts jaunajiem uzņēmējiem.",
    }
    result = validate(get_definition(year), answers, submit=True)
    assert not result.errors, [i.en for i in result.errors]
    return answers


def answers_2027() -> dict[str, Any]:
    """Complete 2027.1 answers with a measure of every kind, each saying who can use it, and two contact
    persons: the first may be published, the second not (no answer)."""
    answers = complete_answers(2027)
    answers.update({
        "grant_programmes": [{**answers["grant_programmes"][0], "eligibility": "remigrants_only",
                              "max_grant_eur": "7000"}],
        "job_creation_support": "yes", "job_creation_support_open_to": "open_to_all",
        "specialist_rental_scheme": "yes", "specialist_rental_scheme_open_to": "remigrants_only",
        "flats_let_to_specialists": 4,
        "extra_latvian_lessons": "yes", "extra_latvian_lessons_open_to": "remigrants_only",
        "extra_lessons_hours_per_week": "3",
        "diaspora_activities": [{"activity_type": "online_meeting", "is_online": "yes", "open_to": "open_to_all",
                                 "activity_note": "Tiešsaistes tikšanās ar Londonas latviešiem"}],
        "support_offered_to_remigrants": "Individuālas konsultācijas par dzīvesvietu un darbu.",
        "support_offered_to_remigrants_open_to": "open_to_all",
        "free_flats_list_url": "https://www.cesis.lv/dzivokli",
        "contact_persons": [
            {"name": "Ilze Bērziņa", "position": "Remigrācijas koordinatore", "fte_share": "0,2",
             "email": "ilze.berzina@cesis.lv", "phone": "+371 26 111 222", "languages": ["lv", "en"],
             "publish_on_profile": "yes"},
            {"name": "Pēteris Slepenais", "position": "Attīstības nodaļas vadītājs", "email": "peteris.s@cesis.lv",
             "phone": "+371 29 333 444"},
        ],
    })
    result = validate(get_definition(2027), answers, submit=True)
    assert not result.errors, [i.en for i in result.errors]
    return answers


def compile_year(app: Flask, year: int = 2026, statuses: frozenset[str] = frozenset({"approved"})) -> int:
    """Load the reference figures and compile the report of ``year`` (counting ``statuses``); the snapshot's id."""
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot, load_reference_data

    with app.app_context():
        load_reference_data()
        snapshot, _new = compile_snapshot(year, statuses=statuses)
        db.session.commit()
        return snapshot.id


def download_export(app: Flask, client: Any, query: str) -> Any:
    """A research download as a user gets it: sent at once when a current file is stored, else built by the
    scheduler's ``export_builds`` job (run here) and fetched from the build's page. The last response."""
    from scheduler.jobs import JOBS
    from scheduler.runner import run_job

    response = client.get("/exports/?" + query)
    if response.status_code == 302 and "/exports/builds/" in response.location:
        run = run_job(app, next(j for j in JOBS if j.id == "export_builds"))
        assert run is not None and run.outcome == "ok", run and run.error
        response = client.get(response.location + "/file")
    return response
