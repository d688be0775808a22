"""The published copies: what public pages, the search and the open-data API read (never returns or answers).

One ``PublishedProfile`` per municipality and year whose return was approved (or imported as approved); its
``content`` is ``extract.PublicView.to_json()``. One ``PublishedMeasure`` row per support measure of that view,
with a normalised ``search_text``. ``is_latest`` marks each municipality's newest published year — the measures
"in force" — on both tables.

A copy is written when a return is approved and replaced when it is approved again; reopening a return leaves
it as it was (the last approved answers stay public until a new approval replaces them).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..models_base import JSONType, Model, UTCDateTime, utcnow
from ..registry.models import Municipality


class PublishedProfile(Model):
    __tablename__ = "published_profile"
    __table_args__ = (UniqueConstraint("municipality_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    #: the return it was built from (for rebuilds and audit; public queries never follow it)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("annual_return.id", ondelete="SET NULL"), index=True)
    approved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    definition_version: Mapped[str] = mapped_column(String(20))
    #: the return's origin: "form" (filled in and approved in the service) or "import" (a past year loaded by an
    #: administrator — then ``approved_at`` is when it was loaded, not when the municipality answered)
    origin: Mapped[str] = mapped_column(String(10), default="form", server_default="form")
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_latest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    #: ``PublicView.to_json()``
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)

    municipality: Mapped[Municipality] = relationship()
    measures: Mapped[list["PublishedMeasure"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="PublishedMeasure.position")


class PublishedMeasure(Model):
    """One support measure of a published profile, flat for search and the API (the same facts as in
    ``PublishedProfile.content["measures"][position]``)."""

    __tablename__ = "published_measure"
    __table_args__ = (
        UniqueConstraint("profile_id", "position"),
        # PostgreSQL's full-text search of ``search.search_measures``: a GIN index over exactly the expression
        # ``search.search_document()`` queries (``search_text`` is already lower-case and unaccented), partial on
        # the measures in force — the only ones searched; without the WHERE the planner preferred the is_latest
        # index and computed to_tsvector for every row (~10 ms instead of ~0.05 ms). Other databases search with
        # LIKE and have no such index.
        Index("ix_published_measure_search_fts", text("to_tsvector('simple'::regconfig, search_text)"),
              postgresql_using="gin", postgresql_where=text("is_latest")).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("published_profile.id", ondelete="CASCADE"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("planning_region.id"), index=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    is_latest: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(120))  # PublicMeasure.key
    kind: Mapped[str] = mapped_column(String(30), index=True)  # extract.KINDS
    title_lv: Mapped[str] = mapped_column(Text)
    title_en: Mapped[str | None] = mapped_column(Text)  # None: typed by the municipality, Latvian only
    description_lv: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(20), index=True)  # extract.WHO
    amount_min_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    amount_max_eur: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    how_to_apply_lv: Mapped[str | None] = mapped_column(Text)
    how_to_apply_en: Mapped[str | None] = mapped_column(Text)
    links: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)  # [PublicLink.to_json()]
    #: lower case, Latvian diacritics removed (``text.normalise``): titles, descriptions and details in both
    #: languages, the kind, who can use it, the municipality and its region
    search_text: Mapped[str] = mapped_column(Text)

