"""Report pages and the JSON API. Everything is read from stored snapshots, so an old report stays readable
exactly as it was compiled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forms import definition_years
from reports.summary import summarise

from reports.model import payload_number as number
from ..auth.models import Role, User
from ..caching import ReadCache
from ..extensions import db
from ..locale import current_locale
from ..registry import reform
from ..returns.queries import municipality_or_404, visible_municipalities
from . import charts
from .map_page import indicator_map
from .models import ReportDocument, ReportSnapshot
from .presentation import chart_units, page_notes, sections_of, template_helpers
from .queries import latest_snapshot, latest_summaries, place_names, snapshots
from .series import indicator_series

bp = Blueprint("reports", __name__)
READERS = (Role.ADMIN, Role.REVIEWER, Role.RESEARCHER)
API_READERS = (Role.ADMIN, Role.RESEARCHER)  # the JSON API serves research; reviewers read the pages


@bp.context_processor
def presentation() -> dict[str, Any]:
    """The page-level presentation rules every report template may use."""
    return {**template_helpers(int(current_app.config["REPORT_SMALL_BASE"])),
            "may_read_api": getattr(current_user, "role", None) in API_READERS}


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _reader() -> None:
    if _user().role not in READERS:
        abort(404)


def _snapshot(year: int) -> ReportSnapshot:
    snapshot_id = request.args.get("snapshot", type=int)
    if snapshot_id is not None:
        snapshot = db.session.get(ReportSnapshot, snapshot_id)
        if snapshot is None or snapshot.year != year:
            abort(404)
        return snapshot
    snapshot = latest_snapshot(year)
    if snapshot is None:
        abort(404)
    return snapshot



@bp.route("/reports/")
@login_required
def index():  # type: ignore[no-untyped-def]
    """The report of one year (``?year=``; ``?snapshot=<id>`` for an earlier compilation), opening on the latest
    year whose report counts at least one return."""
    _reader()
    years = definition_years()
    counted = _counted_by_year()
    year = request.args.get("year", type=int) or _default_year(counted, years)
    if year is None:
        abort(404)
    snapshot = _snapshot(year) if request.args.get("snapshot") else latest_snapshot(year)
    report = snapshot.payload if snapshot else None
    sections = sections_of(year, report["indicators"], current_locale()) if report else []
    return render_template("reporting/index.html", year=year, years=sorted(set(years) | set(counted)),
                           snapshot=snapshot, history=snapshots(year, limit=20), report=report,
                           coverage=_coverage(snapshot) if snapshot else None, places=_place_names(),
                           counted=counted, sections=sections,
                           national=_national(year, snapshot, report, sections) if report else "")


#: the rendered national overview of a snapshot (every indicator of the report: most of the page's work), by
#: snapshot, language and small-base rule — the same for every reader, and a snapshot never changes
NATIONAL = ReadCache(32)


def _national(year: int, snapshot: ReportSnapshot, report: dict[str, Any], sections: list[Any]) -> Markup:
    key = ("national", snapshot.id, snapshot.compiled_at, snapshot.inputs_fingerprint, year, current_locale(),
           int(current_app.config["REPORT_SMALL_BASE"]))
    return Markup(NATIONAL.get(key, lambda: render_template(
        "reporting/_national.html", year=year, snapshot=snapshot, report=report, sections=sections)))


def _counted_by_year() -> dict[int, tuple[int, int | None]]:
    """Per year with a snapshot: (municipalities counted, expected) of its latest compilation (its summary only)."""
    found = {}
    for year, (_snapshot, summary) in latest_summaries().items():
        coverage = summary.get("coverage") or {}
        found[year] = (int(coverage.get("counted", summary.get("n_units", 0)) or 0), coverage.get("expected"))
    return found


def _default_year(counted: dict[int, tuple[int, int | None]], years: list[int]) -> int | None:
    """The latest year whose report counts a return; else the latest year with a report; else the first year."""
    with_returns = [y for y, (n, _expected) in counted.items() if n >= 1]
    if with_returns:
        return max(with_returns)
    if counted:
        return max(counted)
    return years[0] if years else None


@bp.route("/reports/<int:year>/indicators/<key>")
@login_required
def indicator(year: int, key: str):  # type: ignore[no-untyped-def]
    _reader()
    snapshot = _snapshot(year)
    item = next((i for i in snapshot.payload["indicators"] if i["key"] == key), None)
    if item is None:
        abort(404)
    names = {r["slug"]: r["name"] for r in snapshot.payload["regions"]}
    region = request.args.get("region") or None  # ?region=<slug>: the regional indicator page (its map and rows)
    if region is not None and region not in names:
        abort(404)
    # region names in the reader's language (the payload's are Latvian), the payload's for a slug the registry lacks
    names = names | _place_names()
    chart = None
    if item["computation"] in ("share", "mean", "median", "count", "sum"):
        unit = "%" if item["computation"] == "share" else ""
        # an empty base has no value, also in snapshots compiled before "no data" was explicit
        bars = [(_("Latvia"), number(item["national"]["value"]) if item["national"]["n"] else None,
                 item["national"]["n"])]
        bars += [(names.get(slug, slug), number(fig["value"]) if fig["n"] else None, fig["n"])
                 for slug, fig in item["regions"].items()]
        title = item["title_en"] if current_locale() == "en" else item["title_lv"]
        chart = charts.bar_chart(title, bars, unit=unit, no_data=_("no data"),
                                 maximum=Decimal(100) if item["computation"] == "share" else None)
    series = _series(snapshot, item, region)
    return render_template("reporting/indicator.html", year=year, snapshot=snapshot, item=item, names=names,
                           chart=chart, coverage=_coverage(snapshot), places=_place_names(), series=series,
                           series_chart=_series_chart(item, series),
                           geo_map=indicator_map(year, snapshot, item, region, _openable_municipalities()))


def _series(snapshot: ReportSnapshot, item: dict[str, Any], region: str | None = None) -> list[Any]:
    """The indicator across the years, nationally or in ``region``: the published 2017/2022 figures and each
    year's latest compilation — the page's own compilation for its year (an earlier one when ``?snapshot=`` asks
    for it)."""
    summaries = latest_summaries()
    summaries[snapshot.year] = (snapshot, snapshot.summary if snapshot.summary is not None
                                else summarise(snapshot.payload))
    figure = item["national"] if region is None else item["regions"].get(region, {})
    return indicator_series(item, figure, summaries, region or "national")


def _series_chart(item: dict[str, Any], series: list[Any]) -> Any:
    if not any(p.value is not None for p in series):
        return None
    after, caption = chart_units().get(item.get("unit") or "", ("", ""))
    title = item["title_en"] if current_locale() == "en" else item["title_lv"]
    return charts.series_chart(_("%(title)s across the years", title=title), series, unit=after,
                               axis_label=caption,
                               maximum=Decimal(100) if item["computation"] == "share" else None,
                               small_base=int(current_app.config["REPORT_SMALL_BASE"]))


@bp.route("/reports/<int:year>/tables/<key>")
@login_required
def table(year: int, key: str):  # type: ignore[no-untyped-def]
    _reader()
    snapshot = _snapshot(year)
    found = next((t for t in snapshot.payload["tables"] if t["key"] == key), None)
    if found is None:
        abort(404)
    chart = None
    columns = [c["key"] for c in found["columns"]]
    if "x" in columns and "y" in columns:  # a scatter of two scores, drawn beside its data table
        xi, yi = columns.index("x"), columns.index("y")
        names = _place_names()
        points = [(number(r["cells"][xi]), number(r["cells"][yi]), names.get(r["key"], r["key"]))
                  for r in found["rows"]]
        labels = {c["key"]: c["label_en" if current_locale() == "en" else "label_lv"] for c in found["columns"]}
        summary = found.get("summary") or {}
        slope, intercept = number(summary.get("slope")), number(summary.get("intercept"))
        chart = charts.scatter(found["title_en" if current_locale() == "en" else "title_lv"],
                               [p for p in points if p[0] is not None and p[1] is not None],
                               x_label=labels["x"], y_label=labels["y"],
                               fit=(slope, intercept) if slope is not None and intercept is not None else None,
                               r=number(summary.get("r")), r_squared=number(summary.get("r_squared")))
    names = _place_names()
    return render_template("reporting/table.html", year=year, snapshot=snapshot, table=found, chart=chart,
                           names=names, coverage=_coverage(snapshot), places=names)


def _place_names() -> dict[str, str]:
    """Municipality and region names by slug, in the current language (tables and coverage carry slugs)."""
    return place_names(current_locale())


def _coverage(snapshot: ReportSnapshot, region: str | None = None) -> dict[str, Any] | None:
    """The snapshot's coverage (national, or of one region); ``None`` for a snapshot compiled without it."""
    found = snapshot.payload.get("coverage")
    if found is None or region is None:
        return found
    return found.get("regions", {}).get(region)


