"""``/api/v1/``: the open-data API. Read-only, no login; JSON (and CSV for lists); every operation is declared in
``OPERATIONS`` (its parameters' and response's schemas), from which ``spec`` generates the OpenAPI document.

Public responses carry a weak ``ETag`` (from what the data depends on: the published copies' version or the
report snapshot, the URL's query, the date for "may be out of date"), ``Last-Modified`` and
``Cache-Control: public, max-age=300``, and answer ``If-None-Match`` with 304 before any work. CORS: every
response under ``/api/v1/`` allows any origin (``Access-Control-Allow-Origin: *``, no credentials) — a small
``after_request`` hook, no extension. Anonymous use is limited per address (``API_RATE_LIMIT``, one budget for
the whole API, Flask-Limiter); signed-in users are not limited.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence

from flask import (
    Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for,
)
from flask_login import current_user
from marshmallow import Schema, ValidationError

from reports.excel.safety import csv_field

from ..clock import riga_today
from ..errors import api_error
from ..extensions import limiter
from ..public import queries as public_queries
from ..public.params import non_empty, to_query
from ..public.search import search_measures
from . import data, schemas

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")

MAX_AGE = 300


@dataclass(frozen=True)
class Operation:
    """What the OpenAPI document says about one endpoint (its path comes from the URL map)."""

    endpoint: str
    summary: str
    description: str
    response: type[Schema] | None
    query: type[Schema] | None = None
    csv: bool = False
    errors: tuple[int, ...] = (429,)
    tags: tuple[str, ...] = ("open data",)
    security: Sequence[dict[str, list[str]]] | None = None
    path_examples: dict[str, Any] = field(default_factory=dict)
    content_type: str = "application/json"


#: every documented operation, by endpoint (``spec`` reads it; the researchers' report API is added by ``spec``)
OPERATIONS: dict[str, Operation] = {}


def operation(**spec: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        endpoint = f"{bp.name}.{fn.__name__}"
        OPERATIONS[endpoint] = Operation(endpoint=endpoint, **spec)
        return fn

    return register


def _anonymous_limit() -> str:
    return str(current_app.config["API_RATE_LIMIT"])


limiter.shared_limit(_anonymous_limit, scope="api_v1",
                     exempt_when=lambda: bool(current_user and current_user.is_authenticated))(bp)


@bp.after_request
def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = (
        "ETag, Last-Modified, Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset")
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


# ----------------------------------------------------------------------------------------------- helpers

def _args(schema: type[Schema]) -> dict[str, Any]:
    try:
        return schema().load(non_empty(request.args))
    except ValidationError as exc:
        abort(api_error(400, details=exc.messages))


def _etag(source: str) -> str:
    key = f"{request.endpoint}:{request.view_args}:{request.query_string.decode(errors='replace')}:{source}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _not_modified(etag: str) -> Response | None:
    if request.if_none_match.contains_weak(etag):
        response = Response(status=304)
        response.set_etag(etag, weak=True)
        response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
        return response
    return None


def _public(response: Response, etag: str, last_modified: Any) -> Response:
    response.set_etag(etag, weak=True)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


def _csv(name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_field(v) for v in row] for row in rows)
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")  # the BOM: Excel reads it as UTF-8
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _published(build: Callable[[], Response], extra: str = "") -> Response:
    """A response from the published copies: ETag from their version, 304 before ``build`` runs."""
    version = public_queries.published_version()
    etag = _etag(version.tag() + extra)
    return _not_modified(etag) or _public(build(), etag, version.last_published_at)


def _from_snapshot(year: int | None, build: Callable[[Any], Response]) -> Response:
    snapshot = data.public_snapshot(year)
    if snapshot is None:
        abort(api_error(404, "No report compiled from approved returns for this year."))
    etag = _etag(f"{snapshot.id}:{snapshot.compiled_at.isoformat()}")
    return _not_modified(etag) or _public(build(snapshot), etag, snapshot.compiled_at)


# ------------------------------------------------------------------------------------------- operations

@bp.route("/municipalities")
@operation(summary="All municipalities with their published profiles",
           description="The 43 municipalities with their planning region and the profile in force (measures, "
                       "published contacts, links) — only what approved yearly returns say.",
           response=schemas.MunicipalityList, query=schemas.FormatSchema, csv=True, errors=(400, 429))
def municipalities():  # type: ignore[no-untyped-def]
    args = _args(schemas.FormatSchema)
    today = riga_today()

    def build() -> Response:
        items = data.municipalities(today=today)
        if args["format"] == "csv":
            return _csv("municipalities", data.MUNICIPALITY_CSV, data.municipality_rows(items))
        return jsonify({"count": len(items), "licence": data.LICENCE, "items": items})

    return _published(build, today.isoformat())


@bp.route("/municipalities/<slug>")
@operation(summary="One municipality with its published profile", description="As in the list.",
           response=schemas.Municipality, errors=(404, 429), path_examples={"slug": "cesu-novads"})
def municipality(slug: str):  # type: ignore[no-untyped-def]
    today = riga_today()

    def build() -> Response:
        found = data.municipalities(slug, today=today)
        if not found:
            abort(api_error(404, "No municipality has this slug."))
        return jsonify(found[0])

    return _published(build, today.isoformat())


@bp.route("/measures")
@operation(summary="Search the support measures in force",
           description="The measures of every municipality's latest approved return, filtered like the public "
                       "search page (/measures), by municipality and then as on its profile; paged (JSON) or "
                       "every match (CSV).",
           response=schemas.MeasurePage, query=schemas.ApiMeasureQuerySchema, csv=True, errors=(400, 429))
def measures():  # type: ignore[no-untyped-def]
    args = _args(schemas.ApiMeasureQuerySchema)
    is_csv = args["format"] == "csv"

    def build() -> Response:
        query = to_query(args, per_page=None if is_csv else args["per_page"])
        page = search_measures(query)
        if is_csv:
            return _csv("measures", data.MEASURE_CSV, data.measure_rows(page))

        def page_url(number: int) -> str:
            params = {k: v for k, v in non_empty(request.args).items() if k != "page"}
            return url_for("api_v1.measures", _external=True, **params, **({"page": number} if number > 1 else {}))

        return jsonify(data.measure_page(page, page_url))

    return _published(build)


@bp.route("/indicators")
@operation(summary="National and regional indicator values",
           description="The indicators of the latest report compiled from approved returns for the year: "
                       "aggregates only, each value with its base n; a count of 1 or 2 people is null with "
                       "suppressed=true (the public pages' rule).",
           response=schemas.IndicatorList, query=schemas.IndicatorQuerySchema, csv=True, errors=(400, 404, 429))
def indicators():  # type: ignore[no-untyped-def]
    args = _args(schemas.IndicatorQuerySchema)

    def build(snapshot: Any) -> Response:
        area = args.get("area")
        if area is not None and area not in data.areas(snapshot.payload):
            abort(api_error(400, details={"area": [f"Not one of: {', '.join(data.areas(snapshot.payload))}."]}))
        result = data.indicators(snapshot, area)
        if args["format"] == "csv":
            return _csv(f"indicators-{snapshot.year}", data.INDICATOR_CSV, data.indicator_rows(result))
        return jsonify(result)

    return _from_snapshot(args.get("year"), build)


@bp.route("/coverage")
@operation(summary="Coverage of a year's report",
           description="Municipalities expected and counted (approved returns), nationally and per planning "
                       "region, and which are missing.",
           response=schemas.Coverage, query=schemas.YearSchema, csv=True, errors=(400, 404, 429))
def coverage():  # type: ignore[no-untyped-def]
    args = _args(schemas.YearSchema)

    def build(snapshot: Any) -> Response:
        result = data.coverage(snapshot)
        if args["format"] == "csv":
            return _csv(f"coverage-{snapshot.year}", data.COVERAGE_CSV, data.coverage_rows(result))
        return jsonify(result)

    return _from_snapshot(args.get("year"), build)


@bp.route("/openapi.json")
@operation(summary="This API's OpenAPI 3.1 document", description="Generated from the code.", response=None)
def openapi():  # type: ignore[no-untyped-def]
    from .spec import openapi_document

    document = openapi_document()
    etag = hashlib.sha256(repr(sorted(document.get("paths", {}))).encode()
                          + current_app.config.get("API_VERSION", "1").encode()).hexdigest()[:32]
    return _not_modified(etag) or _public(jsonify(document), etag, None)


@bp.route("/")
@operation(summary="Documentation of the API (HTML, Latvian or English)", description="", response=None,
           content_type="text/html")
def docs():  # type: ignore[no-untyped-def]
    from .spec import openapi_document

    from limits import parse

    limit = parse(_anonymous_limit())
    response = Response(render_template("api/docs.html", spec=openapi_document(), licence=data.LICENCE,
                                        rate=f"{limit.amount} / {limit.get_expiry()} s", public_page=True))
    response.headers["Cache-Control"] = "no-store" if current_user.is_authenticated \
        else f"public, max-age={MAX_AGE}"
    response.vary.add("Cookie")
    return response
