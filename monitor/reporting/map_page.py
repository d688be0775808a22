"""The map block of an indicator page (national, or one planning region with ``?region=``): the municipalities'
own figures from the snapshot's ``units``, drawn by ``maps.choropleth`` beside their data table."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any, Callable, Iterable

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from reports.model import payload_number as _number
from ..extensions import db
from ..locale import current_locale
from ..registry.models import Municipality
from . import maps
from .charts import fmt

#: computations with one number per municipality (see ``reports.compile.UNIT_LEVEL``); a median, sd, mode, min,
#: max or cross-tabulation of one answer says nothing more, so those pages have no map
MAPPED = ("share", "count", "mean", "sum", "sum_eur")


def _collation_key(text: str) -> list[tuple[str, int]]:
    """Latvian alphabetical order: a letter with a diacritic right after its base letter (as in audit.views)."""
    return [(unicodedata.normalize("NFD", ch)[0], len(unicodedata.normalize("NFD", ch))) for ch in text.casefold()]


def _legend_note(computation: str) -> str:
    if computation == "share":
        return _("Each municipality's own answer: 100 % — in the counted answers, 0 % — not.")
    if computation == "count":
        return _("Each municipality's own answer: 1 — counted, 0 — not.")
    if computation == "mean":
        return _("Each municipality's own answer.")
    return _("Each municipality's own total.")


def indicator_map(year: int, snapshot: Any, item: dict[str, Any], region: str | None,
                  openable: set[str] | None, *, units: Iterable[dict[str, Any]] | None = None,
                  withhold: Callable[[dict[str, Any]], str | None] | None = None) -> dict[str, Any] | None:
    """The map, its rows and the region links for an indicator page; ``None`` where the indicator has no single
    number per municipality. ``region`` is a known planning-region slug (the caller answers 404 otherwise);
    ``openable``: the municipalities whose benchmark page the user may open (``None``: all).

    ``units``: the snapshot's unit entries to draw (default: all of them; the others are "no data");
    ``withhold``: figure → the text shown instead of its value, or None to show it (public pages)."""
    if item["computation"] not in MAPPED or isinstance(item["national"].get("value"), (dict, list)):
        return None
    locale = current_locale()
    places = db.session.scalars(select(Municipality)).all()
    names = {m.slug: m.name(locale) for m in places}
    kinds = {m.slug: m.kind for m in places}
    regions = {m.slug: m.region.slug for m in places}
    region_names = {m.region.slug: m.region.name(locale) for m in places}
    key = item["key"]
    values: dict[str, tuple[Decimal | None, int | None]] = {}
    withheld: dict[str, str] = {}
    for unit in snapshot.payload.get("units", []) if units is None else units:
        figure = (unit.get("figures") or {}).get(key)
        if figure is None:
            continue
        text = withhold(figure) if withhold is not None else None
        if text:
            withheld[unit["unit"]] = text
        values[unit["unit"]] = (_number(figure.get("value")) if figure.get("n") and not text else None,
                                figure.get("n"))
    unit_text = {"share": "%", "sum_eur": "EUR"}.get(item["computation"], "")
    query = {"snapshot": snapshot.id}
    links = {slug: url_for("reports.municipality", year=year, slug=slug, **query)
             for slug in names if openable is None or slug in openable}
    title = item["title_en"] if locale == "en" else item["title_lv"]
    region_name = region_names.get(region, "") if region else ""
    svg = maps.choropleth(
        f"{title} — {region_name}" if region else title, values, names=names, unit=unit_text,
        no_data_label=_("no data"), kinds=kinds, region=region, regions=regions, region_name=region_name,
        links=links, legend_note=_legend_note(item["computation"]), withheld=withheld)
    rows = []
    for slug in sorted(names, key=lambda s: (_collation_key(region_names.get(regions[s], "")),
                                             _collation_key(names[s]))):
        if region and regions[slug] != region:
            continue
        value, n = values.get(slug, (None, None))
        shown = None if value is None else f"{fmt(value, 2)} {unit_text}".rstrip()
        rows.append({"slug": slug, "name": names[slug], "link": links.get(slug), "value": withheld.get(slug) or shown,
                     "n": n, "region": region_names.get(regions[slug], ""), "counted": slug in values})
    others = sorted(region_names.items(), key=lambda r: _collation_key(r[1]))
    return {"svg": svg, "rows": rows, "region": region, "region_name": region_name, "regions": others,
            "query": query}
