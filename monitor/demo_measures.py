"""Reference material for the demo dataset: the study's named measures, the 2022 survey facts, fictional people.

The demo returns (``monitor.demo_data``) are built from two reference files of the 2023 University of Latvia
study: ``municipal-facts.json`` (named support measures per municipality) and ``survey-baseline.json`` (what
each municipality answered in the 2022 survey). This module turns those facts into raw answers (grant
programme rows, diaspora activity rows, survey answers); everything the study does not say is left to the
caller's random draws.

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
        supported = max(1, round(evaluated * rng.uniform(0.2, 0.6)))
        remigrants_only = m["subcategory"] == "remigrant_business_grant"
        rows.append({
            "name": name,
            "kind": GRANT_KINDS.get(m["subcategory"], "other"),
            "eligibility": "remigrants_only" if remigrants_only else "open_to_all",
            "max_grant_eur": amount if basis == "per_grant_max" else None,
            "total_fund_eur": amount if basis.startswith("programme_total") or basis in TOTAL_BASES else None,
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


def activity_row(kind: str, note: str | None, rng: random.Random, year: int) -> dict[str, Any]:
    """One raw ``diaspora_activities`` row of ``kind`` held in ``year`` (camps and reunions in summer)."""
    first, last = (dt.date(year, 6, 1), dt.date(year, 8, 31)) if kind in SUMMER else (
        dt.date(year, 1, 15), dt.date(year, 12, 15))
    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    online = "yes" if kind in ONLINE else (None if kind == "booklet" else "no")
    return {
        "activity_type": kind,
        "activity_date": day,
        "is_online": online,
        "country": rng.choice(ABROAD) if kind == "visit_abroad" else ("Latvija" if online == "no" else None),
        "participants": None if kind in NO_HEADCOUNT else rng.randint(8, 30 if kind == "camp" else 120),
        "activity_note": note,
    }


def diaspora_rows(measures: list[dict[str, Any]], rng: random.Random, year: int) -> list[dict[str, Any]]:
    """Rows for the municipality's named diaspora measures; the study's name goes into the note."""
    return [activity_row(ACTIVITY_TYPES.get(m["subcategory"], "other"), m["name_lv"][:300], rng, year)
            for m in measures if m["category"] == "diaspora"]


def planned_text(values: list[Any]) -> str | None:
    """The 2022 survey's planned measures, in Latvian (the file adds an English gloss in brackets)."""
    parts = [str(v).split(" (", 1)[0].strip() for v in values if v]
    return "; ".join(p[:1].upper() + p[1:] for p in parts) or None


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
    female = rng.random() < 0.7  # most municipal development and PR staff in the study's interviews are women
    pair = rng.choice(SURNAMES)
    return (rng.choice(FEMALE if female else MALE), pair[1] if female else pair[0], female)


def ascii_local_part(first: str, last: str) -> str:
    """``Kārlis``, ``Kļaviņš`` → ``karlis.klavins`` (e-mail addresses without diacritics)."""
    text = unicodedata.normalize("NFKD", f"{first}.{last}".lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def fictional_phone(rng: random.Random) -> str:
    """A phone number in a block of zeros, so that demo data never rings a real person."""
    return f"+371 6000 0{rng.randint(0, 999):03d}"
