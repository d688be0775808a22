"""``flask mail send`` and ``flask mail remind``: the outbox jobs, by hand or from cron."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from ..clock import riga_today
from ..extensions import db
from ..returns.notifications import periods_to_remind, queue_deadline_reminders
from .links import absolute_url
from .operations import SendReport, send_pending

mail_cli = AppGroup("mail", help="E-mail: send the outbox, queue deadline reminders.")


@mail_cli.command("send")
@click.option("--limit", default=100, show_default=True, help="At most this many messages.")
def mail_send(limit: int) -> None:
    """Send the messages that are due (without MAIL_SERVER they are held for the admin outbox)."""
    report = send_pending(limit=limit)
    click.echo(str(report))
    with current_app.test_request_context():
        outbox = absolute_url(url_for("mail.outbox"))
    for line in held_explanation(report, outbox, is_demo=bool(current_app.config.get("MONITOR_DEMO"))):
        click.echo(line)


def held_explanation(report: SendReport, outbox_url: str, *, is_demo: bool = False) -> list[str]:
    """Plain words for held messages (none when nothing was held): why they were not sent and where to read them."""
    if not report.held:
        return []
    count = f"{report.held} e-mail{'' if report.held == 1 else 's'}"
    who = "sign in as admin@demo.lv" if is_demo else "administrators only"
    return [
        f"{count} held, not sent: no mail server is set (MONITOR_MAIL_SERVER){' in the demo' if is_demo else ''}.",
        "Nothing is lost: held e-mails stay in the outbox, where an administrator reads each one in full:",
        f"  {outbox_url}  (menu \"Nosūtāmie e-pasti\" / \"Outbox\"; {who}).",
        "Held e-mails are never sent later; once a mail server is set, new e-mails are sent.",
    ]


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
