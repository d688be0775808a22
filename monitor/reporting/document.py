"""The yearly comparative report as a document: one PDF per language, built with WeasyPrint from the same
templates (``templates/reporting/pdf/``) and the same stored snapshot payload the report pages read.

``render_report_html`` draws the HTML in a forced locale (every string, number and chart follows it);
``build_pdf`` turns it into an A4 PDF without touching the network: the only resources it may load are ``data:``
URLs and the app's own print stylesheet, read from disk."""

from __future__ import annotations

import hashlib
import time
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, gettext as _
from markupsafe import Markup

from reports.model import payload_number as _number
from ..extensions import db
from ..models_base import utcnow
from . import charts
from .models import ReportDocument, ReportSnapshot
from .presentation import is_small_base, page_notes, sections_of, template_helpers
from .queries import place_names

LOCALES = ("lv", "en")
STATIC = Path(__file__).resolve().parent.parent / "static"
PRINT_CSS = "report-print.css"
CHART_CSS = "report-chart.css"  # the chart classes, put inside each SVG: WeasyPrint styles an SVG from within
CHARTABLE = ("mean", "median", "count", "sum")  # a value per area: Latvia and the regions as bars
LABEL_CHARS = 34  # what fits the bar chart's label column; the full label is in the table beside the chart
WIDE_TABLE = 8  # study tables with more columns than this are printed on a landscape page
KEY_CHANGES = 12  # largest changes listed per comparison


def _title(item: dict[str, Any], locale: str) -> str:
    return str(item["title_en"] if locale == "en" else item["title_lv"])


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1].rstrip() + "…"


def _split(title: str) -> tuple[str, str]:
    """"Question: option" → (question, option); a title without a colon is its own question."""
    head, sep, tail = title.partition(": ")
    return (head, tail) if sep else (title, title)


def _section_charts(items: list[dict[str, Any]], names: dict[str, str], locale: str) -> list[Any]:
    """The charts of one section: per question answered with options, the national share of each option (one
    bar per option, 0–100 %); per indicator with a value per area (mean, median, count, sum), Latvia and the
    planning regions. Questions with a single share indicator are left to the tables."""
    out: list[Any] = []
    shares: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if item["computation"] == "share":
            shares.setdefault(item["fields"][0] if item.get("fields") else item["key"], []).append(item)
    drawn: set[str] = set()
    for item in items:
        if item["computation"] == "share":
            field = item["fields"][0] if item.get("fields") else item["key"]
            group = shares[field]
            if field in drawn or len(group) < 2:
                continue
            drawn.add(field)
            question = _split(_title(group[0], locale))[0]
            bars = [(_short(_split(_title(i, locale))[1]),
                     _number(i["national"]["value"]) if i["national"]["n"] else None, i["national"]["n"])
                    for i in group]
            out.append(_printable(charts.bar_chart(f"{question} — {_('Latvia')}", bars, unit="%",
                                                   no_data=_("no data"), maximum=Decimal(100))))
        elif item["computation"] in CHARTABLE:
            bars = [(_("Latvia"), _number(item["national"]["value"]) if item["national"]["n"] else None,
                     item["national"]["n"])]
            bars += [(_short(names.get(slug, slug)), _number(fig["value"]) if fig["n"] else None, fig["n"])
                     for slug, fig in item["regions"].items()]
            out.append(_printable(charts.bar_chart(_title(item, locale), bars, unit="", no_data=_("no data"))))
    return out


def _printable(chart: Markup) -> Markup:
    """A chart of ``charts`` with its print style inside (the same SVG as on the report pages otherwise)."""
    text = str(chart)
    end = text.index(">") + 1
    return Markup(text[:end] + "<style>" + _chart_css() + "</style>" + text[end:])


@lru_cache(maxsize=1)
def _chart_css() -> str:
    return (STATIC / CHART_CSS).read_text(encoding="utf-8")


def _table_chart(table: dict[str, Any], names: dict[str, str], locale: str) -> Any:
    """The scatter of a study table with an x and a y score column (as on the table's page), else ``None``."""
    columns = [c["key"] for c in table["columns"]]
    if "x" not in columns or "y" not in columns:
        return None
    xi, yi = columns.index("x"), columns.index("y")
    points = [(_number(r["cells"][xi]), _number(r["cells"][yi]), names.get(r["key"], r["key"])) for r in table["rows"]]
    labels = {c["key"]: c["label_en" if locale == "en" else "label_lv"] for c in table["columns"]}
    summary = table.get("summary") or {}
    slope, intercept = _number(summary.get("slope")), _number(summary.get("intercept"))
    return _printable(charts.scatter(
        table["title_en" if locale == "en" else "title_lv"],
        [p for p in points if p[0] is not None and p[1] is not None], x_label=labels["x"], y_label=labels["y"],
        fit=(slope, intercept) if slope is not None and intercept is not None else None,
        r=_number(summary.get("r")), r_squared=_number(summary.get("r_squared"))))


