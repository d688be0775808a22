"""Reference material for the demo dataset: the study's named measures, the 2022 survey, fictional people.

The demo returns (``monitor.demo_data``) are built from two reference files of the 2023 University of Latvia
study: ``municipal-facts.json`` (named support measures per municipality) and ``survey-baseline.json`` (what
each municipality answered in the 2022 survey, and its published tables). This module turns those facts into
raw answers (grant programme rows, diaspora activity rows, survey answers) and holds the survey's answer
distributions that the random draws follow where the study says nothing about a municipality.

People in the demo are fictional: names are combined from short lists of common Latvian first names and
surnames, never taken from the reference files.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"

# ------------------------------------------------------------------------------------------- reference files


@cache
def measures_by_municipality() -> dict[str, list[dict[str, Any]]]:
    """slug → the study's named measures of that municipality (region-level measures are left out)."""
    facts = json.loads((DATA / "municipal-facts.json").read_text(encoding="utf-8"))
    out: dict[str, list[dict[str, Any]]] = {}
    for m in facts["measures"]:
        if m.get("municipality"):
            out.setdefault(m["municipality"], []).append(m)
    return out


@cache
def survey_facts_by_name() -> dict[str, dict[str, list[Any]]]:
    """Municipality name (LV, as in the registry) → survey key → the values it gave in 2022."""
    baseline = json.loads((DATA / "survey-baseline.json").read_text(encoding="utf-8"))
    out: dict[str, dict[str, list[Any]]] = {}
    for entry in baseline["per_municipality_2022"]:
        facts = out.setdefault(entry["municipality"], {})
        for fact in entry["facts"]:
            facts.setdefault(fact["key"], []).append(fact["value"])
    return out


def subcategories(measures: list[dict[str, Any]]) -> set[str]:
    return {m["subcategory"] for m in measures}


# -------------------------------------------------------------------------------------------- grant programmes

# the study's subcategory → the definition's grant ``kind``; anything else is "other"
GRANT_KINDS = {
    "startup_grant": "startup_grant", "idea_competition": "startup_grant", "social_enterprise": "social_enterprise",
    "innovation_grant": "innovation", "innovation_export_grant": "innovation", "ict_pilot_grant": "innovation",
    "prize": "innovation", "youth_idea_competition": "youth_ideas", "project_cofinancing": "project_cofinancing",
    "remigrant_business_grant": "remigrant_business",
}
# LEADER calls are run by local action groups, not by the municipality, and the ones named are of 2014–2020
NOT_MUNICIPAL_GRANTS = frozenset({"leader"})
TOTAL_BASES = frozenset({"call_total", "budget"})


def grant_rows(measures: list[dict[str, Any]], rng: random.Random) -> list[dict[str, Any]]:
    """Raw ``grant_programmes`` rows for the municipality's named business grants.

    Names and amounts are the study's; an amount goes to ``max_grant_eur`` only when the study says it is the
    maximum per grant, to ``total_fund_eur`` only when it is a programme/call total or budget, otherwise it is
    left blank. The application counts are random but ordered (received ≥ evaluated ≥ supported).
    """
    grants = [m for m in measures if m["category"] == "business_grant"
              and m["subcategory"] not in NOT_MUNICIPAL_GRANTS]
    # a programme the 2022 survey only planned for 2023–2027 counts as running in 2025 when nothing else is named
    running = [m for m in grants if "planned" not in (m.get("year_or_period") or "")]
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for m in running or grants:
        name = m["name_lv"][:300]
        if name in seen:
            continue
        seen.add(name)
        basis, amount = m.get("amount_basis") or "", m.get("amount_eur")
        received = rng.randint(6, 45)
        evaluated = received - rng.randint(0, min(4, received - 1))
        # a prize has one or a few winners; a grant call funds a share of the applications
        share = rng.randint(1, 3) if m["subcategory"] == "prize" else round(evaluated * rng.uniform(0.2, 0.6))
        supported = min(evaluated, max(1, share))
        remigrants_only = m["subcategory"] == "remigrant_business_grant"
        rows.append({
            "name": name,
            "kind": GRANT_KINDS.get(m["subcategory"], "other"),
            "eligibility": "remigrants_only" if remigrants_only else "open_to_all",
            "max_grant_eur": amount if basis == "per_grant_max" else None,
            # a total shared by several municipalities (e.g. “(ie)dvesma”) is no one municipality's fund: summed
            # across municipalities it would be counted several times
            "total_fund_eur": amount if (basis.startswith("programme_total") and basis != "programme_total_shared")
            or basis in TOTAL_BASES else None,
            "applications_received": received,
            "applications_evaluated": evaluated,
            "applications_supported": supported,
            # e.g. Daugavpils' “Impulss” gives an extra point to remigrants (named so in the study)
            "remigrant_extra_points": "yes" if "remigrant" in name.lower() or rng.random() < 0.15 else "no",
        })
    return rows


