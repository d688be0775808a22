"""The review friction a new user met (issue 15): the commented question highlighted with its comment (the
municipality's section page and the review page), the history of changes in pages, and the desk's warning
columns saying what they count."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.conftest import in_app
from tests.factories import complete_answers, make_return

RETURN_PAGE = "/returns/cesu-novads/2026"
REVIEW_PAGE = "/review/cesu-novads/2026"


def _ret(slug: str = "cesu-novads", year: int = 2026):
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn

    return db.session.scalar(select(AnnualReturn).join(Municipality).where(
        Municipality.slug == slug, AnnualReturn.year == year))


def _submit(app, users, slug: str, notes: dict | None = None) -> None:
    from monitor.auth.models import User
    from monitor.extensions import db
    from monitor.returns.operations import previous_answers, submit_return

    def run() -> None:
        ret = _ret(slug)
        outcome = submit_return(ret, base_version=ret.version, actor=db.session.get(User, users["admin"].id),
                                notes=notes, previous=previous_answers(ret.municipality, 2026))
        assert outcome.submitted, [i.en for i in outcome.result.errors]
    in_app(app, run)


# ------------------------------------------------------------------- 5. the commented question, highlighted

def _returned_with_comments(app, users, login_as):
    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    _submit(app, users, "cesu-novads")
    reviewer = login_as("reviewer")
    for data in ({"section_key": "budget", "field_path": "budget_lines", "body": "Kāpēc izlietots mazāk?"},
                 {"section_key": "budget", "body": "Visa sadaļa jāpārskata."}):
        assert reviewer.post(f"{REVIEW_PAGE}/comments", data=data).status_code == 302
    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    version = re.search(r'name="base_version" value="(\d+)"', page).group(1)
    assert reviewer.post(f"{REVIEW_PAGE}/decision", data={
        "action": "return_for_correction", "reason": "Jāprecizē.", "base_version": version}).status_code == 302
    return reviewer


def _block(page: str, marker: str) -> str:
    """The element that ``marker`` opens, up to the next question's block (enough to see what is inside)."""
    return page.split(marker, 1)[1].split('<div class="field', 1)[0] if marker in page else ""


def test_the_commented_question_is_highlighted_with_its_comment_on_the_section_page(app, users, login_as):
    _returned_with_comments(app, users, login_as)
    page = login_as("editor").get(f"{RETURN_PAGE}/sections/budget").get_data(as_text=True)
    block = page.split('<div class="commented-question" id="commented-budget_lines">', 1)[1]
    comment, question = block.split('<fieldset', 1)
    assert "Kāpēc izlietots mazāk?" in comment and 'name="reply::' in comment  # the comment and its reply box …
    assert 'name="g.budget_lines.rows"' in question.split('<div class="commented-question"', 1)[0]  # … and the table
    assert page.count('class="commented-question"') == 1  # only the question commented on
    # the reply's label is a label of its box, in the same comment block (the CSS places it above the box)
    label = re.search(r'<label for="(reply-\d+)">', comment)
    assert label and f'id="{label.group(1)}"' in comment
    # the comment on the whole section stays above the questions, not on one of them
    assert "Visa sadaļa jāpārskata." in page.split('class="comments-block"', 1)[1].split("</section>", 1)[0]
    # read-only (the reviewer's view of the municipality's page): highlighted too
    page = login_as("reviewer").get(f"{RETURN_PAGE}/sections/budget").get_data(as_text=True)
    assert "Kāpēc izlietots mazāk?" in page.split('id="commented-budget_lines"', 1)[1].split("</dl>", 1)[0]


def test_the_review_page_marks_the_commented_row_and_links_the_comment_to_it(app, users, login_as):
    reviewer = _returned_with_comments(app, users, login_as)
    page = reviewer.get(REVIEW_PAGE).get_data(as_text=True)
    row = page.split('<tr id="r-budget_lines"', 1)[1].split("</th>", 1)[0]
    assert row.startswith(' class="commented-row"') and "Kāpēc izlietots mazāk?" in row
    assert page.count('class="commented-row"') == 1
    comments = page.split('id="comments-h"', 1)[1].split("</section>", 1)[0]
    assert 'href="#r-budget_lines"' in comments and 'href="#section-budget"' in comments


def test_the_stylesheet_highlights_the_comment_and_puts_the_reply_label_above_its_box(client):
    css = client.get("/static/site.css").get_data(as_text=True)
    assert re.search(r"\.commented-question\s*{[^}]*background", css)
    assert re.search(r"\.review-comment > label\s*{[^}]*display:\s*block", css)
    assert re.search(r"tr\.commented-row > th[^{]*{[^}]*background", css)


# ----------------------------------------------------------------------- 6. the history of changes in pages

