"""``flask mail send`` and ``flask mail remind``: the outbox jobs, by hand or from cron."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from ..extensions import db
from ..review.deadlines import riga_today
from .notifications import periods_to_remind, queue_deadline_reminders
from .operations import send_pending

mail_cli = AppGroup("mail", help="E-mail: send the outbox, queue deadline reminders.")


@mail_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="At most this many messages.")
def mail_send(limit: int) -> None:
    """Send the messages that are due (without MAIL_SERVER they are held for the admin outbox)."""
    report = send_pending(limit=limit)
    click.echo(str(report))


@mail_cli.command("remind")
@click.option("--date", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="The day to queue reminders for (YYYY-MM-DD; default: today in Riga).")
def mail_remind(on: dt.datetime | None) -> None:
    """Queue the deadline reminders due on the date. Running it twice on the same day queues nothing new."""
    day = on.date() if on else riga_today()
    total = 0
    for period in periods_to_remind(day):
        count = len(queue_deadline_reminders(period, day))
        total += count
        click.echo(f"period {period.year}: {count} reminders queued")
    db.session.commit()
    click.echo(f"reminders queued on {day.isoformat()}: {total}")
