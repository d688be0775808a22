"""The 2022 survey, whole, through the history import: every published 2022 figure with a value is reproduced
from the database, or listed in ``NOT_REPRODUCIBLE`` with the reason.

The 41 records of ``seed_2022`` are written into a workbook in the researchers' benchmark layout by the
project's own writer, read back by the bulk reader, stored by ``import_history`` as approved imported returns,
and compiled by ``compile_snapshot(2022)``; the checks read the stored snapshot's payload. Published numbers are
compared as printed: counts exactly, other numbers rounded half up to the places the reference value carries.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from sqlalchemy import select

from forms import get_definition

from .seed_2022 import BASELINE, MUNICIPALITIES, records_2022

YEAR = 2022
SCOPES = {"national": "national", "Rīga": "riga-region", "Vidzeme": "vidzeme-region",
          "Kurzeme": "kurzeme-region", "Zemgale": "zemgale-region", "Latgale": "latgale-region"}

#: ``indicator_key/scope/unit`` of published 2022 figures with a value that the 41 imported returns do not
#: reproduce exactly, and why (the unit tells apart a count and a percentage of the same answer)
NOT_REPRODUCIBLE: dict[str, str] = {
    "remigration_promotion_topicality.very_topical/national/percent":
        "14 % is 6 of 42 forms; with one return per municipality the base is 41 and 6/41 prints 15 %",
    "remigration_promotion_topicality.not_topical/national/percentage_points":
        "+7 pp is a change against a 2017 level the seed report does not give; no 2022 level to reproduce",
    "support_programmes_needed.not_necessary_any_degree/national/percent":
        "21 % is 9 of 42 forms; of 41 returns 8 print 20 % and 9 print 22 %",
    "support_programmes_needed.very_or_rather_necessary/national/percent":
        "'four out of five' in words (not exact); 9 + 23 = 32 of 41 is 78 %",
    "remigration_policy_competence.state_any_degree/national/count":
        "24 shared + 18 state = 42 forms; 41 returns hold 24 + 17",
    "state_support_sufficiency_score.share_5_or_6/national/percent":
        "a lower bound ('more than 70 %'), not a value; checked as a bound below",
    "housing_shortage_topicality.very_topical/Zemgale/percent":
        "given as a fraction ('2/3'), not exact; the returns give 4 of 6 = 66.7 %",
    "remigration_budget_eur_2022.increased_municipalities/national/eur":
        "an upper bound ('less than EUR 10 thousand'); checked as a bound below",
    "measures_5y_types.business_start_support/national/percent":
        "no count of 41 prints 58 % rounded half up (23/41 = 56.1 %, 24/41 = 58.5 %); the base of Att. 32 is not "
        "stated",
    "measures_5y_types.emigrant_database/national/percent": "an upper bound ('below 10 %'); checked below",
    "measures_5y_types.cooperation_events_with_emigrants/national/percent":
        "an upper bound ('below 10 %'); checked below",
    "inquiry_routing.specialist_with_remigration_duties/national/count":
        "Table 19 lists Saldus twice (42 forms); one Saldus return gives 18",
    "inquiry_routing.no_information/national/count":
        "Balvi and Ķekava gave no routing; Dienvidkurzeme's is not published either, so 3 returns have none",
}


def published() -> list[dict[str, Any]]:
    """Every 2022 survey figure of the reference data that has a value."""
    return [e for e in BASELINE["survey_2022"] if e.get("value") is not None]


def entry_id(entry: dict[str, Any]) -> str:
    return f"{entry['indicator_key']}/{entry['scope']}/{entry['unit']}"


def as_printed(value: Any, reference: float | int) -> Decimal:
    """``value`` rounded half up to the places the reference value is written with (14 → 0, 4.92 → 2)."""
    text = repr(reference)
    places = len(text.split(".")[1]) if "." in text else 0
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------------------------- the import

def workbook() -> bytes:
    """The 41 records in the benchmark layout, written by the project's own writer."""
    from reports.excel import ExportUnit, WorkbookInfo
    from reports.excel.benchmark import write_benchmark_workbook

    names = {m["slug"]: m["name_lv"] for m in MUNICIPALITIES["municipalities"]}
    units = [ExportUnit(r.unit, names[r.unit], r.region, r.region, YEAR, "approved", r.values)
             for r in records_2022()]
    info = WorkbookInfo(generated_at=dt.datetime(2023, 1, 31, tzinfo=dt.timezone.utc), years=(YEAR,),
                        statuses=("approved",))
    out = io.BytesIO()
    write_benchmark_workbook(out, definitions={YEAR: get_definition(YEAR)}, units=units, reports={}, info=info)
    return out.getvalue()


