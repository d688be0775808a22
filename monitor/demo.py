"""Demo set-up: one user per role (printed) and a realistic dataset marked as demo.

The demo passwords are printed on purpose: the demo runs on a developer's machine with the embedded SQLite
database. A real deployment creates its users with ``flask users create``.
"""

from __future__ import annotations

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

    users = ensure_demo_users()
    admin = next(u for u in users if u.role == Role.ADMIN)
    created = load_demo_returns(admin, seed=seed)
    lines = [f"Demo data: {created} returns created (marked as demo).", "",
             f"Demo users (password for all: {DEMO_PASSWORD}):"]
    for user in users:
        scope = user.municipality.name_lv if user.municipality else user.region.name_lv if user.region else ""
        lines.append(f"  {user.role:<10} {user.email:<22} {user.name}{'  — ' + scope if scope else ''}")
    return "\n".join(lines)