@bp.route("/reports/<int:year>/regions/<slug>")
@login_required
def region(year: int, slug: str):  # type: ignore[no-untyped-def]
    """All indicators of one planning region beside the national values."""
    _reader()
    snapshot = _snapshot(year)
    meta = next((r for r in snapshot.payload["regions"] if r["slug"] == slug), None)
    if meta is None:
        abort(404)
    units = [u for u in snapshot.payload["units"] if u["region"] == slug]
    names = _place_names()
    figures = [i["regions"].get(slug) for i in snapshot.payload["indicators"]]
    return render_template("reporting/region.html", year=year, snapshot=snapshot, region=meta,
                           indicators=snapshot.payload["indicators"], units=units, names=names,
                           coverage=_coverage(snapshot, slug), places=names, notes=page_notes(figures),
                           openable=_openable_municipalities())


def _openable_municipalities() -> set[str] | None:
    """Slugs of the municipality benchmarks the user may open (``None``: all), so no link answers 404."""
    if _user().role in (Role.ADMIN, Role.RESEARCHER):
        return None
    return {m.slug for m in db.session.scalars(visible_municipalities(_user()))}


@bp.route("/reports/<int:year>/municipalities/<slug>")
@login_required
def municipality(year: int, slug: str):  # type: ignore[no-untyped-def]
    """A municipality's benchmark: its own value against its region, the nation, 2017/2022 and last year.
    Municipality users see their own; reviewers their region's; admins and researchers every municipality."""
    if _user().role == Role.RESEARCHER:
        from ..registry.models import Municipality
        from sqlalchemy import select

        place = db.session.scalar(select(Municipality).where(Municipality.slug == slug))
        if place is None:
            abort(404)
    else:
        place = municipality_or_404(_user(), slug)
    snapshot = _snapshot(year)
    unit = next((u for u in snapshot.payload["units"] if u["unit"] == slug), None)
    return render_template("reporting/municipality.html", year=year, snapshot=snapshot, place=place, unit=unit,
                           indicators=snapshot.payload["indicators"], predecessors=reform.predecessors(place.slug))


