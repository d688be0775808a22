"""Flask CLI commands: ``flask registry load``, ``flask users create``, ``flask periods ensure``, ``flask demo``
(the other areas' commands, e.g. ``flask public rebuild``, are registered here too)."""

from __future__ import annotations

import datetime as dt
import getpass
import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from forms import available_years, get_definition

from .auth.models import Role
from .auth.operations import create_user
from .extensions import db
from .periods.models import ReportingPeriod
from .refusals import OperationRefused
from .registry.models import Municipality, PlanningRegion
from .registry.operations import load_registry

registry_cli = AppGroup("registry", help="Planning regions and municipalities.")
users_cli = AppGroup("users", help="User accounts (there is no self-registration).")
periods_cli = AppGroup("periods", help="Reporting years.")


@registry_cli.command("load")
def registry_load() -> None:
    """Load (or update) the 5 planning regions and 43 municipalities. Running it twice changes nothing."""
    report = load_registry()
    db.session.commit()
    click.echo(
        f"regions: {report.regions_added} added, {report.regions_updated} updated; "
        f"municipalities: {report.municipalities_added} added, {report.municipalities_updated} updated"
    )


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--municipality", "municipality_slug", help="Slug of the municipality (editors).")
@click.option("--region", "region_slug", help="Slug of the planning region (reviewers).")
@click.option("--locale", type=click.Choice(["lv", "en"]), default="lv")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email: str, name: str, role: str, municipality_slug: str | None, region_slug: str | None,
                 locale: str, password_stdin: bool) -> None:
    """Create a user. The password is asked for (or read from stdin), never given on the command line."""
    municipality = region = None
    if municipality_slug:
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == municipality_slug))
        if municipality is None:
            raise click.BadParameter(f"no municipality with slug {municipality_slug!r}", param_hint="--municipality")
    if region_slug:
        region = db.session.scalar(select(PlanningRegion).where(PlanningRegion.slug == region_slug))
        if region is None:
            raise click.BadParameter(f"no planning region with slug {region_slug!r}", param_hint="--region")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != password:
            raise click.ClickException("the passwords differ")
    try:
        user = create_user(email=email, name=name, password=password, role=Role(role), municipality=municipality,
                           region=region, locale=locale)
    except OperationRefused as exc:
        raise click.ClickException(exc.en) from exc
    db.session.commit()
    click.echo(f"created user {user.email} ({user.role})")


@users_cli.command("reset-two-factor")
@click.option("--email", required=True)
def users_reset_two_factor(email: str) -> None:
    """Turn a user's two-step sign-in off (a lost phone and lost recovery codes). Where the role requires it, the
    user sets it up again at the next sign-in."""
    from .auth.models import User
    from .auth.operations import normalise_email
    from .auth.twofactor import disable_two_factor

    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise click.ClickException(f"no user with e-mail {email!r}")
    disable_two_factor(user, None)
    user.session_version += 1  # whoever holds the old phone is signed out too
    db.session.commit()
    click.echo(f"two-step sign-in reset for {user.email}")


def default_periods() -> list[tuple[int, dt.date, dt.date]]:
    """Each year with a definition opens on 1 November of that year; the deadline is 31 March of the next."""
    return [(year, dt.date(year, 11, 1), dt.date(year + 1, 3, 31)) for year in available_years()]


def ensure_periods() -> int:
    existing = {p.year for p in db.session.scalars(select(ReportingPeriod))}
    added = 0
    for year, opens_on, deadline in default_periods():
        if year not in existing:
            db.session.add(ReportingPeriod(year=year, definition_version=get_definition(year).version,
                                           opens_on=opens_on, deadline=deadline))
            added += 1
    db.session.flush()
    return added


@periods_cli.command("ensure")
def periods_ensure() -> None:
    """Create the reporting years that have a definition and no period yet."""
    added = ensure_periods()
    db.session.commit()
    click.echo(f"reporting periods added: {added}")


@click.command("demo")
@click.option("--seed", default=2025, show_default=True, help="Random seed of the demo dataset.")
def demo_command(seed: int) -> None:
    """Set up the demo: registry, periods, one user per role (printed) and a realistic 2025 dataset."""
    from .demo import ensure_demo_users, load_demo, year_note

    from .reporting.operations import load_reference_data

    load_registry()
    ensure_periods()
    load_reference_data()
    summary = load_demo(seed=seed)
    db.session.commit()
    from .public.operations import rebuild_published

    published = rebuild_published()  # approvals and the import publish already; this covers anything older
    db.session.commit()
    from .reporting.operations import compile_snapshot

    # so the report pages have something to show: the demo year and the imported 2022 facts
    compiled = [compile_snapshot(year, trigger="cli")[0] for year in (2022, 2025)]
    db.session.commit()
    click.echo(summary + "\n\nReports compiled: " + ", ".join(f"{s.year} (snapshot {s.id})" for s in compiled) + "."
               + f"\nPublic municipality profiles: {published} published copies.\n"
               + year_note(ensure_demo_users()[0]))  # the first demo user is the administrator


def register(app: Flask) -> None:
    from .backup.cli import backup_cli
    from .excel.cli import export_cli, import_cli
    from .mail.cli import mail_cli
    from .public.cli import public_cli
    from .reporting.cli import reference_cli, reports_cli

    for command in (registry_cli, users_cli, periods_cli, demo_command, mail_cli, reference_cli, reports_cli,
                    export_cli, import_cli, public_cli, backup_cli):
        app.cli.add_command(command)
