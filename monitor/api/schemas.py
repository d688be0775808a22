"""The documented shapes of the API (marshmallow, for the generated OpenAPI document) and its query parameters
(also used to parse them: an invalid parameter is a 400 with the schema's messages)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from ..public.params import SLUG, ApiMeasureQuerySchema, MeasureQuerySchema  # noqa: F401  (documented here)
from ..public.shape import KINDS, WHO

AREA = validate.Regexp(r"^(national|[a-z0-9-]{1,80})$")
LINK_KINDS = (*KINDS, "documents")


class FormatSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")),
                           metadata={"description": "json (default) or csv."})


class YearSchema(FormatSchema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100), metadata={
        "description": "Reporting year; default: the newest year with a compiled report.", "example": 2026})


class IndicatorQuerySchema(YearSchema):
    area = fields.String(validate=AREA, metadata={
        "description": "\"national\" or a planning-region slug; default: all of them.", "example": "national"})


class ReportQuerySchema(Schema):
    class Meta:
        unknown = EXCLUDE

    snapshot = fields.Integer(metadata={"description": "A snapshot id of that year (default: the latest)."})


# -------------------------------------------------------------------------------------------------- shapes

class LocalText(Schema):
    lv = fields.String(required=True)
    en = fields.String(required=True, allow_none=True,
                       metadata={"description": "null: typed by the municipality, in Latvian only."})


class Licence(Schema):
    name = fields.String(required=True)
    url = fields.String(required=True)


class Link(Schema):
    kind = fields.String(required=True, validate=validate.OneOf(LINK_KINDS))
    title = fields.Nested(LocalText, required=True)
    url = fields.String(required=True)


class Place(Schema):
    slug = fields.String(required=True)
    name_lv = fields.String(required=True)
    name_en = fields.String(required=True)


class PlaceWithProfile(Place):
    profile_url = fields.String(required=True, metadata={"description": "The public profile page."})


AMOUNT = {"description": "EUR, a decimal string; null: not stated.", "example": "5000.00"}


class _MeasureFields(Schema):
    """What a measure says, in the search's list and in a profile alike."""

    key = fields.String(required=True, metadata={"description": "Stable within the municipality's return."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    who = fields.String(required=True, validate=validate.OneOf(WHO))
    title = fields.Nested(LocalText, required=True)
    description = fields.Nested(LocalText, required=True, allow_none=True)
    amount_min_eur = fields.String(required=True, allow_none=True, metadata=AMOUNT)
    amount_max_eur = fields.String(required=True, allow_none=True, metadata=AMOUNT)
    how_to_apply = fields.Nested(LocalText, required=True, allow_none=True)
    links = fields.List(fields.Nested(Link), required=True)


class Measure(_MeasureFields):
    id = fields.Integer(required=True)
    year = fields.Integer(required=True, metadata={"description": "The reporting year of the approved return."})
    municipality = fields.Nested(PlaceWithProfile, required=True)
    region = fields.Nested(Place, required=True)
    approved_at = fields.DateTime(required=True)


class MeasurePage(Schema):
    total = fields.Integer(required=True, metadata={"description": "Number of matching measures."})
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    pages = fields.Integer(required=True)
    next = fields.String(required=True, allow_none=True)
    previous = fields.String(required=True, allow_none=True)
    licence = fields.Nested(Licence, required=True)
    items = fields.List(fields.Nested(Measure), required=True)


class Detail(Schema):
    label = fields.Nested(LocalText, required=True)
    value = fields.Nested(LocalText, required=True)


class ProfileMeasure(_MeasureFields):
    source = fields.String(required=True, metadata={"description": "The question key (and row) it comes from."})
    details = fields.List(fields.Nested(Detail), required=True)


class Contact(Schema):
    name = fields.String(required=True)
    position = fields.String(required=True, allow_none=True)
    email = fields.String(required=True, allow_none=True)
    phone = fields.String(required=True, allow_none=True)
    languages = fields.List(fields.String(), required=True)


class Profile(Schema):
    year = fields.Integer(required=True)
    definition_version = fields.String(required=True)
    approved_at = fields.DateTime(required=True)
    origin = fields.String(required=True, validate=validate.OneOf(("form", "import")))
    may_be_out_of_date = fields.Boolean(required=True)
    measures = fields.List(fields.Nested(ProfileMeasure), required=True)
    contacts = fields.List(fields.Nested(Contact), required=True, metadata={
        "description": "Only contact persons whose own answer says their details may be published."})
    links = fields.List(fields.Nested(Link), required=True)


class Municipality(Place):
    region = fields.Nested(Place, required=True)
    profile_url = fields.String(required=True)
    profile = fields.Nested(Profile, required=True, allow_none=True,
                            metadata={"description": "null: no approved yearly return yet."})


class MunicipalityList(Schema):
    count = fields.Integer(required=True)
    licence = fields.Nested(Licence, required=True)
    items = fields.List(fields.Nested(Municipality), required=True)


class SnapshotInfo(Schema):
    id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    compiled_at = fields.DateTime(required=True)
    definition_version = fields.String(required=True)
    statuses = fields.List(fields.String(), required=True, metadata={"description": "Return states counted."})


class Caveat(Schema):
    key = fields.String(required=True)
    lv = fields.String(required=True)
    en = fields.String(required=True)


class IndicatorValue(Schema):
    value = fields.Raw(required=True, allow_none=True, metadata={
        "description": "A decimal string or integer (a cross-tabulation or list of modes for some "
                       "computations); null: no data, or suppressed."})
    suppressed = fields.Boolean(required=True, metadata={
        "description": "True: a count of 1 or 2 people, never published (0 and 3 or more are given)."})
    suppressed_reason = fields.String(required=True, allow_none=True, validate=validate.OneOf(
        ("fewer_than_3",)), metadata={
        "description": "fewer_than_3: a count of 1 or 2 people (the public figures pages show it as "
                       "'fewer than 3')."})
    n = fields.Integer(required=True, metadata={"description": "The base: municipalities in the figure."})
    numerator = fields.Integer(required=True, allow_none=True)
    n_dont_know = fields.Integer(required=True)
    n_missing = fields.Integer(required=True)


class Indicator(Schema):
    key = fields.String(required=True, metadata={"description": "The codebook's indicator key."})
    title = fields.Nested(LocalText, required=True)
    question_keys = fields.List(fields.String(), required=True)
    computation = fields.String(required=True)
    unit = fields.String(required=True)
    values = fields.Dict(keys=fields.String(), values=fields.Nested(IndicatorValue), required=True,
                         metadata={"description": "By area: \"national\" and planning-region slugs."})


class IndicatorList(Schema):
    snapshot = fields.Nested(SnapshotInfo, required=True)
    areas = fields.List(fields.String(), required=True)
    small_count_threshold = fields.Integer(required=True)
    caveats = fields.List(fields.Nested(Caveat), required=True)
    licence = fields.Nested(Licence, required=True)
    indicators = fields.List(fields.Nested(Indicator), required=True)


class CoverageScope(Schema):
    expected = fields.Integer(required=True)
    counted = fields.Integer(required=True)
    counted_statuses = fields.List(fields.String(), required=True)
    returns_by_status = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    missing = fields.List(fields.String(), required=True, metadata={"description": "Municipality slugs."})
    missing_with_return = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class Coverage(Schema):
    snapshot = fields.Nested(SnapshotInfo, required=True)
    licence = fields.Nested(Licence, required=True)
    national = fields.Nested(CoverageScope, required=True, allow_none=True)
    regions = fields.Dict(keys=fields.String(), values=fields.Nested(CoverageScope), required=True)


class ReportSnapshotInfo(Schema):
    id = fields.Integer(required=True)
    year = fields.Integer(required=True)
    compiled_at = fields.String(required=True)
    definition_version = fields.String(required=True)
    reference_version = fields.String(required=True)
    inputs_fingerprint = fields.String(required=True)
    statuses = fields.String(required=True)


class Report(Schema):
    snapshot = fields.Nested(ReportSnapshotInfo, required=True)
    report = fields.Dict(required=True, metadata={"description": "The compiled report (aggregates and "
                                                                  "per-municipality figures)."})


class ErrorBody(Schema):
    status = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"example": "bad_request"})
    message = fields.String(required=True)
    details = fields.Dict(metadata={"description": "Per parameter: what is wrong with it."})


class Error(Schema):
    error = fields.Nested(ErrorBody, required=True)
