"""The Riga clock: deadlines and lateness are Latvian calendar days, whatever the server's time zone.

Pure helpers (no database, no request), below every area that needs today's date or a moment's day.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

RIGA = ZoneInfo("Europe/Riga")


def riga_today() -> dt.date:
    """Today in Latvia (deadlines are Latvian calendar days, whatever the server's time zone)."""
    return dt.datetime.now(RIGA).date()


def riga_date(moment: dt.datetime) -> dt.date:
    """The Latvian calendar day of a moment: deadlines and lateness are judged in Riga."""
    return moment.astimezone(RIGA).date()


def riga_midnight(day: dt.date) -> dt.datetime:
    """The start of a Latvian calendar day, as an aware datetime."""
    return dt.datetime.combine(day, dt.time(), tzinfo=RIGA)


def submitted_late(first_submitted_at: dt.datetime | None, deadline: dt.date) -> bool:
    """A first submission is late when its Latvian calendar day is after the deadline (the day itself is on time)."""
    return first_submitted_at is not None and riga_date(first_submitted_at) > deadline
