"""The search of support measures across all municipalities: ONE query function, ``search_measures``, used by the
public page (``/measures``) and the open-data API (``/api/v1/measures``) alike.

It reads only the published copies (``PublishedMeasure`` rows with ``is_latest``: the measures in force — a
reopened return keeps its last approved measures, drafts never appear).

Free text is matched against ``PublishedMeasure.search_text``, which ``operations.search_text`` stores already
normalised by ``text.normalise`` (lower case, Latvian diacritics removed); the query is normalised by the same
function, so "cesis" finds "Cēsis" and "Cēsis" finds "cesis". Every word must match (AND), as a prefix:

* PostgreSQL: full-text search — ``to_tsvector('simple', search_text) @@ to_tsquery('simple', 'maj:* & cesu:*')``,
  served by the GIN expression index ``ix_published_measure_search_fts`` (migration 0008). The 'simple'
  configuration does no stemming (Latvian has no snowball stemmer in PostgreSQL), so prefix matching is what
  lets "maj" find "māja"/"mājoklis". No ``unaccent`` call is needed (or wanted) at query or index time: the text
  is already unaccented by the same Python function as the query, and ``unaccent()`` is only STABLE, so an index
  on it would need an IMMUTABLE wrapper pinned to the extension's schema.
* SQLite (and any other database): ``search_text LIKE '%word%'`` for each word — a substring rather than a
  word-prefix match, which finds everything the PostgreSQL search finds (and occasionally a little more).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select

from ..extensions import db
from ..registry.models import Municipality, PlanningRegion
from .models import PublishedMeasure, PublishedProfile
from .text import normalise

PER_PAGE = 20
MAX_PER_PAGE = 500
#: the longest free text taken (longer input is cut: a search box is not a document)
MAX_QUERY_LENGTH = 200
MAX_WORDS = 8

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class MeasureQuery:
    """What to search for. Empty fields do not filter. ``region`` and ``municipality`` are slugs; ``kind`` one of
    ``KINDS``; ``who`` one of ``WHO``. The amount range keeps measures whose stated amount (from–to, or a single
    bound) overlaps ``[amount_min, amount_max]``; with either bound set, measures without an amount are left out.
    ``per_page`` None: every match on one page (the CSV download)."""

    text: str = ""
    kind: str | None = None
    who: str | None = None
    region: str | None = None
    municipality: str | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    page: int = 1
    per_page: int | None = PER_PAGE

    def words(self) -> list[str]:
        """The normalised words of ``text`` (``text.normalise``, then letters and digits only)."""
        return _WORD.findall(normalise(self.text[:MAX_QUERY_LENGTH]))[:MAX_WORDS]

    def is_filtered(self) -> bool:
        return bool(self.words() or self.kind or self.who or self.region or self.municipality
                    or self.amount_min is not None or self.amount_max is not None)

    def params(self, **changes: Any) -> dict[str, str]:
        """The query as URL parameters (only those set), for shareable links and paging."""
        q = replace(self, **changes)
        out = {"q": q.text.strip(), "kind": q.kind or "", "who": q.who or "", "region": q.region or "",
               "municipality": q.municipality or "",
               "amount_min": "" if q.amount_min is None else f"{q.amount_min.normalize():f}",
               "amount_max": "" if q.amount_max is None else f"{q.amount_max.normalize():f}",
               "page": str(q.page) if q.page != 1 else ""}
        return {k: v for k, v in out.items() if v}


@dataclass(frozen=True)
class MeasureHit:
    """One measure found, with where it is offered."""

    id: int
    key: str
    year: int
    kind: str
    who: str
    title_lv: str
    title_en: str | None
    description_lv: str | None
    description_en: str | None
    amount_min_eur: Decimal | None
    amount_max_eur: Decimal | None
    how_to_apply_lv: str | None
    how_to_apply_en: str | None
    links: list[dict[str, Any]]
    municipality_slug: str
    municipality_name_lv: str
    municipality_name_en: str
    region_slug: str
    region_name_lv: str
    region_name_en: str
    approved_at: Any  # datetime of the approval of the copy it comes from

    def title(self, locale: str) -> str:
        return self.title_en if locale == "en" and self.title_en else self.title_lv

    def title_lang(self, locale: str) -> str:
        return "en" if locale == "en" and self.title_en else "lv"

    def description(self, locale: str) -> str | None:
        return self.description_en if locale == "en" and self.description_en else self.description_lv

    def description_lang(self, locale: str) -> str:
        return "en" if locale == "en" and self.description_en else "lv"

    def municipality_name(self, locale: str) -> str:
        return self.municipality_name_en if locale == "en" else self.municipality_name_lv

    def region_name(self, locale: str) -> str:
        return self.region_name_en if locale == "en" else self.region_name_lv


@dataclass(frozen=True)
class MeasurePage:
    query: MeasureQuery
    items: list[MeasureHit] = field(default_factory=list)
    total: int = 0

    @property
    def pages(self) -> int:
        if self.query.per_page is None:
            return 1
        return max(1, math.ceil(self.total / self.query.per_page))

    @property
    def has_next(self) -> bool:
        return self.query.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.query.page > 1

    @property
    def first_number(self) -> int:
        """The 1-based position of the page's first item in the whole result (0: nothing found)."""
        if not self.items:
            return 0
        return 1 + (self.query.page - 1) * (self.query.per_page or 0)