def _key_changes(indicators: list[dict[str, Any]], threshold: int) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The largest national changes of shares, in percentage points, per comparison (2017, 2022, previous year):
    (against, [(indicator, comparison)]), largest absolute change first. A figure on a small base has no change and
    is not listed; changes of means, sums and counts are in the section tables."""
    found: dict[str, list[tuple[Decimal, dict[str, Any], dict[str, Any]]]] = {}
    for item in indicators:
        figure = item["national"]
        if not figure.get("n") or is_small_base(figure["n"], threshold):
            continue
        for comparison in figure.get("comparisons") or []:
            change = _number(comparison.get("change"))
            if change is None or comparison.get("change_unit") != "pp":  # shares only: a count is never compared
                continue
            found.setdefault(comparison["against"], []).append((abs(change), item, comparison))
    order = {"biss_2017": 0, "survey_2022": 1}
    return [(against, [(item, c) for _size, item, c in sorted(rows, key=lambda r: -r[0])[:KEY_CHANGES]])
            for against, rows in sorted(found.items(), key=lambda kv: order.get(kv[0], 2))]


def _source_lines(indicators: list[dict[str, Any]]) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """Per indicator, its national comparisons with the seed report's line (the study's line references)."""
    rows = []
    for item in indicators:
        refs = [c for c in item["national"].get("comparisons") or [] if c.get("reference_source_line")]
        if refs:
            rows.append((item, refs))
    return rows


def document_context(snapshot: ReportSnapshot, locale: str) -> dict[str, Any]:
    """What the document's templates read (call inside ``force_locale(locale)``)."""
    payload = snapshot.payload
    threshold = int(current_app.config["REPORT_SMALL_BASE"])
    names = place_names(locale)
    indicators = payload["indicators"]
    sections = [(key, title, items, _section_charts(items, names, locale))
                for key, title, items in sections_of(snapshot.year, indicators, locale)]
    coverage = payload.get("coverage")
    regions = [{**r, "name": names.get(r["slug"], r["name"]),
                "coverage": (coverage or {}).get("regions", {}).get(r["slug"]) if coverage else None,
                "units": [u["unit"] for u in payload["units"] if u["region"] == r["slug"]]}
               for r in payload["regions"]]
    tables = [(t, _table_chart(t, names, locale), len(t["columns"]) > WIDE_TABLE) for t in payload["tables"]]
    # one set of notes for the whole document: each caveat printed once (in Methods), marks everywhere else
    notes = page_notes(payload["caveats"], [i["national"] for i in indicators], indicators, payload["tables"])
    return {
        "snapshot": snapshot, "report": payload, "year": snapshot.year, "doc_locale": locale, "names": names,
        "places": names, "coverage": coverage, "sections": sections, "regions": regions, "tables": tables,
        "notes": notes, "key_changes": _key_changes(indicators, threshold), "source_lines": _source_lines(indicators),
        "national_small": is_small_base(payload.get("n_units"), threshold),
        "stylesheet": PRINT_CSS, **template_helpers(threshold),
    }


def render_report_html(snapshot: ReportSnapshot, locale: str) -> str:
    """The report of ``snapshot`` as one HTML document in ``locale`` (``lv`` or ``en``)."""
    if locale not in LOCALES:
        raise ValueError(f"unknown report language {locale!r}")
    with force_locale(locale):
        return render_template("reporting/pdf/report.html", **document_context(snapshot, locale))


def _fetcher() -> Any:
    """A WeasyPrint URL fetcher that loads only ``data:`` URLs and the print stylesheet from the static folder."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = {(STATIC / PRINT_CSS).resolve()}

    class LocalOnly(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file://"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if path in allowed:
                    return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": "text/css"})
            raise ValueError(f"the report document loads no external resource: {url[:80]}")

    return LocalOnly(allowed_protocols=("data", "file"))


def render_pdf(snapshot: ReportSnapshot, locale: str) -> tuple[bytes, int]:
    """(PDF bytes, page count) of the report of ``snapshot`` in ``locale``."""
    from weasyprint import HTML

    html = render_report_html(snapshot, locale)
    document = HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=_fetcher()).render()
    return document.write_pdf(), len(document.pages)


def build_pdf(snapshot: ReportSnapshot, locale: str) -> bytes:
    """The report of ``snapshot`` as an A4 PDF in ``locale``."""
    return render_pdf(snapshot, locale)[0]


def build_documents(snapshot: ReportSnapshot, locales: tuple[str, ...] = LOCALES) -> list[ReportDocument]:
    """Build the PDF of ``snapshot`` in each of ``locales`` and store it (a stored one is replaced). Flushes."""
    stored = {d.locale: d for d in snapshot.documents}
    out = []
    for locale in locales:
        started = time.perf_counter()
        content, pages = render_pdf(snapshot, locale)
        document = stored.get(locale)
        if document is None:
            document = ReportDocument(snapshot=snapshot, locale=locale)
            db.session.add(document)
        document.content = content
        document.sha256 = hashlib.sha256(content).hexdigest()
        document.size = len(content)
        document.pages = pages
        document.built_at = utcnow()
        document.build_ms = round((time.perf_counter() - started) * 1000)
        out.append(document)
    db.session.flush()
    return out


def stored_document(snapshot: ReportSnapshot, locale: str) -> ReportDocument:
    """The stored PDF of ``snapshot`` in ``locale``, built and stored (flushed) first when it has none."""
    for document in snapshot.documents:
        if document.locale == locale:
            return document
    return build_documents(snapshot, (locale,))[0]
