"""The per-process cache of a return's answers and of their submit-mode check (issue 13: a section page does not
read and validate the whole return again on every view). Keyed by the return's version: a save is seen at once,
and nothing uncommitted ever enters the cache."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import event

from tests.conftest import login
from tests.factories import make_return
from tests.monitor.test_conflict import BASE, _fingerprints, _version


def _answer_reads(app, client, url: str) -> tuple[int, str]:
    from monitor.extensions import db

    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", record)
    try:
        page = client.get(url).get_data(as_text=True)
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", record)
    return sum(1 for s in statements if re.search(r"\bFROM (answer|group_row|group_answer)\b", s)), page


def test_a_second_view_reads_no_answers_and_a_save_is_seen_at_once(app, users):
    make_return(app, "cesu-novads", 2025, {"respondent_name": "Pērn"}, actor_id=users["editor"].id)
    make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    client = login(app.test_client(), users["editor"])
    url = f"{BASE}/sections/respondent"
    first, page = _answer_reads(app, client, url)
    assert first >= 2  # this year's and last year's answers
    again, page = _answer_reads(app, client, url)
    assert again == 0 and 'value="Ilze"' in page
    response = client.post(url, data={"base_version": _version(page), "fingerprints": _fingerprints(page),
                                      "g.published_documents.rows": "0", "f.respondent_name": "Ilze Bērziņa",
                                      "action": "save"})
    assert response.status_code == 302
    reads, page = _answer_reads(app, client, url)
    assert reads >= 1 and 'value="Ilze Bērziņa"' in page  # a new version: read again
    assert _answer_reads(app, client, f"{BASE}/submit")[0] == 0  # the same version, checked once


def test_answers_read_in_a_writing_transaction_are_not_cached(app, users):
    from forms import get_definition
    from monitor.extensions import db
    from monitor.returns.edit import plan_edit
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import ANSWERS, answers_key, apply_edit, load_answers

    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze"}, actor_id=users["editor"].id)
    definition = get_definition(2026)
    with app.test_request_context(f"{BASE}/sections/respondent", method="POST"):
        ret = db.session.get(AnnualReturn, return_id)
        current = load_answers(ret, definition)
        plan = plan_edit(definition, current, {"respondent_name": "Never committed"})
        apply_edit(ret, definition, plan, actor_id=users["editor"].id, source="web", current=current)
        assert load_answers(ret, definition)["respondent_name"] == "Never committed"
        uncommitted = answers_key(ret, definition)
        db.session.rollback()
    assert ANSWERS.peek(uncommitted) is None
    with app.test_request_context(f"{BASE}/sections/respondent", method="GET"):
        ret = db.session.get(AnnualReturn, return_id)
        assert load_answers(ret, definition)["respondent_name"] == "Ilze"


def test_each_caller_gets_its_own_copy(app, users):
    from forms import get_definition
    from monitor.extensions import db
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import load_answers

    return_id = make_return(app, "cesu-novads", 2026, {"respondent_name": "Ilze", "published_documents": [
        {"document_title": "Plāns", "document_url": "https://www.cesis.lv/plans"}]}, actor_id=users["editor"].id)
    definition = get_definition(2026)
    with app.test_request_context("/", method="GET"):
        ret = db.session.get(AnnualReturn, return_id)
        first = load_answers(ret, definition)
        first["respondent_name"] = "changed by a caller"
        first["published_documents"][0]["document_title"] = "changed too"
        second = load_answers(ret, definition)
    assert second["respondent_name"] == "Ilze"
    assert second["published_documents"][0]["document_title"] == "Plāns"
