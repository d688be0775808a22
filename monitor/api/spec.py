"""The OpenAPI 3.1 document of ``/api/`` — generated, never written by hand: apispec (with its marshmallow plugin)
turns ``views.OPERATIONS`` (summaries, the marshmallow schemas of the query parameters and of the responses) and
the application's URL map (paths and path parameters) into the document, once per process."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app

from ..errors import API_MESSAGES
from . import schemas
from .data import LICENCE
from .views import MAX_AGE, OPERATIONS, Operation

TITLE = "Remigration support monitor: open data"
VERSION = "1.0.0"
DESCRIPTION = (
    "Read-only open data of the monitoring of municipal remigration support in Latvia: the support measures "
    "in force in each of the 43 municipalities, their public profiles, and national and regional indicators "
    "with their coverage.\n\n"
    "Caveats: only what **approved** yearly returns say is published (a return being corrected keeps its last "
    "approved version public; drafts never appear). Indicators are aggregates of the latest report compiled "
    "from approved returns, each with its base n; a count of people below 3 is never given. Comparisons with "
    "the 2017 BISS survey span the 2021 administrative-territorial reform (about 119 municipalities then, 43 "
    "now): compare percentages, never counts.\n\n"
    f"Anonymous use is limited per address (HTTP 429 with Retry-After). Responses can be cached for {MAX_AGE} s "
    "and carry an ETag (send If-None-Match for a 304). CORS: any origin may GET.")

#: the researchers' existing report API, described in the same document (its view lives in ``monitor.reporting``)
REPORT_API = Operation(
    endpoint="reports.api_report", summary="A compiled report (researchers and administrators)",
    description="The whole compiled report of a year as JSON — aggregates and per-municipality figures, no "
                "personal data — the latest snapshot or ?snapshot=<id>. Needs a session login as a researcher "
                "or an administrator (other roles get 404).",
    response=schemas.Report, query=schemas.ReportQuerySchema, errors=(401, 404), tags=("research",),
    security=[{"session": []}], path_examples={"year": 2026})

_ARGUMENT = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")


def openapi_document() -> dict[str, Any]:
    """The document (built on first use and kept for the process: it depends only on the code)."""
    cached = current_app.extensions.get("monitor_openapi")
    if cached is None:
        cached = current_app.extensions["monitor_openapi"] = build_document()
    return cached


def build_document() -> dict[str, Any]:
    spec = APISpec(title=TITLE, version=VERSION, openapi_version="3.1.0", plugins=[MarshmallowPlugin()],
                   info={"description": DESCRIPTION, "license": {"name": LICENCE["name"], "url": LICENCE["url"]}},
                   servers=[{"url": "/"}])
    spec.components.security_scheme("session", {
        "type": "apiKey", "in": "cookie", "name": current_app.config.get("SESSION_COOKIE_NAME", "session"),
        "description": "The session cookie of a signed-in researcher or administrator (sign in at /login)."})
    spec.components.schema("Error", schema=schemas.Error)
    operations = {**OPERATIONS, REPORT_API.endpoint: REPORT_API}
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        op = operations.get(rule.endpoint)
        if op is None:
            continue
        path, parameters = _path(rule.rule, op)
        spec.path(path=path, operations={"get": _operation(op, parameters)})
    return _plain(spec.to_dict())


def _plain(value: Any) -> Any:
    """Decimal bounds (apispec writes a Decimal field's range with the field's own type) as JSON numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _path(rule: str, op: Operation) -> tuple[str, list[dict[str, Any]]]:
    parameters = []
    for match in _ARGUMENT.finditer(rule):
        kind = "integer" if match["converter"] == "int" else "string"
        parameters.append({"in": "path", "name": match["name"], "required": True, "schema": {"type": kind},
                           "example": op.path_examples.get(match["name"])})
    return _ARGUMENT.sub(lambda m: "{" + m["name"] + "}", rule), parameters


def _operation(op: Operation, parameters: list[dict[str, Any]]) -> dict[str, Any]:
    if op.query is not None:
        parameters = [*parameters, {"in": "query", "schema": op.query}]
    if op.response is not None:
        content: dict[str, Any] = {"application/json": {"schema": op.response}}
    elif op.content_type == "text/html":
        content = {"text/html": {"schema": {"type": "string"}}}
    else:
        content = {"application/json": {"schema": {"type": "object"}}}
    if op.csv:
        content["text/csv"] = {"schema": {"type": "string", "description": "With ?format=csv: UTF-8 with a "
                                                                           "byte-order mark, a header row."}}
    cache_headers = {} if op.security else {
        "ETag": {"schema": {"type": "string"}, "description": "Send it back in If-None-Match for a 304."},
        "Cache-Control": {"schema": {"type": "string"}, "example": f"public, max-age={MAX_AGE}"}}
    responses: dict[str, Any] = {"200": {"description": "OK", "content": content, "headers": cache_headers}}
    if not op.security and op.content_type == "application/json":
        responses["304"] = {"description": "Not modified (If-None-Match matched the ETag)."}
    for status in op.errors:
        responses[str(status)] = {"description": API_MESSAGES[status],
                                  "content": {"application/json": {"schema": "Error"}}}
        if status == 429:
            responses["429"]["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                                           "description": "Seconds to wait."}}
    out: dict[str, Any] = {"summary": op.summary, "tags": list(op.tags), "operationId": op.endpoint.replace(".", "_"),
                           "parameters": parameters, "responses": responses}
    if op.description:
        out["description"] = op.description
    if op.security is not None:
        out["security"] = list(op.security)
    return out
