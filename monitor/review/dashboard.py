"""The completeness dashboard: how far the municipalities are with the year's return, nationally and by region.

``completeness(user, year, today)`` is the one entry point. It reads only the municipalities that
``visible_municipalities(user)`` allows and is meant for admins (the nation and every planning region) and
reviewers (their own region); :func:`may_view_dashboard` says who may call it (other roles get ``PermissionError``).

Every municipality falls in exactly one *state* category and exactly one *timeliness* category:

state (of its return for the year)            timeliness (against its effective deadline, Latvian calendar days)
- ``approved``                                - ``on_time``: first submitted on or before the deadline
- ``awaiting_review`` (submitted/resubmitted) - ``submitted_late``: first submission marked late (``is_late``), or
- ``returned`` (for correction)                 its Riga date is after the deadline
- ``in_progress`` (draft)                     - ``overdue``: not submitted, and today is after the deadline
- ``not_started`` (no return)                 - ``not_yet_due``: not submitted, the deadline has not passed

"Late" in the wide sense is ``submitted_late`` + ``overdue``; "not submitted" is ``overdue`` + ``not_yet_due``.
Every count carries its base n: the number of municipalities in its scope (the nation or one region).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from forms import Text, get_definition
from forms.progress import section_progress

from ..auth.models import Role, User
from ..clock import riga_date
from ..extensions import db
from ..periods.deadlines import extended_deadlines
from ..periods.models import ReportingPeriod
from ..registry.models import Municipality, PlanningRegion
from ..returns.models import AnnualReturn, ReturnStatus
from ..returns.queries import visible_municipalities
from ..returns.storage import load_answers_bulk


APPROVED, AWAITING_REVIEW, RETURNED, IN_PROGRESS, NOT_STARTED = (
    "approved", "awaiting_review", "returned", "in_progress", "not_started")
STATES: tuple[str, ...] = (APPROVED, AWAITING_REVIEW, RETURNED, IN_PROGRESS, NOT_STARTED)

ON_TIME, SUBMITTED_LATE, OVERDUE, NOT_YET_DUE = "on_time", "submitted_late", "overdue", "not_yet_due"
TIMELINESS: tuple[str, ...] = (ON_TIME, SUBMITTED_LATE, OVERDUE, NOT_YET_DUE)

_STATE_OF_STATUS = {
    ReturnStatus.APPROVED: APPROVED,
    ReturnStatus.SUBMITTED: AWAITING_REVIEW,
    ReturnStatus.RESUBMITTED: AWAITING_REVIEW,
    ReturnStatus.RETURNED: RETURNED,
    ReturnStatus.DRAFT: IN_PROGRESS,
}


@dataclass(frozen=True)
class Count:
    """``count`` municipalities (or returns) out of ``base``."""

    count: int
    base: int

    @property
    def share(self) -> float | None:
        """``count / base`` (0…1); None when the base is empty."""
        return self.count / self.base if self.base else None


@dataclass(frozen=True)
class MunicipalityStatus:
    """Where one municipality stands: its state, timeliness and effective deadline."""

    municipality_id: int
    slug: str
    name_lv: str
    name_en: str
    region_slug: str
    region_name_lv: str
    region_name_en: str
    state: str  # one of STATES
    timeliness: str  # one of TIMELINESS
    deadline: dt.date  # effective: the extension's if it has one, else the period's
    is_extended: bool
    submitted_on: dt.date | None  # Riga date of the first submission
    days_late: int | None  # submitted late: days after the deadline; overdue: days since it; else None

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_lv

    def region_name(self, locale: str) -> str:
        return self.region_name_en if locale == "en" else self.region_name_lv


@dataclass(frozen=True)
class SectionShare:
    """The mean share (0…1) of required answers given in one section, across ``n`` started returns."""

    key: str
    title: Text
    mean_share: float | None  # None when no return has been started (n = 0)
    n: int


@dataclass(frozen=True)
class ScopeSummary:
    """The counts of one scope: the nation (``key == "national"``) or one planning region (its slug)."""

    key: str
    name_lv: str
    name_en: str
    base: int  # municipalities in the scope
    by_state: dict[str, Count]
    by_timeliness: dict[str, Count]
    cross: dict[str, dict[str, Count]]  # state → timeliness → Count (base: municipalities in the scope)
    late: Count  # submitted late + overdue
    not_submitted: Count  # overdue + not yet due
    started: int  # municipalities with a return (the n of the section shares)
    sections: tuple[SectionShare, ...]

    @property
    def is_national(self) -> bool:
        return self.key == "national"

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_lv


@dataclass(frozen=True)
class Dashboard:
    year: int
    today: dt.date
    period_deadline: dt.date
    national: ScopeSummary | None  # admins only
    regions: tuple[ScopeSummary, ...]
    municipalities: tuple[MunicipalityStatus, ...]

    @property
    def scopes(self) -> tuple[ScopeSummary, ...]:
        """The national scope (if shown) followed by the regions."""
        return ((self.national,) if self.national else ()) + self.regions

    @property
    def late_or_missing(self) -> list[MunicipalityStatus]:
        """Municipalities not on time (submitted late, overdue or not yet submitted), most days late first."""
        rows = [m for m in self.municipalities if m.timeliness != ON_TIME]
        order = {t: i for i, t in enumerate(TIMELINESS)}
        return sorted(rows, key=lambda m: (-(m.days_late or 0), order[m.timeliness]))

    @property
    def extensions(self) -> int:
        return sum(1 for m in self.municipalities if m.is_extended)


def may_view_dashboard(user: User) -> bool:
    """Admins (all regions) and reviewers (their own region); editors and researchers may not."""
    return user.role in (Role.ADMIN, Role.REVIEWER)


def classify(ret: AnnualReturn | None, deadline: dt.date, today: dt.date) -> tuple[str, str, dt.date | None,
                                                                                     int | None]:
    """(state, timeliness, Riga date of first submission, days late) of a municipality's return (None: none)."""
    if ret is None:
        state = NOT_STARTED
    else:
        state = _STATE_OF_STATUS.get(ReturnStatus(ret.status), IN_PROGRESS)
    first = (ret.first_submitted_at or ret.submitted_at) if ret is not None else None
    submitted = ret is not None and (state != IN_PROGRESS or first is not None)
    if not submitted:
        if today > deadline:
            return state, OVERDUE, None, (today - deadline).days
        return state, NOT_YET_DUE, None, None
    assert ret is not None
    submitted_on = riga_date(first) if first is not None else None
    after = submitted_on is not None and submitted_on > deadline
    if ret.is_late or after:
        return state, SUBMITTED_LATE, submitted_on, (submitted_on - deadline).days if after else None
    return state, ON_TIME, submitted_on, None