# ------------------------------------------------------------------------------------------ diaspora activities

# the study's diaspora subcategory → the definition's ``activity_type``
ACTIVITY_TYPES = {
    "recognition_event": "thank_you_event", "diaspora_information": "newsletter", "diaspora_events": "reunion",
    "information_material": "booklet", "diaspora_outreach": "social_media_group", "diaspora_visits": "visit_abroad",
    "diaspora_communication": "newsletter", "hackathon": "hackathon", "remigrant_survey": "survey", "camp": "camp",
    "video": "video", "online_meetings": "online_meeting", "ambassadors": "ambassador",
}
ONLINE = frozenset({"online_meeting", "newsletter", "social_media_group", "video", "survey", "hackathon"})
NO_HEADCOUNT = frozenset({"newsletter", "booklet", "video", "social_media_group"})
ABROAD = ("Īrija", "Lielbritānija", "Vācija", "Norvēģija", "Zviedrija")
SUMMER = frozenset({"camp", "reunion"})


# where the study's name of an activity says the country (or the season), the row agrees with it
COUNTRY_HINTS = {"Londonā": "Lielbritānija", "Anglij": "Lielbritānija", "Īrij": "Īrija"}


def activity_row(kind: str, note: str | None, rng: random.Random, year: int) -> dict[str, Any]:
    """One raw ``diaspora_activities`` row of ``kind`` held in ``year`` (camps and reunions in summer)."""
    first, last = (dt.date(year, 6, 1), dt.date(year, 8, 31)) if kind in SUMMER else (
        dt.date(year, 1, 15), dt.date(year, 12, 15))
    if "Ziemassvētk" in (note or ""):  # a Christmas event
        first = dt.date(year, 12, 1)
    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    online = "yes" if kind in ONLINE else (None if kind == "booklet" else "no")
    abroad = next((c for hint, c in COUNTRY_HINTS.items() if hint in (note or "")), None) or rng.choice(ABROAD)
    return {
        "activity_type": kind,
        "activity_date": day,
        "is_online": online,
        "country": abroad if kind == "visit_abroad" else ("Latvija" if online == "no" else None),
        "participants": None if kind in NO_HEADCOUNT else rng.randint(8, 30 if kind == "camp" else 120),
        "activity_note": note,
    }


def diaspora_rows(measures: list[dict[str, Any]], rng: random.Random, year: int) -> list[dict[str, Any]]:
    """Rows for the municipality's named diaspora measures; the study's name goes into the note."""
    return [activity_row(ACTIVITY_TYPES.get(m["subcategory"], "other"), m["name_lv"][:300], rng, year)
            for m in measures if m["category"] == "diaspora"]


# "other" measures of the study that are support for remigrants themselves (not for business in general)
REMIGRANT_SUPPORT = frozenset({"child_integration", "language_courses", "language_support", "psychological_support",
                               "school_assistants", "school_materials", "specialist_attraction"})


def planned_text(values: list[Any]) -> str | None:
    """The 2022 survey's planned measures, in Latvian (the file adds an English gloss in brackets)."""
    parts = [str(v).split(" (", 1)[0].strip() for v in values if v]
    return "; ".join(p[:1].upper() + p[1:] for p in parts) or None


