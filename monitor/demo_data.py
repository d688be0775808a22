"""The realistic demo dataset for reporting year 2025 (``flask demo``, ``./dev demo``).

Contract of :func:`load_demo_returns`:

- creates 2025 returns for the registry's municipalities, marked ``is_demo``, with answers written as
  ``source="demo"``: about 3 municipalities get no return, about 6 a partly filled draft, the rest a complete
  return submitted in January–March 2026. Cēsu novads always gets a complete submitted return (its demo
  editor starts 2026 "from last year"). Returns of other years are never created.
- every submitted return validates with no errors; no draft has an error that would block saving it.
- deterministic: the same seed and registry give the same answers and statuses, whatever already exists.
- idempotent: a municipality that already has a 2025 return is skipped. It does not commit; the caller does.

Content comes from the 2023 study where the study says something (``monitor.demo_measures``: named grant
programmes, diaspora activities, 2022 survey answers); the rest is drawn at random so that the totals look like
the 2022 survey. People are fictional.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forms import ReturnDefinition, get_definition

from . import demo_measures as ref
from .auth.models import User
from .demo_measures import (
    COORDINATOR_RATING, DECKS, HOUSING_VERY_TOPICAL, NEEDS, NOT_TOPICAL_HOUSING, PURPOSES, ROUTING, deck, pick, yes,
)
from .extensions import db
from .periods.models import ReportingPeriod
from .registry.models import Municipality
from .returns.edit import plan_edit
from .returns.models import AnnualReturn
from .returns.operations import start_return, submit_return
from .returns.storage import apply_edit

YEAR = 2025
ALWAYS_COMPLETE = "cesu-novads"
# the demo editors' municipalities (monitor.demo.DEMO_USERS) always have something to show
KEEP_A_RETURN = frozenset({"cesu-novads", "valmieras-novads", "liepaja"})
NO_RETURN, DRAFTS = 3, 6
OPENS = dt.datetime(2025, 11, 3, 7, tzinfo=dt.UTC)
FIRST_SUBMISSION = dt.datetime(2026, 1, 5, 7, tzinfo=dt.UTC)
DEADLINE = dt.datetime(2026, 3, 31, 15, tzinfo=dt.UTC)


@dataclass
class DemoReturn:
    """One planned demo return: raw answers (before validation), status and timeline."""

    slug: str
    status: str  # "submitted" or "draft"
    answers: dict[str, Any]
    started: dt.datetime
    filled: dt.datetime
    submitted: dt.datetime | None


# ------------------------------------------------------------------------------------------------ the plan

def _workday(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    """The same day (a weekend: the next Monday) at a random time of a working day in Riga (UTC+2 in winter)."""
    day = moment.date() + dt.timedelta(days=7 - moment.weekday() if moment.weekday() >= 5 else 0)
    return dt.datetime.combine(day, dt.time(rng.randint(6, 14), rng.randint(0, 59), rng.randint(0, 59)), dt.UTC)


def _timeline(rng: random.Random, status: str) -> tuple[dt.datetime, dt.datetime, dt.datetime | None]:
    """(started, last filled in, submitted or None), in that order, between the opening and the deadline."""
    submitted = None
    if status == "submitted":
        span = (DEADLINE - FIRST_SUBMISSION).total_seconds()
        # most returns arrive towards the deadline
        submitted = _workday(FIRST_SUBMISSION + dt.timedelta(seconds=rng.triangular(0, span, span * 0.85)), rng)
        filled = min(submitted, _workday(max(OPENS, submitted - dt.timedelta(days=rng.uniform(0.2, 12))), rng))
    else:
        filled = _workday(OPENS + dt.timedelta(days=rng.uniform(20, 140)), rng)
    started = min(filled, _workday(max(OPENS, filled - dt.timedelta(days=rng.uniform(3, 50))), rng))
    return started, filled, submitted


def build_dataset(municipalities: list[Municipality], seed: int = 2025) -> list[DemoReturn]:
    """The whole demo dataset as raw answers (pure: reads the registry objects and the reference files only)."""
    municipalities = sorted(municipalities, key=lambda m: m.slug)
    rng = random.Random(seed)
    slugs = [m.slug for m in municipalities]
    dealt: dict[str, dict[str, Any]] = {s: {} for s in slugs}
    for key, counts in DECKS.items():
        for slug, card in zip(slugs, deck(counts, len(slugs), rng)):
            dealt[slug][key] = card
    # plans for the next five years (2022: 18 yes, 3 no, 20 hard to say): "no" and "hard to say" go first to
    # the municipalities that gave reasons for not planning; "yes" to those that named planned measures
    facts = {m.slug: ref.survey_facts_by_name().get(m.name_lv, {}) for m in municipalities}
    order = sorted(slugs, key=lambda s: (not facts[s].get("reasons_no_planned_measures"),
                                         bool(facts[s].get("planned_measures_next_5y")), rng.random()))
    n_no, n_yes = 3, round(len(slugs) * 19 / 43)
    for i, slug in enumerate(order):
        dealt[slug]["plans_measures_next_5y"] = (
            "no" if i < n_no else "yes" if i >= len(order) - n_yes else "hard_to_say")
    order = [s for s in slugs if s != ALWAYS_COMPLETE]
    rng.shuffle(order)
    none = [s for s in order if s not in KEEP_A_RETURN][:NO_RETURN]
    status = {s: "submitted" for s in slugs}
    status.update({s: "none" for s in none})
    status.update({s: "draft" for s in [s for s in order if s not in none][:DRAFTS]})
    return [_demo_return(m, status[m.slug], dealt[m.slug], facts[m.slug], seed)
            for m in municipalities if status[m.slug] != "none"]


def _demo_return(m: Municipality, status: str, dealt: dict[str, Any], facts: dict[str, list[Any]],
                 seed: int) -> DemoReturn:
    # one generator per municipality: its answers do not depend on which other returns exist
    rng = random.Random(f"{seed}:{m.slug}")
    started, filled, submitted = _timeline(rng, status)
    answers = _Builder(m, rng, dealt, facts, filled).answers()
    if status == "draft":
        answers = _partial(answers, get_definition(YEAR), rng)
    return DemoReturn(m.slug, status, answers, started, filled, submitted)


def _partial(answers: dict[str, Any], definition: ReturnDefinition, rng: random.Random) -> dict[str, Any]:
    """A draft: the first few sections filled in, sometimes with one required answer still missing."""
    kept = [f for s in definition.sections[:rng.randint(3, 11)] for f in s.fields]
    out = {f.key: answers.get(f.key) for f in kept}
    required = [f.key for f in kept if f.required and out.get(f.key) is not None]
    if required and rng.random() < 0.6:
        out[rng.choice(required)] = None
    return out


# ------------------------------------------------------------------------------------------------ answers

class _Builder:
    """Raw answers of one municipality's complete return, section by section."""

    def __init__(self, m: Municipality, rng: random.Random, dealt: dict[str, Any], facts: dict[str, list[Any]],
                 filled: dt.datetime) -> None:
        self.m, self.rng, self.dealt, self.facts, self.filled = m, rng, dealt, facts, filled
        self.region = m.region.slug if m.region else None
        self.city = m.kind == "state_city"
        self.measures = ref.measures_by_municipality().get(m.slug, [])
        self.subs = ref.subcategories(self.measures)
        # a reserved domain (RFC 2606): demo addresses must never reach a real municipal mailbox
        self.domain = f"{m.slug}.example"
        routing = [r for r in facts.get("inquiry_routing", []) if r in ROUTING]  # "no_information" is no answer
        self.routing = routing[0] if routing else pick(rng, ROUTING)
        self.people: list[tuple[str, str, bool]] = []
        for _ in range(1 if rng.random() < 0.7 else 2):
            person = ref.fictional_person(rng)
            self.people += [person] if all(person[:2] != p[:2] for p in self.people) else []
        self.a: dict[str, Any] = {}

    def answers(self) -> dict[str, Any]:
        for part in (self._contacts, self._respondent, self._attitudes, self._planning, self._business,
                     self._jobs, self._housing, self._diaspora, self._education, self._returnees, self._budget,
                     self._cooperation, self._public_info, self._plans, self._measures):
            part()  # _measures comes last: it summarises what the other sections say
        return self.a

    def _url(self, path: str) -> str:
        return f"https://www.{self.domain}/{path}"

    def _contacts(self) -> None:
        a, rng = self.a, self.rng
        rows = []
        for i, (first, last, female) in enumerate(self.people):
            title = ref.POSITIONS[self.routing] if i == 0 else ref.SECOND_POSITION
            rows.append({
                "name": f"{first} {last}", "position": title[1] if female else title[0],
                "fte_share": rng.choice(("0.1", "0.2", "0.25", "0.5", "1")) if i == 0 else "0.1",
                # the first contact answers the municipality's remigration mailbox
                "email": f"remigracija@{self.domain}" if i == 0 else
                f"{ref.ascii_local_part(first, last)}@{self.domain}",
                "phone": ref.fictional_phone(rng) if rng.random() < 0.5 else None,
                "languages": ["lv", "en"] + (["ru"] if rng.random() < 0.5 else []),
                "is_public": "yes" if i == 0 or rng.random() < 0.3 else "no",
            })
        coordinator = self.routing == "municipal_remigration_coordinator" or "own_coordinator" in self.subs
        a.update(contact_persons=rows, inquiry_routing=self.routing,
                 has_remigration_coordinator="yes" if coordinator else yes(rng, 0.1, 0.1))
        if self.routing == "other":
            a["inquiry_routing_other"] = "Klientu apkalpošanas centrs, kas jautājumu nodod atbildīgajam speciālistam"
        a["multilingual_client_service"] = "yes" if "multilingual_service" in self.subs else yes(rng, 0.4)
        a["staff_trained_count"] = rng.randint(3, 6) if "staff_training" in self.subs else rng.randint(0, 3)
        a["specialist_meetings_attended"] = rng.randint(0, 8)
        a["contacts_confirmed_on"] = max(OPENS.date(), (self.filled - dt.timedelta(days=rng.randint(0, 20))).date())

    def _respondent(self) -> None:
        a, rng = self.a, self.rng
        first, last, _ = self.people[0]
        role = pick(rng, {"head_development_planning": 35, "other_delegated": 30, "pr_specialist": 15,
                           "executive_director": 10, "deputy_council_chair": 10})
        a.update(respondent_name=f"{first} {last}", respondent_role=role,
                 respondent_email=f"{ref.ascii_local_part(first, last)}@{self.domain}",
                 respondent_phone=a["contact_persons"][0]["phone"])
        if role == "other_delegated":
            a["respondent_role_other"] = a["contact_persons"][0]["position"]
        genitive = self.m.name_lv.replace(" novads", " novada").replace("valstspilsēta", "valstspilsētas")
        a["published_documents"] = [{"document_title": f"{genitive} attīstības programma",
                                     "document_url": self._url("attistibas-programma")}] if rng.random() < 0.6 else []

    def _attitudes(self) -> None:
        a, d, rng = self.a, self.dealt, self.rng
        for key in ("remigration_promotion_topicality", "support_programmes_needed", "remigration_policy_competence",
                    "municipal_role_in_remigration", "state_support_sufficiency_score"):
            a[key] = d[key]
        topical = d["remigration_promotion_topicality"] in ("very_topical", "rather_topical")
        a["emigration_active_problem"] = yes(rng, 0.75 if topical else 0.25, 0.1)
        a["return_promotion_revitalises_economy"] = yes(rng, 0.7, 0.2)
        # 2022: mean 8.3 on 6–10, Latgale 7.0
        a["eu_state_grant_uptake_score"] = rng.choice((6, 7, 7, 7, 8) if self.region == "latgale-region"
                                                      else (7, 8, 8, 9, 9, 9, 10))

    def _planning(self) -> None:
        a, d, rng = self.a, self.dealt, self.rng
        include = d["planning_docs_include_remigration_measures"]
        a.update(planning_docs_recognise_emigration=yes(rng, 0.6, 0.15),
                 planning_docs_include_remigration_measures=include,
                 diaspora_involved_in_policy_drafting="yes" if "participation" in self.subs
                 else d["diaspora_involved_in_policy_drafting"],
                 remigration_plan_in_development_plan=yes(rng, 0.5 if include == "yes" else 0.05),
                 has_remigration_strategy=yes(rng, 0.12), has_separate_budget_line=yes(rng, 0.2),
                 entrepreneurs_advisory_council="yes" if "business_council" in self.subs else yes(rng, 0.45),
                 business_support_unit=pick(rng, {"own_centre": 5, "department": 4, "specialist": 1} if self.city
                                            else {"own_centre": 2, "department": 5, "specialist": 3, "none": 1}))
        if include == "yes":
            a["planning_docs_url"] = self._url("attistibas-programma")
        if a["has_remigration_strategy"] == "yes":
            a["strategy_target_groups"] = "Ģimenes ar bērniem; speciālisti (ārsti, pedagogi); jaunieši pēc studijām"

    def _business(self) -> None:
        rows = ref.grant_rows(self.measures, self.rng)
        self.a.update(has_business_grants="yes" if rows else "no", grant_programmes=rows,
                      business_support_gaps_needs=self.rng.choice(NEEDS))

    def _jobs(self) -> None:
        a, rng = self.a, self.rng
        subsidy = yes(rng, 0.25)
        attracted = rng.randint(1, 12) if subsidy == "yes" else 0
        a.update(job_creation_support="yes" if self.subs & {"property_tax_relief", "job_conditional_cofinancing"}
                 else yes(rng, 0.35), specialist_wage_subsidy=subsidy, specialists_attracted=attracted,
                 specialist_support_eur=attracted * rng.randrange(1000, 5001, 500),
                 commuting_subsidy=yes(rng, 0.2),
                 job_fairs_count=max(1 if "job_fair" in self.subs else 0, rng.choice((0, 0, 1, 1, 2))),
                 vacancies_published="also_private" if "vacancy_publishing" in self.subs else pick(
                     rng, {"municipal_only": 5, "also_private": 3, "self_service": 1, "none": 1}),
                 company_database=yes(rng, 0.3), jobs_without_latvian=rng.choice((None, 0, 2, 5)),
                 job_partners=[c for c, p in (("nva_eures", 0.7), ("liaa", 0.5), ("esi_lv", 0.2),
                                              ("your_move", 0.15)) if rng.random() < p])
        if subsidy == "yes":
            a["shortage_profession_programmes"] = "Ārsti un pedagogi: īres maksas kompensācija un vienreizējs pabalsts."

    def _housing(self) -> None:
        a, rng, subs = self.a, self.rng, self.subs
        very = HOUSING_VERY_TOPICAL.get(self.region or "", 0.6)
        total = rng.randint(1500, 6000) if self.city else rng.randint(150, 1500)
        renovated = rng.randint(3, 15) if "vacant_flat_renovation" in subs else rng.choice((0, 0, 1, 2, 4))
        specialists = yes(rng, 0.3) if not subs & {"specialist_housing", "rental_rights_auction"} else "yes"
        a.update(housing_shortage_topicality="rather_not_topical" if self.m.slug in NOT_TOPICAL_HOUSING
                 else "very_topical" if rng.random() < very else "rather_topical",
                 municipal_dwellings_total=total, vacant_dwellings_habitable=rng.randint(0, total // 50),
                 vacant_dwellings_need_repair=rng.randint(0, total // 15), flats_renovated=renovated,
                 renovation_spend_eur=renovated * rng.randrange(4000, 15001, 500),
                 free_flats_list_published="yes" if "vacant_flat_renovation" in subs else yes(rng, 0.45),
                 specialist_rental_scheme=specialists,
                 construction_cofinancing="yes" if subs & {"construction_cofinancing", "new_rental_housing",
                                                           "new_municipal_housing"} else yes(rng, 0.15),
                 housing_database_published="yes" if "land_property_database" in subs else yes(rng, 0.3),
                 housing_requests_from_remigrants=rng.randint(0, 6))
        if specialists == "yes":
            a["flats_let_to_specialists"] = rng.randint(1, 20)
        for key, path in (("free_flats_list", "dzivokli"), ("housing_database", "ipasumi")):
            if a[f"{key}_published"] == "yes":
                a[f"{key}_url"] = self._url(path)

    def _diaspora(self) -> None:
        a, rng = self.a, self.rng
        rows = ref.diaspora_rows(self.measures, rng, YEAR)
        contact = "yes" if rows else pick(rng, {"yes": 5, "no": 3, "hard_to_say": 2})
        if contact == "yes":  # the everyday channels, besides what the study names
            rows += [ref.activity_row(k, None, rng, YEAR) for k in
                     rng.sample(("newsletter", "social_media_group", "online_meeting", "reunion"), rng.randint(0, 2))]
        database = yes(rng, 0.1)
        visits = [r for r in rows if r["activity_type"] == "visit_abroad"]  # Liepāja's came with vacancy offers
        a.update(maintains_contact_with_emigrants=contact, diaspora_activities=rows if contact == "yes" else [],
                 visits_with_vacancy_offers=None if not visits else "yes" if any(
                     "vakanč" in (r["activity_note"] or "") for r in visits) else yes(rng, 0.5),
                 emigrant_database=database,
                 emigrant_contacts_count=rng.randint(40, 600) if database == "yes" else None,
                 diaspora_news_publication="yes" if any(r["activity_type"] == "newsletter" for r in rows) else "no")

    def _education(self) -> None:
        a, rng = self.a, self.rng
        lessons = "yes" if self.subs & {"child_integration", "school_assistants"} else yes(rng, 0.3)
        a.update(extra_latvian_lessons=lessons, remigrant_children_served=rng.randint(0, 25),
                 schools_with_remigrant_support=rng.randint(0, 6), teacher_assistant_available=yes(rng, 0.4, 0.2),
                 kindergarten_priority=yes(rng, 0.25), kindergarten_queue=rng.randint(0, 400 if self.city else 80),
                 free_latvian_courses_adults=yes(rng, 0.35), school_psychologists_trained=rng.randint(0, 4))
        if lessons == "yes":
            a["extra_lessons_hours_per_week"] = rng.choice(("1", "2", "2.5", "3"))

    def _returnees(self) -> None:
        a, rng = self.a, self.rng
        a["tracks_returnee_information"] = pick(rng, {"yes": 11, "no": 6, "hard_to_say": 3})
        if a["tracks_returnee_information"] == "yes":
            persons = rng.randint(20, 150) if self.city else rng.randint(3, 60)
            a.update(returnees_persons=persons, returnees_families=rng.randint(1, max(1, persons // 3)),
                     returnees_children=rng.randint(0, persons // 3),
                     returnee_count_source=pick(rng, {"own_records": 5, "regional_coordinator": 3, "estimate": 2}))
        # Tukums pays a remigration benefit of up to EUR 500 per family
        benefits = rng.randint(1, 3) if "remigration_allowance" in self.subs else 0
        a.update(remigrant_enquiries=rng.randint(3, 60), remigration_benefits_count=benefits,
                 remigration_benefits_eur=benefits * rng.randrange(200, 501, 50))

    def _budget(self) -> None:
        a, rng = self.a, self.rng
        lines = []
        if a["has_separate_budget_line"] == "yes" or rng.random() < 0.4:
            planned = rng.randrange(1000, 25001, 500) * (3 if self.city else 1)
            lines.append({"source": "own_budget", "planned_eur": planned, "purpose": rng.choice(PURPOSES),
                          "spent_eur": round(planned * rng.uniform(0.6, 1.0))})
            if rng.random() < 0.3:
                amount = rng.randrange(2000, 20001, 1000)
                lines.append({"source": rng.choice(("eu_eea", "varam", "leader")), "planned_eur": amount,
                              "spent_eur": amount, "purpose": rng.choice(PURPOSES)})
        elif rng.random() < 0.5:  # "if there was no money, enter 0"
            lines.append({"source": "own_budget", "planned_eur": 0, "spent_eur": 0})
        published = yes(rng, 0.3)
        a.update(budget_lines=lines, varam_remigration_funding_used=self.dealt["varam_remigration_funding_used"],
                 ngo_grants_total_eur=rng.randrange(1000, 6001, 500) if "ngo_funding" in self.subs
                 else rng.choice((None, 0, 0, 1500)),
                 joint_application_with_neighbours=yes(rng, 0.2), spending_results_published=published,
                 spending_results_url=self._url("budzets") if published == "yes" else None)

    def _cooperation(self) -> None:
        a, rng = self.a, self.rng
        interest, exchange = self.dealt["cooperation"]
        rating = COORDINATOR_RATING.get(self.region, COORDINATOR_RATING[None])
        a.update(regional_coordinator_cooperation=pick(rng, rating),
                 info_exchange_with_other_municipalities=exchange, interest_in_other_municipalities_measures=interest,
                 cooperation_partners=[c for c, p in (("nva", 0.8), ("liaa", 0.6), ("ngos", 0.4),
                                                      ("employers", 0.5)) if rng.random() < p],
                 joint_activities="Kopīgs pasākums diasporai ar kaimiņu novadiem" if exchange == "yes" else None)

    def _public_info(self) -> None:
        a, rng, subs = self.a, self.rng, self.subs
        page = "yes" if subs & {"web_section", "talent_contact_point"} else yes(rng, 0.45)
        handbook = "yes" if "information_material" in subs else yes(rng, 0.15)
        a.update(return_page_published=page, return_page_url=self._url("remigracija") if page == "yes" else None,
                 relocation_handbook=handbook,
                 relocation_handbook_english=yes(rng, 0.4) if handbook == "yes" else None,
                 grant_information_published="yes" if a["has_business_grants"] == "yes" else yes(rng, 0.5),
                 success_stories_published=yes(rng, 0.35), municipality_cv_up_to_date=yes(rng, 0.5),
                 tips_and_hints_adopted=yes(rng, 0.3),
                 remigrant_survey_held="yes" if any(r["activity_type"] == "survey" for r in a["diaspora_activities"])
                 else yes(rng, 0.05))

    def _plans(self) -> None:
        self.a.update(ref.plans_answers(self.dealt["plans_measures_next_5y"], self.facts, self.rng))

    def _measures(self) -> None:
        self.a.update(ref.five_year_measures(self.a, self.measures, self.facts, self.rng))


# ----------------------------------------------------------------------------------------------- storing

def load_demo_returns(actor: User, seed: int = 2025) -> int:
    """Create the 2025 demo returns that do not exist yet (see the module docstring); returns how many."""
    definition = get_definition(YEAR)
    period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == YEAR))
    if period is None:
        raise LookupError(f"no reporting period {YEAR}: run `flask periods ensure` first")
    municipalities = list(db.session.scalars(select(Municipality).options(joinedload(Municipality.region))))
    by_slug = {m.slug: m for m in municipalities}
    have = set(db.session.scalars(select(AnnualReturn.municipality_id).where(AnnualReturn.year == YEAR)))
    created = 0
    for plan in build_dataset(municipalities, seed):
        municipality = by_slug[plan.slug]
        if municipality.id in have:
            continue
        submit = plan.status == "submitted"
        edit = plan_edit(definition, {}, {f.key: plan.answers.get(f.key) for f in definition.iter_fields()})
        bad = [*edit.blocking, *edit.not_kept]  # (a submitted one is checked whole by submit_return below)
        if bad:  # a bug in this module, not bad input: fail loudly rather than store an invalid demo
            raise RuntimeError(f"demo return of {plan.slug} does not validate: {[i.en for i in bad]}")
        ret = start_return(municipality, period, actor, is_demo=True)
        ret.created_at = plan.started
        # a new return has no stored answers to look up, so one flush at the end instead of one per group
        with db.session.no_autoflush:
            # the history tells the same story as the return's dates
            apply_edit(ret, definition, edit, actor_id=actor.id, source="demo", current={}, at=plan.filled)
        ret.updated_at = plan.filled
        if submit and plan.submitted:
            # the real submission: it re-reads the stored answers, so a storage round-trip problem shows here
            outcome = submit_return(ret, base_version=ret.version, actor=actor, today=plan.submitted.date())
            if not outcome.submitted:
                raise RuntimeError(f"demo return of {plan.slug} was refused: {[i.en for i in outcome.result.errors]}")
            ret.submitted_at = ret.first_submitted_at = ret.updated_at = plan.submitted
        created += 1
    return created
