"""Writing the published copies. Like every operation: no commit, the caller's transaction.

``publish_return`` is called by ``review.operations.approve_return`` and by the history import
(``excel.operations``) for returns imported as approved; ``rebuild_published`` (``flask public rebuild``,
``flask demo``) rebuilds every copy from the approved returns' current answers.
"""

from __future__ import annotations

from sqlalchemy import select, update

from forms import get_definition

from ..extensions import db
from ..models_base import utcnow
from ..registry.models import Municipality
from ..returns.models import AnnualReturn, ReturnStatus
from ..returns.storage import load_answers
from .extract import PublicMeasure, PublicView, public_view
from .models import PublishedMeasure, PublishedProfile
from .text import normalise


class NotApproved(ValueError):
    """Only an approved return is ever published."""


def publish_return(ret: AnnualReturn) -> PublishedProfile:
    """Store (or replace) the public copy of an approved return: its profile for that year and its measures."""
    if ret.status != ReturnStatus.APPROVED or ret.approved_at is None:
        raise NotApproved(f"return {ret.id} is {ret.status}, not approved")
    definition = get_definition(ret.year)
    view = public_view(definition, load_answers(ret, definition))
    profile = db.session.scalar(select(PublishedProfile).where(
        PublishedProfile.municipality_id == ret.municipality_id, PublishedProfile.year == ret.year))
    if profile is None:
        profile = PublishedProfile(municipality_id=ret.municipality_id, year=ret.year)
        db.session.add(profile)
    profile.return_id = ret.id
    profile.approved_at = ret.approved_at
    profile.definition_version = definition.version
    profile.origin = ret.origin
    profile.published_at = utcnow()
    profile.content = view.to_json()
    profile.measures.clear()
    db.session.flush()  # the old rows go before the new ones take their positions
    municipality = db.session.get(Municipality, ret.municipality_id)
    assert municipality is not None
    profile.measures.extend(_measure_rows(profile, municipality, view))
    db.session.flush()
    _mark_latest(ret.municipality_id)
    return profile


def rebuild_published() -> int:
    """Rebuild the copy of every approved return from its answers (after a change of ``extract``, or for data
    approved before the public portal existed). Copies of returns reopened since stay as they are. Returns how
    many were rebuilt."""
    approved = db.session.scalars(select(AnnualReturn).where(AnnualReturn.status == ReturnStatus.APPROVED)
                                  .order_by(AnnualReturn.municipality_id, AnnualReturn.year)).all()
    for ret in approved:
        publish_return(ret)
    return len(approved)


def _measure_rows(profile: PublishedProfile, municipality: Municipality, view: PublicView) -> list[PublishedMeasure]:
    places = [municipality.name_lv, municipality.short_name_lv, municipality.name_en,
              municipality.region.name_lv, municipality.region.name_en]
    return [PublishedMeasure(
        municipality_id=municipality.id, region_id=municipality.region_id, year=profile.year, position=position,
        key=m.key, kind=m.kind, title_lv=m.title.lv, title_en=m.title.en,
        description_lv=m.description.lv if m.description else None,
        description_en=m.description.en if m.description else None,
        who=m.who, amount_min_eur=m.amount_min_eur, amount_max_eur=m.amount_max_eur,
        how_to_apply_lv=m.how_to_apply.lv if m.how_to_apply else None,
        how_to_apply_en=m.how_to_apply.en if m.how_to_apply else None,
        links=[link.to_json() for link in m.links], search_text=search_text(m, places),
    ) for position, m in enumerate(view.measures)]


def search_text(measure: PublicMeasure, places: list[str]) -> str:
    """What a search matches a measure by, normalised (``text.normalise``)."""
    words = [*measure.words(), *places]
    return normalise(" ".join(dict.fromkeys(words)))


def _mark_latest(municipality_id: int) -> None:
    """The municipality's newest published year is the one "in force"."""
    latest = db.session.scalar(select(PublishedProfile.id).where(PublishedProfile.municipality_id == municipality_id)
                               .order_by(PublishedProfile.year.desc()).limit(1))
    db.session.execute(update(PublishedProfile).where(PublishedProfile.municipality_id == municipality_id)
                       .values(is_latest=PublishedProfile.id == latest),
                       execution_options={"synchronize_session": False})
    db.session.execute(update(PublishedMeasure).where(PublishedMeasure.municipality_id == municipality_id)
                       .values(is_latest=PublishedMeasure.profile_id == latest),
                       execution_options={"synchronize_session": False})
    for obj in list(db.session.identity_map.values()):  # the rows just updated in SQL
        if isinstance(obj, (PublishedProfile, PublishedMeasure)):
            db.session.expire(obj, ["is_latest"])