@bp.route("/reports/<int:year>/report-<locale>.pdf")
@login_required
def document(year: int, locale: str):  # type: ignore[no-untyped-def]
    """The year's report as a PDF in ``locale`` (the latest snapshot, or ``?snapshot=<id>``): the stored document,
    built and stored on the first request when the snapshot has none yet."""
    from .document import LOCALES, stored_document

    _reader()
    if locale not in LOCALES:
        abort(404)
    snapshot = _snapshot(year)
    try:
        found = stored_document(snapshot, locale)
        db.session.commit()
    except IntegrityError:  # built at the same moment by another request: serve that one
        db.session.rollback()
        found = db.session.scalar(select(ReportDocument).where(ReportDocument.snapshot_id == snapshot.id,
                                                               ReportDocument.locale == locale))
        if found is None:
            raise
    response = Response(found.content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="remigration-report-{year}-{locale}.pdf"'
    response.headers["Content-Length"] = str(found.size)
    response.set_etag(found.sha256)
    return response


@bp.route("/api/reports/<int:year>")
@login_required
def api_report(year: int):  # type: ignore[no-untyped-def]
    """The compiled report as JSON (the latest snapshot, or ``?snapshot=<id>``), with its provenance."""
    if _user().role not in API_READERS:
        abort(404)
    snapshot = _snapshot(year)
    return jsonify({
        "snapshot": {"id": snapshot.id, "year": snapshot.year, "compiled_at": snapshot.compiled_at.isoformat(),
                     "definition_version": snapshot.definition_version,
                     "reference_version": snapshot.reference_version,
                     "inputs_fingerprint": snapshot.inputs_fingerprint, "statuses": snapshot.statuses},
        "report": snapshot.payload,
    })
