"""What the open-data API returns, as plain JSON data (dicts with the keys ``schemas`` documents).

Only public things: the published copies of approved returns (never returns, answers or review comments; the
contacts a profile lists are those whose own answer says "publish"), and aggregates of the latest report snapshot
compiled from approved returns only. A value that counts 1 or 2 people (unit ``persons``) is never given: it is
``null`` with ``suppressed: true`` — the same rule, from the same function, as the public figures pages.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable

from flask import url_for
from sqlalchemy import select

from ..extensions import db
from ..public import queries as public_queries
from ..public.disclosure import THRESHOLD, counts_people, public_value
from ..public.models import PublishedProfile
from ..public.search import MeasureHit, MeasurePage
from ..registry.models import Municipality, PlanningRegion
from ..reporting.models import ReportSnapshot

#: people counts from 1 up to below this are suppressed — the public pages' rule, defined once in disclosure.py
SMALL_COUNT = THRESHOLD
#: the only report snapshots the public API reads: compiled from approved returns only
PUBLIC_STATUSES = "approved"
#: the licence of the data (stated on the documentation page and in every list's ``licence``)
LICENCE = {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.01')):f}"


def _time(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _text(lv: str | None, en: str | None) -> dict[str, str | None] | None:
    return None if lv is None else {"lv": lv, "en": en}


def _place(slug: str, name_lv: str, name_en: str) -> dict[str, str]:
    return {"slug": slug, "name_lv": name_lv, "name_en": name_en}


def _profile_url() -> Any:
    """``slug → the profile page's absolute URL`` (url_for once per response, not once per measure)."""
    pattern = url_for("public.profile", slug="SLUG", _external=True)
    head, tail = pattern.rsplit("SLUG", 1)
    return lambda slug: f"{head}{slug}{tail}"


def measure(hit: MeasureHit, profile_url: Any) -> dict[str, Any]:
    return {
        "id": hit.id, "key": hit.key, "year": hit.year, "kind": hit.kind, "who": hit.who,
        "title": _text(hit.title_lv, hit.title_en), "description": _text(hit.description_lv, hit.description_en),
        "amount_min_eur": _money(hit.amount_min_eur), "amount_max_eur": _money(hit.amount_max_eur),
        "how_to_apply": _text(hit.how_to_apply_lv, hit.how_to_apply_en), "links": hit.links,
        "municipality": {**_place(hit.municipality_slug, hit.municipality_name_lv, hit.municipality_name_en),
                         "profile_url": profile_url(hit.municipality_slug)},
        "region": _place(hit.region_slug, hit.region_name_lv, hit.region_name_en),
        "approved_at": _time(hit.approved_at),
    }


def measure_page(page: MeasurePage, page_url: Any) -> dict[str, Any]:
    """``page_url(n)``: the URL of page ``n`` of the same search."""
    q = page.query
    profile_url = _profile_url()
    return {"total": page.total, "page": q.page, "per_page": q.per_page, "pages": page.pages,
            "next": page_url(q.page + 1) if page.has_next else None,
            "previous": page_url(q.page - 1) if page.has_previous else None,
            "licence": LICENCE, "items": [measure(h, profile_url) for h in page.items]}


MEASURE_CSV = ("id", "municipality", "municipality_name_lv", "municipality_name_en", "region", "year", "kind",
               "who", "title_lv", "title_en", "description_lv", "description_en", "amount_min_eur",
               "amount_max_eur", "approved_at", "profile_url")


def measure_rows(page: MeasurePage) -> Iterable[tuple[Any, ...]]:
    profile_url = _profile_url()
    for h in page.items:
        yield (h.id, h.municipality_slug, h.municipality_name_lv, h.municipality_name_en, h.region_slug, h.year,
               h.kind, h.who, h.title_lv, h.title_en, h.description_lv, h.description_en, h.amount_min_eur,
               h.amount_max_eur, _time(h.approved_at),
               profile_url(h.municipality_slug))


# ------------------------------------------------------------------------------------------- municipalities

