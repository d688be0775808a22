"""After the load: every save the editors posted, checked against the database.

Each editor changes one answer that nobody else changes, with a new value every time, so the return's change log
(``change_log``: one row per stored change, with the user and the new value) tells exactly which posts were stored:

- an **acknowledged** save (the POST was answered with a redirect) must be in the change log — else it was lost;
- the **stored answer** must be the value of the editor's last stored save;
- a save answered with an **error page** (status >= 500) must either not be stored, or its page must say it was saved
  (an error page that hides a stored save is counted as a problem, and so is one that says "saved" when it was not);
- a save **refused** with a 4xx page (e.g. 409, 422) must not be stored;
- a save that got **no answer** (timeout, connection reset by a killed worker) may or may not be stored: counted.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from load_client import Save
from load_setup import OPEN_YEAR


def check_saves(app: Any, saves: list[Save]) -> bool:
    """Print the check; True if no problem was found."""
    from sqlalchemy import select

    from forms import get_definition
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn, ChangeLog
    from monitor.returns.storage import load_answers

    print(f"\nSaves posted: {len(saves)}: " + ", ".join(f"{k} {n}" for k, n in Counter(s.outcome for s in saves)
                                                      .most_common()))
    by_editor: dict[tuple[int, str, str], list[Save]] = defaultdict(list)
    for save in saves:
        by_editor[(save.user_id, save.slug, save.field)].append(save)
    tally: Counter[str] = Counter()
    problems: list[str] = []
    definition = get_definition(OPEN_YEAR)
    with app.app_context():
        returns = {slug: ret for slug, ret in db.session.execute(
            select(Municipality.slug, AnnualReturn).join(AnnualReturn, AnnualReturn.municipality_id == Municipality.id)
            .where(AnnualReturn.year == OPEN_YEAR))}
        stored_answers = {slug: load_answers(ret, definition) for slug, ret in returns.items()}
        for (user_id, slug, field_key), posted in sorted(by_editor.items()):
            ret = returns[slug]
            logged = {_decode(v) for v in db.session.scalars(select(ChangeLog.new_value).where(
                ChangeLog.return_id == ret.id, ChangeLog.field_path == field_key, ChangeLog.user_id == user_id))}
            posted.sort(key=lambda s: s.seq)
            for save in posted:
                stored = save.value in logged
                kind = _classify(save, stored)
                tally[kind] += 1
                if kind.startswith("PROBLEM"):
                    problems.append(f"{save.email} {slug} {field_key} #{save.seq} ({save.outcome}, page said "
                                    f"{save.claim or 'nothing'}): {kind}")
            last_stored = next((s for s in reversed(posted) if s.value in logged), None)
            tally["editor fields checked"] += 1
            if last_stored is not None:
                now = stored_answers[slug].get(field_key)
                if now != last_stored.value:
                    problems.append(f"{slug} {field_key}: the answer is {now!r}, the last stored save "
                                    f"#{last_stored.seq} sent {last_stored.value!r}")
                    tally["PROBLEM: stored answer is not the last stored save"] += 1
                else:
                    tally["stored answer = the editor's last stored save"] += 1
        db.session.remove()
    print("Check against the database (change log and stored answers):")
    for kind, n in sorted(tally.items(), key=lambda kv: (kv[0].startswith("PROBLEM"), kv[0])):
        print(f"  {n:>6}  {kind}")
    for line in problems[:30]:
        print(f"  ! {line}")
    if len(problems) > 30:
        print(f"  ! … and {len(problems) - 30} more")
    print("RESULT: " + ("every acknowledged save is in the database; no error page hid a stored save" if not problems
                        else f"{len(problems)} PROBLEMS"))
    return not problems


def _decode(value: str | None) -> Any:
    try:
        return json.loads(value) if value is not None else None
    except ValueError:
        return value


def _classify(save: Save, stored: bool) -> str:
    if save.outcome == "ack":
        return "acknowledged and stored" if stored else "PROBLEM: acknowledged but LOST"
    if save.outcome.startswith("status "):
        status = int(save.outcome.split()[1])
        if status >= 500:
            if stored:
                return ("error page, stored, the page said saved" if save.claim == "saved" else
                        "PROBLEM: error page, stored, but the page did not say saved")
            return ("PROBLEM: error page said saved, not stored" if save.claim == "saved" else
                    "error page, not stored")
        return f"PROBLEM: refused ({status}) but stored" if stored else f"refused ({status}), not stored"
    return f"no answer, {'stored (the user saw no answer)' if stored else 'not stored'}"