# ------------------------------------------------------------------------------- 2022 survey distributions

# Answers dealt like cards over all municipalities, so that the demo totals match the 2022 survey (n = 41–42;
# the missing municipalities are spread over the largest answers).
DECKS: dict[str, dict[Any, int]] = {
    "remigration_promotion_topicality": {"very_topical": 6, "rather_topical": 20, "rather_not_topical": 11,
                                         "not_at_all_topical": 3, "hard_to_say": 3},
    "support_programmes_needed": {"very_necessary": 9, "rather_necessary": 23, "rather_not_necessary": 7,
                                  "definitely_not_necessary": 2, "hard_to_say": 2},
    "remigration_policy_competence": {"shared_state_municipal": 24, "rather_state": 12, "state_only": 6,
                                      "hard_to_say": 1},  # 2022: no municipality saw it as a municipal matter
    "municipal_role_in_remigration": {"very_large": 8, "fairly_large": 19, "fairly_small": 11,
                                      "very_small_or_none": 3, "hard_to_say": 2},
    "planning_docs_include_remigration_measures": {"yes": 15, "no": 17, "hard_to_say": 11},
    "diaspora_involved_in_policy_drafting": {"yes": 6, "no": 26, "hard_to_say": 11},
    "varam_remigration_funding_used": {"yes": 16, "no": 18, "hard_to_say": 9},
    # mean 4.92, mode 5, range 1–8, over 70 % gave 5 or 6
    "state_support_sufficiency_score": {5: 19, 6: 11, 4: 5, 3: 3, 7: 2, 8: 1, 1: 1, 2: 1},
    # Table 17: (interest in other municipalities' measures, information exchange with other municipalities)
    "cooperation": {("yes", "yes"): 15, ("yes", "no"): 14, ("yes", "hard_to_say"): 2, ("some", "yes"): 4,
                    ("some", "no"): 3, ("some", "hard_to_say"): 2, ("little", "no"): 1,
                    ("little", "hard_to_say"): 1, ("none", "yes"): 1},
}
# Table 16: municipalities without such measures (of 41), mean and s.d. of the 5-year count among the others
TABLE_16 = {"business_grants": (12, 3.3, 3.1), "job_creation": (15, 2.4, 2.1), "housing": (15, 2.9, 2.4),
            "diaspora_ties": (16, 3.2, 2.6), "other": (13, 2.5, 2.0)}
STUDY_CATEGORY = {"business_grants": "business_grant", "job_creation": "job_creation", "housing": "housing",
                  "diaspora_ties": "diaspora", "other": "other"}
ROUTING = {"specialist_with_remigration_duties": 19, "competent_specialist": 10, "other": 5,
           "municipal_remigration_coordinator": 4, "regional_coordinator": 1}  # Table 19
HOUSING_VERY_TOPICAL = {"riga-region": 0.75, "vidzeme-region": 0.64, "kurzeme-region": 0.88,
                        "zemgale-region": 0.67, "latgale-region": 0.35}  # 2022, by region
NOT_TOPICAL_HOUSING = frozenset({"ropazu-novads", "valkas-novads", "cesu-novads"})  # the only three in 2022
# weights; 2022 reported only Kurzeme (7 good or very good, 1 neutral) and Vidzeme (none very good, 1 not very
# good, 2 without cooperation); the other regions get a plausible spread
COORDINATOR_RATING = {
    "kurzeme-region": {"very_good": 3, "good": 4, "neutral": 1},
    "vidzeme-region": {"good": 6, "neutral": 2, "not_very_good": 1, "no_cooperation": 2},
    None: {"very_good": 2, "good": 5, "neutral": 2, "not_very_good": 1, "hard_to_say": 1},
}
NEEDS = ("Trūkst piemērotu ražošanas telpu un mājokļu jaunajiem darbiniekiem.",
         "Vajadzīgs lielāks valsts līdzfinansējums un vienkāršāka grantu administrēšana.",
         "Palīdzētu mentoru programma un konsultācijas uzņēmējdarbības uzsākšanai.",
         "Trūkst kvalificēta darbaspēka; vajadzīga labāka sabiedriskā transporta satiksme.")