def search_measures(query: MeasureQuery) -> MeasurePage:
    """The measures in force (``is_latest``) that match ``query``, ordered by municipality (Latvian name) and then
    as on its profile (by kind, in form order), one page of them and the total count."""
    conditions = _conditions(query)
    total = db.session.scalar(select(func.count()).select_from(PublishedMeasure).join(
        Municipality, Municipality.id == PublishedMeasure.municipality_id).join(
        PlanningRegion, PlanningRegion.id == PublishedMeasure.region_id).where(*conditions)) or 0
    statement = _rows().where(*conditions).order_by(Municipality.name_lv, PublishedMeasure.position)
    if query.per_page is not None:
        statement = statement.limit(query.per_page).offset((query.page - 1) * query.per_page)
    items = [MeasureHit(*row) for row in db.session.execute(statement)]  # the columns in field order
    return MeasurePage(query, items, total)


def _rows() -> Select[Any]:
    m = PublishedMeasure
    return (select(m.id, m.key, m.year, m.kind, m.who, m.title_lv, m.title_en, m.description_lv, m.description_en,
                   m.amount_min_eur, m.amount_max_eur, m.how_to_apply_lv, m.how_to_apply_en, m.links,
                   Municipality.slug.label("municipality_slug"), Municipality.name_lv.label("municipality_name_lv"),
                   Municipality.name_en.label("municipality_name_en"), PlanningRegion.slug.label("region_slug"),
                   PlanningRegion.name_lv.label("region_name_lv"), PlanningRegion.name_en.label("region_name_en"),
                   PublishedProfile.approved_at)
            .join(Municipality, Municipality.id == m.municipality_id)
            .join(PlanningRegion, PlanningRegion.id == m.region_id)
            .join(PublishedProfile, PublishedProfile.id == m.profile_id))


def _conditions(query: MeasureQuery) -> list[ColumnElement[bool]]:
    m = PublishedMeasure
    # the bare column (not ``IS TRUE``), so PostgreSQL can prove the partial index's ``WHERE is_latest``
    out: list[ColumnElement[bool]] = [m.is_latest]  # type: ignore[list-item]
    words = query.words()
    if words:
        out.append(_text_match(words))
    if query.kind:
        out.append(m.kind == query.kind)
    if query.who:
        out.append(m.who == query.who)
    if query.region:
        out.append(PlanningRegion.slug == query.region)
    if query.municipality:
        out.append(Municipality.slug == query.municipality)
    if query.amount_min is not None or query.amount_max is not None:
        out.append(or_(m.amount_min_eur.is_not(None), m.amount_max_eur.is_not(None)))
    if query.amount_min is not None:  # the measure's upper end (or its only amount) reaches the range
        out.append(func.coalesce(m.amount_max_eur, m.amount_min_eur) >= query.amount_min)
    if query.amount_max is not None:  # the measure's lower end (or its only amount) is within the range
        out.append(func.coalesce(m.amount_min_eur, m.amount_max_eur) <= query.amount_max)
    return out


def search_document() -> ColumnElement[Any]:
    """The indexed expression (PostgreSQL): must stay exactly the expression of the index in migration 0008."""
    return func.to_tsvector(literal_column("'simple'"), PublishedMeasure.search_text)


def _text_match(words: list[str]) -> ColumnElement[bool]:
    if db.session.get_bind().dialect.name == "postgresql":
        # words are letters and digits only (``_WORD``), so they cannot carry tsquery syntax
        tsquery = " & ".join(f"{w}:*" for w in words)
        return search_document().op("@@")(func.to_tsquery(literal_column("'simple'"), tsquery))
    return and_(*(PublishedMeasure.search_text.like(f"%{w}%") for w in words))