def import_and_compile() -> dict[str, Any]:
    """Read the workbook, import it as the 2022 history and compile; → the snapshot's payload."""
    from monitor.auth.models import User
    from monitor.excel.operations import import_history
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.reporting.operations import compile_snapshot, load_reference_data
    from reports.excel.bulk import read_bulk

    actor = db.session.scalar(select(User).where(User.email == "admin@test.lv"))
    known = set(db.session.scalars(select(Municipality.slug)))
    upload = read_bulk(workbook(), definitions=get_definition, known_units=known, year=YEAR)
    assert upload.problems == []
    outcome = import_history(YEAR, upload, actor, source_name="seed_2022.xlsx")
    assert outcome.saved and outcome.created == 41, outcome.problems
    load_reference_data()
    problems: list[dict[str, str]] = []
    snapshot, _ = compile_snapshot(YEAR, problems=problems)
    assert problems == []
    db.session.commit()
    return snapshot.payload


@pytest.fixture
def payload(app, users):
    with app.app_context():
        return import_and_compile()


# ------------------------------------------------------------------------------------------- the figures

def figure(payload: dict[str, Any], key: str, scope: str) -> dict[str, Any]:
    entry = next(i for i in payload["indicators"] if i["key"] == key)
    return entry["national"] if scope == "national" else entry["regions"][scope]


def computed(payload: dict[str, Any], entry: dict[str, Any]) -> Any:
    """The compiled counterpart of one published figure, in the published unit."""
    key, scope, unit = entry["indicator_key"], SCOPES[entry["scope"]], entry["unit"]
    if key == "grant_uptake_vs_state_support.r_squared":
        table = next(t for t in payload["tables"] if t["key"] == "state_support_vs_grant_uptake")
        return table["summary"]["r_squared"]
    if ".by_info_exchange." in key:  # a Table 17 cell of the crosstab figure
        question, row, _, col = key.split(".")
        cells = figure(payload, f"{question}.by_info_exchange", scope)["value"]
        return cells["counts"][cells["rows"].index(row)][cells["cols"].index(col)]
    found = figure(payload, key, scope)
    if unit == "count":
        return found["numerator"] if found["numerator"] is not None else found["value"]
    if unit == "mode_score":
        (mode,) = found["value"]  # one most frequent value
        return mode
    return found["value"]


def test_every_published_2022_figure_is_reproduced_or_listed(payload):
    assert payload["n_units"] == 41
    ids = [entry_id(e) for e in published()]
    assert len(ids) == len(set(ids))  # the table's keys name one figure each
    assert set(NOT_REPRODUCIBLE) <= set(ids)  # nothing listed that is not published
    reproduced, wrong = [], []
    for entry in published():
        if entry_id(entry) in NOT_REPRODUCIBLE:
            continue
        value = computed(payload, entry)
        if entry["unit"] == "count":
            ok = value == entry["value"]
        else:
            ok = value is not None and as_printed(value, entry["value"]) == as_printed(entry["value"],
                                                                                     entry["value"])
        (reproduced if ok else wrong).append((entry_id(entry), entry["value"], value))
    assert wrong == []
    assert len(reproduced) + len(NOT_REPRODUCIBLE) == len(published())
    assert (len(reproduced), len(NOT_REPRODUCIBLE)) == (94, 13)  # of the 107 published with a value


def test_the_listed_bounds_hold(payload):
    assert Decimal(figure(payload, "state_support_sufficiency_score.share_5_or_6", "national")["value"]) > 70
    largest = figure(payload, "remigration_budget_eur_2022.increased_municipalities", "national")
    assert Decimal(largest["value"]) < 10000 and largest["n"] == 7  # over the 7 whose budget increased only
    for code in ("emigrant_database", "cooperation_events_with_emigrants"):
        assert Decimal(figure(payload, f"measures_5y_types.{code}", "national")["value"]) < 10


def test_named_municipalities_of_plans_and_reasons(payload):
    tables = {t["key"]: t for t in payload["tables"]}
    reasons = {r["key"]: set(r["cells"][2]) for r in tables["reasons_no_planned_measures_units"]["rows"]}
    named: dict[str, set[str]] = {}
    slug = {m["name_lv"]: m["slug"] for m in MUNICIPALITIES["municipalities"]}
    for entry in BASELINE["per_municipality_2022"]:
        for fact in entry["facts"]:
            if fact["key"] == "reasons_no_planned_measures":
                named.setdefault(fact["value"], set()).add(slug[entry["municipality"]])
    assert {code: units for code, units in reasons.items() if units and code != "no_answer"} == named
    planned = {r["key"] for r in tables["planned_measures_next_5y_by_unit"]["rows"]}
    assert planned == {slug[e["municipality"]] for e in BASELINE["per_municipality_2022"]
                       for f in e["facts"] if f["key"] == "planned_measures_next_5y"}
    plans = {r["key"]: r["cells"][0] for r in tables["plans_next_5y_units"]["rows"]}
    assert (plans["yes"], plans["no"], plans["hard_to_say"]) == (18, 3, 20)
    budget = {r["key"]: r["cells"][0] for r in tables["budget_change_since_2017_units"]["rows"]}
    assert budget["unchanged"] == 22