PLANNED = ("Informatīvi materiāli un tiešsaistes tikšanās ar diasporu; konsultācijas remigrantu ģimenēm.",
           "Grantu konkurss jaunajiem uzņēmējiem un atbalsts speciālistu mājokļiem.")
PURPOSES = ("Informatīvie materiāli un tīmekļvietnes sadaļa", "Diasporas salidojums", "Konsultācijas remigrantiem",
            "Vasaras nometne diasporas bērniem")


def deck(counts: dict[Any, int], n: int, rng: random.Random) -> list[Any]:
    """``n`` answers with the given counts (topped up at random, or cut), shuffled."""
    cards = [code for code, k in counts.items() for _ in range(k)]
    cards += rng.choices(list(counts), weights=list(counts.values()), k=max(0, n - len(cards)))
    rng.shuffle(cards)
    return cards[:n]


def pick(rng: random.Random, weights: dict[Any, float]) -> Any:
    """One key of ``weights``, drawn with those weights."""
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def yes(rng: random.Random, p: float, dont_know: float = 0.0) -> str:
    """A yes/no/hard-to-say code: "yes" with probability ``p``, "hard_to_say" with ``dont_know``."""
    r = rng.random()
    return "yes" if r < p else "hard_to_say" if r < p + dont_know else "no"


NO_PLAN_REASONS = ("no_national_policy", "lack_of_funding", "no_remigrant_demand", "no_housing_stock",
                   "population_growing", "remigration_happens_unaided", "geopolitical_priorities")
NO_MEASURE_REASONS = ("can_return_unaided", "lack_of_finance", "not_municipal_function", "lack_of_specialists")


def plans_answers(plans: str, facts: dict[str, list[Any]], rng: random.Random) -> dict[str, Any]:
    """Section "plans": the dealt answer, with the measures or reasons the municipality gave in 2022 if any."""
    if plans == "yes":
        return {"plans_measures_next_5y": plans,
                "planned_measures_next_5y": planned_text(facts.get("planned_measures_next_5y", []))
                or rng.choice(PLANNED)}
    given = sorted(set(facts.get("reasons_no_planned_measures", [])) & set(NO_PLAN_REASONS))
    return {"plans_measures_next_5y": plans,
            "reasons_no_planned_measures": given or rng.sample(NO_PLAN_REASONS, rng.randint(1, 2))}


def five_year_measures(a: dict[str, Any], measures: list[dict[str, Any]], facts: dict[str, list[Any]],
                       rng: random.Random) -> dict[str, Any]:
    """Section "measures in the last five years", consistent with the study's named measures and the answers
    ``a`` of the other sections: a count is never below the number of measures the study names."""
    out: dict[str, Any] = {}
    for key, (without, mean, sd) in TABLE_16.items():
        named = sum(1 for m in measures if m["category"] == STUDY_CATEGORY[key])
        if key == "business_grants":
            named = max(named, len(a["grant_programmes"]))
        never = key == "job_creation" and 0 in facts.get("measures_5y_count_job_creation", [])
        if named == 0 and rng.random() < (0.7 if never else without / 41):
            out[f"measures_5y_count_{key}"] = 0
        else:  # a gamma draw with the survey's mean and s.d.
            draw = round(rng.gammavariate((mean / sd) ** 2, sd * sd / mean))
            out[f"measures_5y_count_{key}"] = max(named, 1, min(15, draw))
    kinds = {r["activity_type"] for r in a["diaspora_activities"]}
    types = {
        "business_start_support": out["measures_5y_count_business_grants"] > 0 and rng.random() < 0.8,
        "training_support": rng.random() < 0.5, "emigrant_database": a["emigrant_database"] == "yes",
        "cooperation_events_with_emigrants": bool(kinds & {"reunion", "camp", "thank_you_event"}),
        "support_for_returning_families_pupils": a["extra_latvian_lessons"] == "yes",
        "housing_support": out["measures_5y_count_housing"] > 0 and rng.random() < 0.5,
        "job_search_support": a["vacancies_published"] == "also_private" or rng.random() < 0.25,
        "website_information": a["return_page_published"] == "yes",
        "meetings_with_diaspora_abroad": "visit_abroad" in kinds,
        "designated_contact_person": a["inquiry_routing"] in ("municipal_remigration_coordinator",
                                                              "specialist_with_remigration_duties"),
    }
    none = not any(out.values())
    out["measures_5y_types"] = [] if none else [code for code, chosen in types.items() if chosen]
    out["reasons_no_remigration_measures"] = rng.sample(NO_MEASURE_REASONS, rng.randint(1, 2)) if none else None
    names = [m["name_lv"] for m in measures if m["category"] == "housing" or m["subcategory"] in REMIGRANT_SUPPORT]
    out["support_offered_to_remigrants"] = "; ".join(
        ["Individuālas konsultācijas par dzīvesvietu, darbu, bērnudārzu un skolu"] + names[:4]) + "."
    return out


