"""The public comparative figures (issue 12, part 3): the national and regional indicators of the latest report
compiled from approved returns, with the researchers' charts, series and map — aggregates only. No login.

Only snapshots that counted approved returns alone (``statuses == "approved"``) are shown: a later compilation that
also counted submitted returns is passed over for the latest approved-only one of its year. Every value goes
through ``disclosure.public_value`` (people counts of 1–2 read "fewer than 3"); the map colours only municipalities
whose return is approved in the snapshot and links nowhere. Caching follows the profiles (``public.views``): a
weak ETag from the snapshots shown and the language, ``Cache-Control: public``, 304 without rendering, no session
written for anonymous visitors.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import Any

from flask import Blueprint, Response, abort, current_app, request
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import func, select

from forms import get_definition
from reports.summary import summarise

from reports.model import payload_number as charts_number
from ..extensions import db
from ..locale import current_locale, report_number
from ..reporting import charts
from ..reporting.map_page import indicator_map
from ..reporting.models import ReportSnapshot
from ..reporting.presentation import chart_units, is_small_base, one_per_reference, page_notes, sections_of
from ..reporting.queries import place_names
from ..reporting.series import Point, indicator_series
from .disclosure import THRESHOLD, public_value
from .views import _cacheable, _page

bp = Blueprint("figures", __name__)

APPROVED_ONLY = "approved"  # ``ReportSnapshot.statuses`` of a compilation that counted approved returns alone
CHARTED = ("share", "mean", "median", "count", "sum", "sum_eur")


# ------------------------------------------------------------------------------------------------ queries

def approved_snapshot_ids() -> dict[int, int]:
    """Per year: the id of its latest compilation that counted approved returns only (metadata only)."""
    rows = db.session.execute(select(ReportSnapshot.year, func.max(ReportSnapshot.id))
                              .where(ReportSnapshot.statuses == APPROVED_ONLY).group_by(ReportSnapshot.year)).all()
    return {int(year): int(snapshot_id) for year, snapshot_id in rows}


def approved_summaries(ids: dict[int, int]) -> dict[int, tuple[ReportSnapshot, dict[str, Any]]]:
    """Per year of ``ids``: (snapshot, its summary) — what the year selector and the series read."""
    rows = db.session.scalars(select(ReportSnapshot).where(ReportSnapshot.id.in_(list(ids.values())))).all()
    return {s.year: (s, s.summary if s.summary is not None else summarise(s.payload)) for s in rows}


def _counted(summary: dict[str, Any]) -> int:
    coverage = summary.get("coverage") or {}
    return int(coverage.get("counted", summary.get("n_units", 0)) or 0)


def default_year(summaries: dict[int, tuple[ReportSnapshot, dict[str, Any]]]) -> int | None:
    """The latest year whose approved-only report counts a return; else the latest with such a report."""
    with_returns = [y for y, (_s, summary) in summaries.items() if _counted(summary) >= 1]
    return max(with_returns or summaries or [None])  # type: ignore[type-var]


def public_items(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The indicators the public pages show: every one whose value is a number or a list of values (a
    cross-tabulation needs its row and column labels, which the payload has only as codes)."""
    return [i for i in payload["indicators"] if not isinstance((i.get("national") or {}).get("value"), dict)]


