"""A reviewer's comment as the municipality sees it in a real browser, at 1366 px and at phone width: the commented
question and its comment in one highlighted block, the reply's label above its box (it once sat on the box's
baseline, beside it), and the review page marking the commented row."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.helpers import look
from tests.conftest import PASSWORD, in_app, make_user
from tests.factories import complete_answers, make_return

pytestmark = pytest.mark.browser

SLUG, YEAR = "cesu-novads", 2026


def _returned_with_a_comment(app: Any, editor_id: int, reviewer_id: int) -> None:
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn
    from monitor.returns.operations import submit_return
    from monitor.review.operations import add_comment, return_for_correction

    make_return(app, SLUG, YEAR, complete_answers(YEAR), actor_id=editor_id)

    def run() -> None:
        ret = db.session.scalar(select(AnnualReturn).join(Municipality).where(Municipality.slug == SLUG))
        editor, reviewer = db.session.get(User, editor_id), db.session.get(User, reviewer_id)
        assert submit_return(ret, base_version=ret.version, actor=editor).submitted
        add_comment(ret, reviewer, body="Lūdzu, norādiet arī plānoto summu katram avotam.", section_key="budget",
                    field_path="budget_lines")
        return_for_correction(ret, reviewer, reason="Jāprecizē budžets.", base_version=ret.version)
    in_app(app, run)


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator('main form button[type="submit"]').click()


def test_the_commented_question_is_highlighted_and_the_reply_label_sits_above_its_box(app, live_server,
                                                                                     browser_page):
    page = browser_page
    editor = make_user(app, "editor.comments@test.lv", "editor", municipality=SLUG)
    reviewer = make_user(app, "reviewer.comments@test.lv", "reviewer", region="vidzeme-region")
    _returned_with_a_comment(app, editor.id, reviewer.id)
    _sign_in(page, live_server, editor.email)
    url = f"{live_server}/returns/{SLUG}/{YEAR}/sections/budget"
    look(page, url, "comment-section")  # no sideways scrolling at 1366 and 390 px; screenshots kept
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        block = page.locator(".commented-question")
        assert block.count() == 1
        assert block.evaluate("e => getComputedStyle(e).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
        assert "plānoto summu" in block.inner_text() and block.locator("fieldset.group").count() == 1  # with its table
        label, box = block.locator(".review-comment label"), block.locator(".review-comment textarea")
        lb, bb = label.bounding_box(), box.bounding_box()
        assert lb is not None and bb is not None
        assert lb["y"] + lb["height"] <= bb["y"] + 1, width  # the label above its box …
        assert abs(lb["x"] - bb["x"]) <= 2, width  # … and aligned with its left edge
        assert bb["x"] + bb["width"] <= width  # the box fits the screen

    page.context.clear_cookies()  # signed out
    _sign_in(page, live_server, reviewer.email)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server}/review/{SLUG}/{YEAR}")
    row = page.locator("tr.commented-row")
    assert row.count() == 1 and "plānoto summu" in row.inner_text()
    assert row.locator("th[scope=row]").evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