# ------------------------------------------------------------------------------------------- fictional people

FEMALE = ("Anna", "Ilze", "Inese", "Kristīne", "Laura", "Līga", "Dace", "Evija", "Santa", "Zane", "Agnese",
          "Sanita", "Madara", "Elīna", "Iveta", "Baiba")
MALE = ("Jānis", "Andris", "Mārtiņš", "Edgars", "Kārlis", "Artūrs", "Māris", "Raivis", "Toms", "Roberts",
        "Aivars", "Uldis", "Gints", "Dāvis")
# (masculine, feminine) forms: Latvian surnames agree with the person's gender
SURNAMES = (("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozols", "Ozola"), ("Jansons", "Jansone"),
            ("Liepiņš", "Liepiņa"), ("Krūmiņš", "Krūmiņa"), ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"),
            ("Vītols", "Vītola"), ("Kļaviņš", "Kļaviņa"), ("Eglītis", "Eglīte"), ("Lapiņš", "Lapiņa"),
            ("Siliņš", "Siliņa"), ("Balodis", "Balode"), ("Kārkliņš", "Kārkliņa"), ("Vanags", "Vanaga"),
            ("Lācis", "Lāce"), ("Ābols", "Ābola"))
# (masculine, feminine) job titles, by how the municipality routes remigrants' questions
POSITIONS = {
    "municipal_remigration_coordinator": ("Remigrācijas koordinators", "Remigrācijas koordinatore"),
    "specialist_with_remigration_duties": ("Attīstības nodaļas projektu vadītājs",
                                           "Attīstības nodaļas projektu vadītāja"),
    "competent_specialist": ("Uzņēmējdarbības atbalsta speciālists", "Uzņēmējdarbības atbalsta speciāliste"),
    "regional_coordinator": ("Sabiedrisko attiecību speciālists", "Sabiedrisko attiecību speciāliste"),
    "other": ("Klientu apkalpošanas centra vadītājs", "Klientu apkalpošanas centra vadītāja"),
}
SECOND_POSITION = ("Izglītības pārvaldes speciālists", "Izglītības pārvaldes speciāliste")


def fictional_person(rng: random.Random) -> tuple[str, str, bool]:
    """(first name, surname, is_female), combined at random from the lists above."""
    female = rng.random() < 0.6  # an arbitrary mix: the demo should show both forms of Latvian surnames
    pair = rng.choice(SURNAMES)
    return (rng.choice(FEMALE if female else MALE), pair[1] if female else pair[0], female)


def ascii_local_part(first: str, last: str) -> str:
    """``Kārlis``, ``Kļaviņš`` → ``karlis.klavins`` (e-mail addresses without diacritics)."""
    text = unicodedata.normalize("NFKD", f"{first}.{last}".lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fictional_phone(rng: random.Random) -> str:
    """A phone number in a block of zeros, so that demo data never rings a real person."""
    return f"+371 6000 0{rng.randint(0, 999):03d}"