def approved_units(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The municipalities whose return is approved in the snapshot: the only ones the public map shows."""
    return [u for u in payload.get("units", []) if u.get("status") == APPROVED_ONLY]


# ---------------------------------------------------------------------------------------- presentation

def fewer_than() -> str:
    return _("fewer than %(n)s", n=THRESHOLD)


_SUFFIX = {"percent": "\u00a0%", "eur": "\u00a0EUR"}  # a no-break space: the unit stays with its number


def shown(item: dict[str, Any], figure: dict[str, Any] | None, year: int | None = None) -> Markup:
    """A figure's value as the public reads it: the number with its unit, "fewer than 3", or "no data"."""
    value, withheld = public_value(item, figure)
    if withheld:
        return Markup('<span class="withheld">{}</span>').format(fewer_than())
    if value is None:
        return Markup('<span class="no-data">{}</span>').format(_("no data"))
    if isinstance(value, dict):
        return Markup("—")
    if isinstance(value, list):
        return escape(", ".join(_list_entry(item, v, year) for v in value))
    return escape(report_number(value, 2) + _SUFFIX.get(item.get("unit") or "", ""))


def _list_entry(item: dict[str, Any], value: Any, year: int | None) -> str:
    """One value of a list (the modes): a number, or a choice's label in the reader's language — never a code."""
    if not isinstance(value, str) or value.lstrip("-").replace(".", "", 1).isdigit():
        return report_number(value, 2)
    try:
        choice = get_definition(year).field(item["fields"][0]).choice(value)  # type: ignore[arg-type]
    except (KeyError, IndexError, TypeError, AttributeError):
        choice = None
    return choice.label(current_locale()) if choice is not None else "—"


def compared(item: dict[str, Any], figure: dict[str, Any], small: bool) -> list[dict[str, Any]]:
    """The figure's comparisons for a public page, one per reference (2017, 2022, previous year) as on the
    researchers' landing page: the reference in words (a people count of 1–2 as "fewer than 3"), its base, the
    change (none for a small base or a withheld value). The comparisons' notes are for researchers."""
    _own, own_withheld = public_value(item, figure)
    rows = []
    for c in one_per_reference(figure.get("comparisons") or []):
        against = c.get("against")
        label = {"biss_2017": "2017", "survey_2022": "2022"}.get(against, str(c.get("reference_year") or ""))
        withheld = False
        if c.get("reference_percent") is not None:
            reference = report_number(c["reference_percent"]) + "\u00a0%"
        elif c.get("reference_value") is not None:
            value, withheld = public_value(item, {"value": c["reference_value"]})
            reference = fewer_than() if withheld else _reference_text(value, c.get("reference_unit"))
        else:
            reference = _("in words")
        change = None
        if c.get("change") is not None and not small and not withheld and not own_withheld:
            text = str(c["change"])
            sign = "+" if not text.startswith("-") and text != "0" else ""
            change = f"{sign}{report_number(text)}" + (f" {_('pp')}" if c.get("change_unit") == "pp" else "")
        rows.append({"label": label, "reference": reference, "base_n": c.get("reference_base_n"),
                     "approximate": not c.get("reference_exact", True), "change": change,
                     "caveats": c.get("caveats") or [], "previous": against not in ("biss_2017", "survey_2022")})
    return rows


def _reference_text(value: Any, unit: str | None) -> str:
    """A published or previous-year figure that is not a percentage, in words with its unit (never its code)."""
    number = charts_number(value)
    if unit == "count" and number is not None and number == number.to_integral_value():
        return ngettext("%(num)d municipality", "%(num)d municipalities", int(number))
    if unit == "percentage_points":
        return f"{_('change')} {report_number(value)} {_('pp')}"
    return report_number(value, 2) + ("\u00a0EUR" if unit == "eur" else "")


def _title(item: dict[str, Any]) -> str:
    return item["title_en"] if current_locale() == "en" else item["title_lv"]


def _bar_chart(item: dict[str, Any], names: dict[str, str]) -> Markup | None:
    if item["computation"] not in CHARTED:
        return None
    bars: list[tuple[Any, ...]] = []
    for label, figure in [(_("Latvia"), item["national"]),
                          *((names.get(slug, slug), fig) for slug, fig in item["regions"].items())]:
        value, withheld = public_value(item, figure)
        bars.append((label, charts_number(value), figure.get("n", 0), fewer_than()) if withheld
                    else (label, charts_number(value), figure.get("n", 0)))
    share = item["computation"] == "share"
    return charts.bar_chart(_title(item), bars, unit="%" if share else _SUFFIX.get(item.get("unit") or "", ""),
                            no_data=_("no data"), maximum=charts_number(100) if share else None)


def public_series(item: dict[str, Any], figure: dict[str, Any], summaries: dict[int, tuple[Any, dict[str, Any]]],
                  scope: str) -> list[Point]:
    """The indicator across the years from approved-only compilations, every value through the disclosure rule."""
    points = []
    for p in indicator_series(item, figure, summaries, scope):
        value, withheld = public_value(item, {"value": p.value, "n": p.n})
        points.append(replace(p, value=None, withheld=True) if withheld else p)
    return points


def _series_chart(item: dict[str, Any], series: list[Point]) -> Markup | None:
    if not any(p.value is not None or p.withheld for p in series):
        return None
    after, caption = chart_units().get(item.get("unit") or "", ("", ""))
    return charts.series_chart(_("%(title)s across the years", title=_title(item)), series, unit=after,
                               axis_label=caption,
                               maximum=charts_number(100) if item["computation"] == "share" else None,
                               small_base=int(current_app.config["REPORT_SMALL_BASE"]), withheld=fewer_than())


def _coverage(payload: dict[str, Any], region: str | None = None) -> dict[str, Any] | None:
    found = payload.get("coverage")
    if found is None or region is None:
        return found
    return found.get("regions", {}).get(region)


# --------------------------------------------------------------------------------------------- caching

def _etag(ids: dict[int, int], *parts: object) -> str:
    """From every approved-only snapshot the pages read (the shown one, the year selector, the series), the page
    asked for, the language, the small-base setting and whether someone is signed in."""
    source = ";".join(f"{y}:{i}" for y, i in sorted(ids.items()))
    source += "|" + "|".join(str(p) for p in parts)
    source += f"|{current_locale()}|{current_app.config['REPORT_SMALL_BASE']}|{int(current_user.is_authenticated)}"
    return hashlib.sha256(source.encode()).hexdigest()[:32]


def _not_modified(etag: str) -> Response | None:
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        return _cacheable(response)
    return None


def _render(template: str, etag: str, **context: Any) -> Response:
    threshold = int(current_app.config["REPORT_SMALL_BASE"])
    response = _page(template, small_base=threshold, is_small=lambda n: is_small_base(n, threshold),
                     page_notes=page_notes, shown=shown, compared=compared, fewer_than=fewer_than, **context)
    response.set_etag(etag, weak=True)
    return response


def _snapshot_of(year: int, ids: dict[int, int]) -> ReportSnapshot:
    if year not in ids:
        abort(404)
    snapshot = db.session.get(ReportSnapshot, ids[year])
    if snapshot is None:
        abort(404)
    return snapshot


# ----------------------------------------------------------------------------------------------- pages

@bp.route("/figures")
def index():  # type: ignore[no-untyped-def]
    """The figures of one year (``?year=``), opening on the latest year with counted approved returns."""
    ids = approved_snapshot_ids()
    asked = request.args.get("year", type=int)
    summaries = approved_summaries(ids)
    year = asked or default_year(summaries)
    etag = _etag(ids, "index", year)
    if (unchanged := _not_modified(etag)) is not None:
        return unchanged
    counted = {y: _counted(summary) for y, (_s, summary) in summaries.items()}
    snapshot = db.session.get(ReportSnapshot, ids[year]) if year in ids else None
    context: dict[str, Any] = {"year": year, "years": sorted(counted, reverse=True), "counted": counted,
                               "snapshot": snapshot, "places": place_names(current_locale())}
    if snapshot is not None:
        payload = snapshot.payload
        items = public_items(payload)
        context.update(report=payload, sections=sections_of(year, items, current_locale()),
                       coverage=_coverage(payload), items=items)
    response = _render("public/figures.html", etag, **context)
    if snapshot is None and asked is not None:  # a year asked for that has no approved-only report: say so, as 404
        response.status_code = 404
    return response


@bp.route("/figures/<int:year>/indicators/<key>")
def indicator(year: int, key: str):  # type: ignore[no-untyped-def]
    ids = approved_snapshot_ids()
    region = request.args.get("region") or None
    etag = _etag(ids, "indicator", year, key, region)
    snapshot = _snapshot_of(year, ids)
    payload = snapshot.payload
    item = next((i for i in public_items(payload) if i["key"] == key), None)
    regions = {r["slug"] for r in payload["regions"]}
    if item is None or (region is not None and region not in regions):
        abort(404)
    if (unchanged := _not_modified(etag)) is not None:
        return unchanged
    names = place_names(current_locale())
    summaries = approved_summaries(ids)
    summaries[year] = (snapshot, snapshot.summary if snapshot.summary is not None else summarise(payload))
    figure = item["national"] if region is None else item["regions"].get(region, {})
    series = public_series(item, figure, summaries, region or "national")

    def withhold(fig: dict[str, Any]) -> str | None:
        return fewer_than() if public_value(item, fig)[1] else None

    geo_map = indicator_map(year, snapshot, item, region, set(), units=approved_units(payload), withhold=withhold)
    return _render("public/figures_indicator.html", etag, year=year, snapshot=snapshot, item=item, names=names,
                   region=region, chart=_bar_chart(item, names), coverage=_coverage(payload, region),
                   series=series, series_chart=_series_chart(item, series), geo_map=geo_map, places=names)


@bp.route("/figures/<int:year>/regions/<slug>")
def region(year: int, slug: str):  # type: ignore[no-untyped-def]
    """All indicators of one planning region beside the national values."""
    ids = approved_snapshot_ids()
    etag = _etag(ids, "region", year, slug)
    snapshot = _snapshot_of(year, ids)
    payload = snapshot.payload
    meta = next((r for r in payload["regions"] if r["slug"] == slug), None)
    if meta is None:
        abort(404)
    if (unchanged := _not_modified(etag)) is not None:
        return unchanged
    names = place_names(current_locale())
    items = public_items(payload)
    return _render("public/figures_region.html", etag, year=year, snapshot=snapshot, region=meta, names=names,
                   places=names, sections=sections_of(year, items, current_locale()), items=items,
                   coverage=_coverage(payload, slug), report=payload,
                   figures=[i["regions"].get(slug) for i in items])
