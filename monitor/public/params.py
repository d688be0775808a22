"""The search's URL parameters: one marshmallow schema that parses them for the public page and the API and that
the OpenAPI document is generated from (``monitor.api.spec``), so the three cannot drift apart."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from .search import MAX_PER_PAGE, MAX_QUERY_LENGTH, PER_PAGE, MeasureQuery
from .shape import KINDS, WHO

SLUG = validate.Regexp(r"^[a-z0-9-]{1,80}$", error="Not a known slug.")
MAX_AMOUNT = 100_000_000


class MeasureQuerySchema(Schema):
    """Search filters of ``/measures`` and ``/api/v1/measures``; an empty value is the same as none."""

    class Meta:
        unknown = EXCLUDE

    q = fields.String(validate=validate.Length(max=MAX_QUERY_LENGTH), metadata={
        "description": "Free text; every word must match (as a prefix), with or without Latvian diacritics "
                       "(\"cesis\" finds \"Cēsis\").", "example": "maja"})
    kind = fields.String(validate=validate.OneOf(KINDS), metadata={"description": "Kind of support measure."})
    who = fields.String(validate=validate.OneOf(WHO), metadata={
        "description": "Who can use it: only returnees, all residents, or not stated by the municipality."})
    region = fields.String(validate=SLUG, metadata={"description": "Planning region slug.",
                                                    "example": "vidzeme-region"})
    municipality = fields.String(validate=SLUG, metadata={"description": "Municipality slug.",
                                                          "example": "cesu-novads"})
    amount_min = fields.Decimal(validate=validate.Range(min=0, max=MAX_AMOUNT), metadata={
        "description": "EUR: measures whose amount reaches at least this (measures without an amount are left "
                       "out when a bound is given).", "example": "1000"})
    amount_max = fields.Decimal(validate=validate.Range(min=0, max=MAX_AMOUNT), metadata={
        "description": "EUR: measures whose amount starts at or below this.", "example": "10000"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000),
                          metadata={"description": "Page number, from 1."})

    @validates_schema
    def _range(self, data: dict[str, Any], **_: Any) -> None:
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and Decimal(low) > Decimal(high):
            raise ValidationError("amount_min is larger than amount_max.", "amount_max")


class ApiMeasureQuerySchema(MeasureQuerySchema):
    per_page = fields.Integer(load_default=PER_PAGE, validate=validate.Range(min=1, max=MAX_PER_PAGE),
                              metadata={"description": f"Results per page (at most {MAX_PER_PAGE}); the CSV "
                                                       "format always has every match."})
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")),
                           metadata={"description": "json (default) or csv."})


def non_empty(args: Mapping[str, str]) -> dict[str, str]:
    """The parameters that have a value (a GET form sends its empty fields as ``kind=``)."""
    return {k: v.strip() for k, v in args.items() if v is not None and v.strip() != ""}


def to_query(data: Mapping[str, Any], per_page: int | None = PER_PAGE) -> MeasureQuery:
    def money(value: Any) -> Decimal | None:
        return None if value is None else Decimal(value)

    return MeasureQuery(text=data.get("q") or "", kind=data.get("kind"), who=data.get("who"),
                        region=data.get("region"), municipality=data.get("municipality"),
                        amount_min=money(data.get("amount_min")), amount_max=money(data.get("amount_max")),
                        page=data.get("page", 1), per_page=per_page)


def parse_page_query(args: Mapping[str, str]) -> tuple[MeasureQuery, dict[str, Any]]:
    """For the HTML page: the query from the valid parameters, and the errors of the others (shown by the form,
    which then does not filter by them)."""
    raw = non_empty(args)
    try:
        return to_query(MeasureQuerySchema().load(raw)), {}
    except ValidationError as exc:
        errors = exc.messages if isinstance(exc.messages, dict) else {}
        kept = {k: v for k, v in raw.items() if k not in errors}
        if "amount_max" in errors:
            kept.pop("amount_min", None)
        try:
            return to_query(MeasureQuerySchema().load(kept)), errors
        except ValidationError:
            return MeasureQuery(), errors
