"""``flask public rebuild``: rebuild every published copy from the approved returns."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..extensions import db
from .operations import rebuild_published

public_cli = AppGroup("public", help="The public municipality profiles.")


@public_cli.command("rebuild")
def public_rebuild() -> None:
    """Rebuild the public copy of every approved return from its answers (idempotent). Copies of returns
    reopened since their approval are kept as they are."""
    count = rebuild_published()
    db.session.commit()
    click.echo(f"published copies rebuilt: {count}")
