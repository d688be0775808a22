"""Demo set-up: one user per role (printed) and a realistic dataset marked as demo.

The demo passwords are printed on purpose: the demo runs on a developer's machine with the embedded SQLite
database. A real deployment creates its users with ``flask users create``.
"""

from __future__ import annotations

import datetime as dt
import zlib

from sqlalchemy import select

from .auth.models import Role, User
from .auth.operations import create_user
from .extensions import db
from .registry.models import Municipality, PlanningRegion

DEMO_PASSWORD = "demo-parole-2026"

DEMO_USERS = (
    # email, name, role, municipality slug, region slug
    ("admin@demo.lv", "Anna Administratore", Role.ADMIN, None, None),
    ("vidzeme@demo.lv", "Valdis Vidzemnieks", Role.REVIEWER, None, "vidzeme-region"),
    ("cesis@demo.lv", "Ilze Cēsniece", Role.EDITOR, "cesu-novads", None),
    ("cesis2@demo.lv", "Jānis Kalniņš", Role.EDITOR, "cesu-novads", None),
    ("valmiera@demo.lv", "Laura Valmiere", Role.EDITOR, "valmieras-novads", None),
    ("liepaja@demo.lv", "Kārlis Liepnieks", Role.EDITOR, "liepaja", None),
    ("researcher@demo.lv", "Rita Pētniece", Role.RESEARCHER, None, None),
)


def ensure_demo_users() -> list[User]:
    users = []
    for email, name, role, municipality_slug, region_slug in DEMO_USERS:
        existing = db.session.scalar(select(User).where(User.email == email))
        if existing is not None:
            users.append(existing)
            continue
        municipality = region = None
        if municipality_slug:
            municipality = db.session.scalar(select(Municipality).where(Municipality.slug == municipality_slug))
        if region_slug:
            region = db.session.scalar(select(PlanningRegion).where(PlanningRegion.slug == region_slug))
        users.append(create_user(email=email, name=name, password=DEMO_PASSWORD, role=role,
                                 municipality=municipality, region=region, check_strength=False))
    return users


def load_demo(seed: int = 2025) -> str:
    """Create the demo users and the demo dataset; returns the text to print (the users and their roles)."""
    from .demo_data import load_demo_returns
    from .demo_history import import_study_2022

    users = ensure_demo_users()
    admin = next(u for u in users if u.role == Role.ADMIN)
    created = load_demo_returns(admin, seed=seed)
    reviewed = review_demo_returns(users)
    history = import_study_2022(admin)
    lines = [f"Demo data: {created} returns created, {reviewed} reviewed (marked as demo)."]
    if history is not None:
        outcome, skipped = history
        lines.append(f"2022 survey facts imported as past-year returns: {outcome.created} created, "
                     f"{outcome.updated} updated, {outcome.unchanged} unchanged; {outcome.answers} answers, "
                     f"{outcome.not_kept_answers} not stored.")
        for problem in [*outcome.problems, *outcome.not_kept]:
            lines.append(f"  not stored: {problem.en}")
        if skipped:
            lines.append(f"{len(skipped)} facts of the study are not answers the 2022 form takes (not imported):")
            lines += [f"  {fact.line()}" for fact in skipped]
    lines += ["", f"Demo users (password for all: {DEMO_PASSWORD}):"]
    for user in users:
        scope = user.municipality.name_lv if user.municipality else user.region.name_lv if user.region else ""
        lines.append(f"  {user.role:<10} {user.email:<22} {user.name}{'  — ' + scope if scope else ''}")
    return "\n".join(lines)


def review_demo_returns(users: list[User]) -> int:
    """Bring part of the 2025 demo into the review workflow: most submitted returns approved, two sent back
    with comments (Valmiera among them, so its demo editor sees the comments). Idempotent: only returns that
    were never reviewed are touched."""
    from .returns.models import AnnualReturn, ReturnStatus
    from .review.operations import add_comment, approve_return, return_for_correction

    admin = next(u for u in users if u.role == Role.ADMIN)
    vidzeme = next(u for u in users if u.role == Role.REVIEWER)
    submitted = db.session.scalars(
        select(AnnualReturn).join(Municipality).where(
            AnnualReturn.year == 2025, AnnualReturn.is_demo.is_(True),
            AnnualReturn.status == ReturnStatus.SUBMITTED, AnnualReturn.returned_at.is_(None))
        .order_by(Municipality.slug)).all()
    send_back = {"valmieras-novads", "ludzas-novads"}
    count = 0
    for ret in submitted:
        reviewer = vidzeme if ret.municipality.region_id == vidzeme.region_id else admin
        if ret.municipality.slug in send_back:
            add_comment(ret, reviewer, section_key="budget", field_path="budget_lines",
                        body="Lūdzu, norādiet arī plānoto summu katram avotam.")
            add_comment(ret, reviewer, section_key="contacts",
                        body="Vai kontaktpersonas tālrunis joprojām ir aktuāls?")
            return_for_correction(ret, reviewer, reason="Lūdzu, precizējiet budžetu un kontaktinformāciju.",
                                  base_version=ret.version)
        # about a quarter stays waiting for review, chosen by name so that a second run picks the same ones
        elif zlib.crc32(ret.municipality.slug.encode()) % 4 != 3 or ret.municipality.slug == "cesu-novads":
            approve_return(ret, reviewer, base_version=ret.version)
        else:
            continue
        count += 1
    return count


def year_note(viewer: User, today: dt.date | None = None) -> str:
    """Which year the pages open on for ``viewer`` (the demo's administrator), in plain words, printed by
    ``flask demo``: the demo's returns are for an earlier year than the one open for entry, which starts empty,
    as every new reporting year does."""
    from sqlalchemy import func

    from .periods.queries import current_period
    from .returns.models import AnnualReturn
    from .returns.queries import default_period

    shown = default_period(viewer, today)
    open_now = current_period(today)
    if shown is None:
        return ""
    if open_now is None or open_now.year == shown.year:
        return f"Pages open on the reporting year {shown.year}."
    started = db.session.scalar(
        select(func.count()).select_from(AnnualReturn).where(AnnualReturn.year == open_now.year)) or 0
    return "\n".join([
        f"Reporting year {open_now.year} is open for entry since {open_now.opens_on:%d.%m.%Y} "
        f"({started} returns started); the demo's returns are for {shown.year}.",
        f"So the returns list, the review desk and the completeness dashboard open on {shown.year}, the latest year "
        "with submitted returns;",
        f"a municipality editor opens on a return that waits for them (a draft or one returned for correction), "
        f"else on {open_now.year}. Every page has a year switch.",
    ])