def municipalities(slug: str | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every municipality (or the one of ``slug``) with its region and its profile in force (``None``: nothing
    approved yet) — exactly what its public profile page shows."""
    statement = (select(Municipality, PlanningRegion).join(PlanningRegion, PlanningRegion.id == Municipality.region_id)
                 .order_by(Municipality.slug))
    if slug is not None:
        statement = statement.where(Municipality.slug == slug)
    rows = db.session.execute(statement).all()
    profiles = {p.municipality_id: p for p in db.session.scalars(
        select(PublishedProfile).where(PublishedProfile.is_latest.is_(True),
                                       PublishedProfile.municipality_id.in_([m.id for m, _r in rows])))}
    current_year = public_queries.current_reporting_year(today) if today is not None else None
    return [{**_place(m.slug, m.name_lv, m.name_en),
             "region": _place(r.slug, r.name_lv, r.name_en),
             "profile_url": url_for("public.profile", slug=m.slug, _external=True),
             "profile": _profile(profiles.get(m.id), current_year)} for m, r in rows]


def _profile(profile: PublishedProfile | None, current_year: int | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    content = profile.content
    return {"year": profile.year, "definition_version": profile.definition_version,
            "approved_at": _time(profile.approved_at), "origin": profile.origin,
            "may_be_out_of_date": public_queries.is_out_of_date(profile.year, current_year),
            "measures": content["measures"], "contacts": content["contacts"], "links": content["links"]}


MUNICIPALITY_CSV = ("slug", "name_lv", "name_en", "region", "profile_year", "approved_at", "origin",
                    "may_be_out_of_date", "measures", "contacts", "profile_url")


def municipality_rows(items: list[dict[str, Any]]) -> Iterable[tuple[Any, ...]]:
    for m in items:
        p = m["profile"] or {}
        yield (m["slug"], m["name_lv"], m["name_en"], m["region"]["slug"], p.get("year"), p.get("approved_at"),
               p.get("origin"), p.get("may_be_out_of_date"), len(p.get("measures", [])) if p else None,
               len(p.get("contacts", [])) if p else None, m["profile_url"])


# ------------------------------------------------------------------------------------ report aggregates

def public_snapshot(year: int | None) -> ReportSnapshot | None:
    """The latest snapshot of ``year`` (None: of the newest year that has one) compiled from approved returns
    only."""
    statement = select(ReportSnapshot).where(ReportSnapshot.statuses == PUBLIC_STATUSES)
    if year is not None:
        statement = statement.where(ReportSnapshot.year == year)
    return db.session.scalar(statement.order_by(ReportSnapshot.year.desc(), ReportSnapshot.id.desc()).limit(1))


def snapshot_info(snapshot: ReportSnapshot) -> dict[str, Any]:
    return {"id": snapshot.id, "year": snapshot.year, "compiled_at": _time(snapshot.compiled_at),
            "definition_version": snapshot.definition_version, "statuses": snapshot.statuses.split(",")}


def areas(payload: dict[str, Any]) -> list[str]:
    return ["national", *[r["slug"] for r in payload.get("regions", [])]]


def indicator_value(unit: str, figure: dict[str, Any]) -> dict[str, Any]:
    """One figure for the API: its value with its base, under the public pages' disclosure rule
    (``monitor.public.disclosure.public_value``: people counts of 1–2 are withheld)."""
    value, suppressed = public_value({"unit": unit}, figure)
    return {"value": value, "suppressed": suppressed,
            "suppressed_reason": f"fewer_than_{SMALL_COUNT}" if suppressed else None,
            "n": figure.get("n", 0), "numerator": None if counts_people({"unit": unit}) else figure.get("numerator"),
            "n_dont_know": figure.get("n_dont_know", 0), "n_missing": figure.get("n_missing", 0)}


def indicators(snapshot: ReportSnapshot, area: str | None) -> dict[str, Any]:
    payload = snapshot.payload
    wanted = areas(payload) if area is None else [area]
    out = []
    for item in payload["indicators"]:
        figures = {"national": item["national"], **item["regions"]}
        values = {a: indicator_value(item["unit"], f) for a, f in figures.items()}
        out.append({"key": item["key"], "title": {"lv": item["title_lv"], "en": item["title_en"]},
                    "question_keys": item["fields"], "computation": item["computation"], "unit": item["unit"],
                    "values": {a: values[a] for a in wanted if a in values}})
    return {"snapshot": snapshot_info(snapshot), "areas": wanted, "small_count_threshold": SMALL_COUNT,
            "caveats": [{"key": c["key"], "lv": c["lv"], "en": c["en"]} for c in payload.get("caveats", [])],
            "licence": LICENCE, "indicators": out}


INDICATOR_CSV = ("year", "area", "key", "unit", "computation", "value", "suppressed", "n", "numerator",
                 "n_dont_know", "n_missing")


def indicator_rows(data: dict[str, Any]) -> Iterable[tuple[Any, ...]]:
    year = data["snapshot"]["year"]
    for item in data["indicators"]:
        for area, v in item["values"].items():
            value = v["value"] if not isinstance(v["value"], (dict, list)) else None
            yield (year, area, item["key"], item["unit"], item["computation"], value, v["suppressed"], v["n"],
                   v["numerator"], v["n_dont_know"], v["n_missing"])


def _coverage_scope(c: dict[str, Any]) -> dict[str, Any]:
    return {"expected": c["expected"], "counted": c["counted"], "counted_statuses": c["counted_statuses"],
            "returns_by_status": c["returns_by_status"], "missing": c["missing"],
            "missing_with_return": c["missing_with_return"]}


def coverage(snapshot: ReportSnapshot) -> dict[str, Any]:
    c = snapshot.payload.get("coverage")
    return {"snapshot": snapshot_info(snapshot), "licence": LICENCE,
            "national": _coverage_scope(c) if c else None,
            "regions": {slug: _coverage_scope(r) for slug, r in (c or {}).get("regions", {}).items()}}


COVERAGE_CSV = ("year", "area", "expected", "counted", "missing")


def coverage_rows(data: dict[str, Any]) -> Iterable[tuple[Any, ...]]:
    year = data["snapshot"]["year"]
    scopes = [("national", data["national"]), *data["regions"].items()] if data["national"] else []
    for area, c in scopes:
        yield (year, area, c["expected"], c["counted"], ";".join(c["missing"]))
