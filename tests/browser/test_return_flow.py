"""A municipality editor fills in and submits the 2026 return in a real browser (Chromium via Playwright).

The server runs with CSRF protection on, so every form (sign in, start, save, add a row, language, submit)
goes through the real token path. Every section is filled through the UI, driven by ``complete_answers()``
and the form definition (radios by name and value, text inputs by id), so the test follows the definition.

Run: ``.venv/bin/python -m pytest -q tests/browser``. A screenshot of the end state goes to
``/tmp/browser-flow.png`` (override with ``BROWSER_SCREENSHOT``).
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit

import pytest

from forms import FieldType, get_definition
from tests.conftest import PASSWORD, make_user
from tests.factories import complete_answers

pytestmark = pytest.mark.browser

YEAR = 2026
SLUG = "cesu-novads"
SCREENSHOT = os.environ.get("BROWSER_SCREENSHOT", "/tmp/browser-flow.png")


# ------------------------------------------------------------------------------------------------ helpers

def _click_and_load(page: Any, locator: Any) -> None:
    """Click something that loads a new page (form post, link) and wait for that page."""
    with page.expect_navigation(wait_until="domcontentloaded"):
        locator.click()


def _save(page: Any, action: str = "save") -> None:
    _click_and_load(page, page.locator(f'form.return-form button[name="action"][value="{action}"]'))


def _fill_input(page: Any, f: Any, name: str, element_id: str, value: Any) -> None:
    """Answer one question (or group cell) the way a person would: type, or tick the right box."""
    if value is None:
        return
    if f.type in (FieldType.YES_NO_DK, FieldType.SINGLE_CHOICE, FieldType.SCALE):
        page.locator(f'input[type="radio"][name="{name}"][value="{value}"]').check()
    elif f.type == FieldType.MULTI_CHOICE:
        for code in value:
            page.locator(f'input[type="checkbox"][name="{name}"][value="{code}"]').check()
    else:  # text, long text, e-mail, URL, phone, numbers (text inputs), dates (<input type=date>: ISO text)
        page.locator(f"#{element_id}").fill(str(value))


def _fill_section(page: Any, section: Any, answers: dict[str, Any]) -> None:
    """Fill every answered question of the section shown; rows of repeating groups are added with the button."""
    for f in section.fields:
        value = answers.get(f.key)
        if f.is_group:
            for i, row in enumerate(value or []):
                if page.locator(f"#g-{f.key}-{i}").count() == 0:
                    _click_and_load(page, page.locator(f'button[name="action"][value="add:{f.key}"]'))
                    assert page.locator(f"#g-{f.key}-{i}").count() == 1, f"row {i} of {f.key} was not added"
                for child in f.fields:
                    _fill_input(page, child, f"g.{f.key}.{i}.{child.key}", f"g-{f.key}-{i}-{child.key}",
                                row.get(child.key))
        else:
            _fill_input(page, f, f"f.{f.key}", f"f-{f.key}", value)


def _expect_saved(page: Any, section: Any, locale: str) -> None:
    assert page.locator("#error-summary").count() == 0, page.locator("#error-summary").inner_text()
    flash = page.locator(".flash-success")
    assert flash.count() == 1, f"no success message after saving {section.key}"
    assert page.locator("h1").inner_text() == section.title.get(locale)


def _path(page: Any) -> str:
    """The path of the page shown (a fragment clicked earlier survives POST→redirect, so not the full URL)."""
    return urlsplit(page.url).path


def _active_element_id(page: Any) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def _target_element_id(page: Any) -> str | None:
    return page.evaluate("() => { const t = document.querySelector(':target'); return t && t.id; }")


# -------------------------------------------------------------------------------------------------- test

def test_editor_fills_and_submits_return(app, live_server, browser_page):
    page = browser_page
    definition = get_definition(YEAR)
    sections = {s.key: s for s in definition.sections}
    answers = complete_answers(YEAR)
    editor = make_user(app, "editor.browser@test.lv", "editor", municipality=SLUG)
    # script errors and console errors (e.g. Content-Security-Policy violations); HTTP errors are listed apart
    problems: list[str] = []
    http_errors: list[tuple[int, str]] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}")
            if msg.type == "error" and not msg.text.startswith("Failed to load resource") else None)
    page.on("response", lambda r: http_errors.append((r.status, urlsplit(r.url).path))
            if r.status >= 400 and urlsplit(r.url).path != "/favicon.ico" else None)

    # --- sign in (real CSRF token from the login form)
    page.goto(f"{live_server}/login")
    assert page.locator("html").get_attribute("lang") == "lv"  # Latvian by default
    page.locator("#email").fill(editor.email)
    page.locator("#password").fill(PASSWORD)
    _click_and_load(page, page.locator('main form button[type="submit"]'))
    assert "/login" not in page.url, page.locator("main").inner_text()[:500]
    assert page.locator("header .who").count() == 1

    # --- overview: the return is not started yet; start an empty one
    page.goto(f"{live_server}/returns/{SLUG}/{YEAR}")
    assert page.locator(".badge-not_started").count() == 1
    start_form = page.locator(f'form[action="/returns/{SLUG}/{YEAR}/start"]:not(:has(input[name="from_last_year"]))')
    _click_and_load(page, start_form.locator("button"))
    first = definition.sections[0]
    assert first.key == "respondent"
    assert _path(page) == f"/returns/{SLUG}/{YEAR}/sections/respondent", page.url
    assert page.locator("h1").inner_text() == first.title.lv  # "Atbildētājs"
    assert page.locator(".flash-success").count() == 1

    # --- respondent: a mistyped e-mail is refused, the error summary links to the field
    page.locator("#f-respondent_name").fill(answers["respondent_name"])
    page.locator(f'input[name="f.respondent_role"][value="{answers["respondent_role"]}"]').check()
    page.locator("#f-respondent_email").fill("ilze.berzina(at)cesis")
    _save(page)
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.locator(".flash-success").count() == 0
    # the input was kept, and the field is marked invalid and described by its message
    email = page.locator("#f-respondent_email")
    assert email.input_value() == "ilze.berzina(at)cesis"
    assert email.get_attribute("aria-invalid") == "true"
    assert "f-respondent_email-error" in (email.get_attribute("aria-describedby") or "")
    assert page.locator("#f-respondent_name").input_value() == answers["respondent_name"]
    link = summary.locator('a[href="#f-respondent_email"]')
    assert link.count() == 1, summary.inner_html()
    link.click()
    page.wait_for_function("() => location.hash === '#f-respondent_email'")
    assert _target_element_id(page) == "f-respondent_email"
    # Chromium moves focus to a focusable fragment target; if this ever changes, :target above still holds
    assert _active_element_id(page) == "f-respondent_email"
    # fix it (the focused field takes the typing) and save
    page.keyboard.press("Control+A")
    page.keyboard.type(answers["respondent_email"])
    _save(page)
    _expect_saved(page, first, "lv")
    assert page.locator("#f-respondent_email").input_value() == answers["respondent_email"]

    # --- every other section through the UI, moving on with "Save and continue"
    _save(page, "save_next")  # nothing changed in the respondent section
    switched = False
    for section in definition.sections[1:]:
        assert _path(page) == f"/returns/{SLUG}/{YEAR}/sections/{section.key}", page.url
        if section.key == "cooperation" and not switched:
            # --- switch the language once: the same page comes back in English
            assert page.locator("h1").inner_text() == section.title.lv
            _click_and_load(page, page.locator('header button[name="locale"][value="en"]'))
            switched = True
            assert _path(page) == f"/returns/{SLUG}/{YEAR}/sections/{section.key}", page.url
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.locator("h1").inner_text() == "Cooperation"
            assert page.locator('header button[name="locale"][value="lv"]').inner_text() == "Latviski"
        locale = "en" if switched else "lv"
        assert page.locator("h1").inner_text() == section.title.get(locale)
        _fill_section(page, section, answers)
        if section.key == "contacts":
            # the repeating group was filled through the browser: one contact person, published
            assert page.locator("#g-contact_persons-0-name").input_value() == answers["contact_persons"][0]["name"]
            assert page.locator('input[name="g.contact_persons.0.is_public"][value="yes"]').is_checked()
            _save(page)
            _expect_saved(page, section, locale)
            assert page.locator("#g-contact_persons-0-email").input_value() == answers["contact_persons"][0]["email"]
            assert page.locator('input[name="g.contact_persons.0._uid"]').input_value() != ""
            _save(page, "save_next")
            continue
        if section is definition.sections[-1]:
            _save(page)
            _expect_saved(page, section, locale)
            break
        _save(page, "save_next")
        assert page.locator("#error-summary").count() == 0, (section.key, page.locator("#error-summary").inner_text())
        assert page.locator(".flash-success").count() == 1, section.key
    assert switched

    # --- overview: every section complete; open "Check and submit"
    _click_and_load(page, page.locator(".breadcrumbs a"))
    assert page.locator("ol.sections li.section-row").count() == len(sections)
    assert page.locator("ol.sections .text-ok").count() == len(sections), page.locator("ol.sections").inner_text()
    _click_and_load(page, page.locator(f'a.button[href="/returns/{SLUG}/{YEAR}/submit"]'))
    assert page.locator("h1").inner_text() == "Check and submit"
    assert page.locator("#error-summary").count() == 0, page.locator("#error-summary").inner_text()
    submit_button = page.locator('main form button[type="submit"]')
    assert submit_button.count() == 1
    _click_and_load(page, submit_button)

    # --- submitted: back on the overview, read-only
    assert _path(page) == f"/returns/{SLUG}/{YEAR}", page.url
    assert page.locator(".flash-success").count() == 1
    assert page.locator(".badge-submitted").count() == 1
    assert re.search(r"\d\d\.\d\d\.\d{4} \d\d:\d\d", page.locator("main p:has(.badge-submitted)").inner_text())
    assert page.locator(f'a.button[href="/returns/{SLUG}/{YEAR}/submit"]').count() == 0
    page.screenshot(path=SCREENSHOT, full_page=True)

    # a submitted return shows its sections read-only
    page.goto(f"{live_server}/returns/{SLUG}/{YEAR}/sections/contacts")
    assert page.locator("form.return-form").count() == 0
    assert answers["contact_persons"][0]["email"] in page.locator("dl.readonly").inner_text()

    # and the database agrees
    from sqlalchemy import select

    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from monitor.returns.models import AnnualReturn
    from monitor.returns.storage import load_answers

    with app.app_context():
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == SLUG))
        ret = db.session.scalar(select(AnnualReturn).where(AnnualReturn.municipality_id == municipality.id,
                                                           AnnualReturn.year == YEAR))
        assert ret.status == "submitted"
        stored = load_answers(ret, definition)
        assert stored["respondent_email"] == answers["respondent_email"]
        assert [r["name"] for r in stored["contact_persons"]] == [answers["contact_persons"][0]["name"]]
        assert stored["contact_persons"][0]["is_public"] == "yes"
        assert len(stored["grant_programmes"]) == 1 and len(stored["budget_lines"]) == 1

    assert not problems, problems
    # the only error response of the whole flow is the refused save with the mistyped e-mail
    assert http_errors == [(422, f"/returns/{SLUG}/{YEAR}/sections/respondent")], http_errors