def completeness(user: User, year: int, today: dt.date) -> Dashboard:
    """The dashboard of reporting year ``year`` as seen by ``user`` on ``today`` (a Riga calendar day).

    Raises ``PermissionError`` for roles that may not see it and ``LookupError`` when the year has no period.
    Queries: municipalities, period, extensions, returns, and three for all the answers.
    """
    if not may_view_dashboard(user):
        raise PermissionError("only admins and reviewers see the completeness dashboard")
    period = db.session.scalar(select(ReportingPeriod).where(ReportingPeriod.year == year))
    if period is None:
        raise LookupError(f"no reporting period for {year}")
    municipalities = db.session.scalars(
        visible_municipalities(user).join(PlanningRegion).order_by(PlanningRegion.id, Municipality.name_lv)
    ).all()
    extended = extended_deadlines(period)
    returns = {
        r.municipality_id: r for r in db.session.scalars(select(AnnualReturn).where(
            AnnualReturn.year == year, AnnualReturn.municipality_id.in_([m.id for m in municipalities])))
    }
    rows = [_status_row(m, returns.get(m.id), extended, period, today) for m in municipalities]
    shares = _section_shares(year, returns.values())

    regions: dict[int, PlanningRegion] = {}
    for m in municipalities:
        regions.setdefault(m.region_id, m.region)
    region_summaries = tuple(
        _summarise(r.slug, r.name_lv, r.name_en, [row for row in rows if row.region_slug == r.slug], shares, year)
        for r in regions.values()
    )
    national = (_summarise("national", "Latvija", "Latvia", rows, shares, year)
                if user.role == Role.ADMIN else None)
    return Dashboard(year, today, period.deadline, national, region_summaries, tuple(rows))


def _status_row(m: Municipality, ret: AnnualReturn | None, extended: dict[int, dt.date], period: ReportingPeriod,
                today: dt.date) -> MunicipalityStatus:
    # ``extended_deadlines`` is the one-query form of ``effective_deadline``: not in it means the period's deadline
    deadline = extended.get(m.id, period.deadline)
    state, timeliness, submitted_on, days_late = classify(ret, deadline, today)
    return MunicipalityStatus(m.id, m.slug, m.name_lv, m.name_en, m.region.slug, m.region.name_lv,
                              m.region.name_en, state, timeliness, deadline, m.id in extended, submitted_on,
                              days_late)


def _section_shares(year: int, returns: Iterable[AnnualReturn]) -> dict[int, dict[str, float]]:
    """``{municipality_id: {section_key: share}}`` for every started return; a section that asks nothing
    required (conditions considered) counts as complete, as on the return's overview page."""
    definition = get_definition(year)
    returns = list(returns)
    answers = load_answers_bulk(returns, definition)  # three queries for all returns, not three per return
    out: dict[int, dict[str, float]] = {}
    for ret in returns:
        progress = section_progress(definition, answers[ret.id])
        out[ret.municipality_id] = {p.key: (p.answered / p.required if p.required else 1.0) for p in progress}
    return out


def _summarise(key: str, name_lv: str, name_en: str, rows: Sequence[MunicipalityStatus],
               shares: dict[int, dict[str, float]], year: int) -> ScopeSummary:
    base = len(rows)
    cross = {s: {t: Count(sum(1 for r in rows if r.state == s and r.timeliness == t), base) for t in TIMELINESS}
             for s in STATES}
    by_state = {s: Count(sum(c.count for c in cross[s].values()), base) for s in STATES}
    by_timeliness = {t: Count(sum(cross[s][t].count for s in STATES), base) for t in TIMELINESS}
    started = [shares[r.municipality_id] for r in rows if r.municipality_id in shares]
    sections = tuple(
        SectionShare(s.key, s.title, (sum(x[s.key] for x in started) / len(started)) if started else None,
                     len(started))
        for s in get_definition(year).sections
    )
    return ScopeSummary(
        key, name_lv, name_en, base, by_state, by_timeliness, cross,
        late=Count(by_timeliness[SUBMITTED_LATE].count + by_timeliness[OVERDUE].count, base),
        not_submitted=Count(by_timeliness[OVERDUE].count + by_timeliness[NOT_YET_DUE].count, base),
        started=len(started), sections=sections,
    )