def test_the_history_of_changes_is_paginated_with_plain_links(app, users, login_as):
    from monitor.returns.models import ChangeLog
    from monitor.returns.queries import HISTORY_PER_PAGE

    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)
    total = in_app(app, lambda: _count(ChangeLog))
    assert total > HISTORY_PER_PAGE  # more than one page
    client = login_as("editor")
    first = client.get(f"{RETURN_PAGE}/history").get_data(as_text=True)
    assert first.count("<tr><td>") == HISTORY_PER_PAGE
    assert f'href="{RETURN_PAGE}/history?page=2" rel="next"' in first and 'rel="prev"' not in first
    assert f"izmaiņas 1.–{HISTORY_PER_PAGE}. no {total}" in first
    last_number = -(-total // HISTORY_PER_PAGE)
    last = client.get(f"{RETURN_PAGE}/history?page={last_number}").get_data(as_text=True)
    assert last.count("<tr><td>") == total - (last_number - 1) * HISTORY_PER_PAGE
    assert f'page={last_number - 1}" rel="prev"' in last and 'rel="next"' not in last
    table = lambda page: page.split('<table class="data">', 1)[1].split("</table>", 1)[0]  # noqa: E731
    assert table(client.get(f"{RETURN_PAGE}/history?page=999").get_data(as_text=True)) == table(last)  # the last
    assert table(client.get(f"{RETURN_PAGE}/history?page=x").get_data(as_text=True)) == table(first)  # the first
    # the overview still shows the five latest
    assert client.get(RETURN_PAGE).get_data(as_text=True).split('class="recent"', 1)[1].split("</ul>")[0] \
        .count("<li>") == 5
    assert login_as("editor_other").get(f"{RETURN_PAGE}/history?page=2").status_code == 404


def _count(model) -> int:
    from monitor.extensions import db

    return db.session.scalar(select(func.count()).select_from(model))


def test_the_pages_together_hold_every_change_once_newest_first(app, users, login_as):
    from monitor.returns.models import ChangeLog
    from monitor.returns.queries import history_page

    make_return(app, "cesu-novads", 2026, complete_answers(), actor_id=users["editor"].id)

    def pages() -> tuple[list[int], list[int]]:
        first = history_page(_ret(), 1)
        ids = [log.id for number in range(1, first.pages + 1) for log, _name in history_page(_ret(), number).rows]
        return ids, sorted((c.id for c in _all(ChangeLog)), reverse=True)
    ids, every = in_app(app, pages)
    assert ids == every


def _all(model):
    from monitor.extensions import db

    return db.session.scalars(select(model)).all()


# ------------------------------------------------------------------------- 8. the desk's warning columns

def _desk_cells(page: str, name: str) -> list[str]:
    row = re.search(r"<tr>\s*<th scope=\"row\">(?:<a [^>]*>)?" + re.escape(name) + r".*?</tr>", page, re.S).group(0)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row, re.S)]


def test_the_desk_says_what_its_warning_columns_count(app, users, login_as):
    # last year's small figure makes this year's ten times larger one a warning (it does not block submitting)
    for slug, editor in (("cesu-novads", "editor"), ("valmieras-novads", "admin")):
        make_return(app, slug, 2025, {**complete_answers(2025), "ngo_grants_total_eur": 100},
                    actor_id=users[editor].id, status="approved")
        make_return(app, slug, 2026, {**complete_answers(), "ngo_grants_total_eur": 1500}, actor_id=users[editor].id)
    _submit(app, users, "cesu-novads", notes={("ngo_grants_total_eur", "growth"): "Jauns fonds."})
    _submit(app, users, "valmieras-novads")  # no explanation
    make_return(app, "valkas-novads", 2026, complete_answers(), actor_id=users["admin"].id)  # a draft
    page = login_as("reviewer").get("/review/?year=2026").get_data(as_text=True)
    header = page.split("<thead>", 1)[1].split("</thead>", 1)[0]
    assert "Brīdinājumi</th>" in header and "Brīdinājumi bez paskaidrojuma</th>" in header
    assert "(bez paskaidrojuma)" not in page
    notes = page.split('id="desk-columns"', 1)[1].split("</dl>", 1)[0]  # in words on the page, not a tooltip
    assert "Brīdinājumi bez paskaidrojuma" in notes and "iesniedzot pārskatu" in notes and "—" in notes
    assert "title=" not in header
    # columns: state, submitted, deadline, days late, warnings, of them without an explanation, open comments
    assert _desk_cells(page, "Cēsu novads")[4:6] == ["1", "0"]
    assert _desk_cells(page, "Valmieras novads")[4:6] == ["1", "1"]
    assert _desk_cells(page, "Valkas novads")[4:6] == ["—", "—"]  # not submitted: not counted, not zero
    assert _desk_cells(page, "Smiltenes novads")[4:6] == ["—", "—"]  # not started
