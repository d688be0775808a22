"""Operations used by the wrapper tests."""

import datetime as dt

from monitor.extensions import db
from monitor.jobs.models import CompletenessSnapshot


def writes() -> dict:
    db.session.add(CompletenessSnapshot(day=dt.date(2030, 1, 1), year=2030, counts={"x": 1}))
    return {"wrote": 1}


def writes_then_fails() -> dict:
    db.session.add(CompletenessSnapshot(day=dt.date(2030, 1, 2), year=2030, counts={"x": 2}))
    db.session.flush()
    raise RuntimeError("broken on purpose")
