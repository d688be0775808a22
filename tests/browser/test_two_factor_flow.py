"""Two-step sign-in in a real browser (Chromium via Playwright, CSRF on): an editor turns it on from the account
page (QR code drawn on the server, allowed by the page's CSP), keeps the recovery codes, signs out, and signs in
again with the password and a code from the app. The set-up and code pages are looked at in both widths."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest

from tests.browser.helpers import look
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.browser


def _submit(page: Any, form: Any) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        form.locator('button[type="submit"]').click()


def _last_step(app: Any, user_id: int) -> int:
    from monitor.auth.models import User
    from monitor.extensions import db

    with app.app_context():
        return db.session.get(User, user_id).totp_last_step


def test_an_editor_turns_two_step_sign_in_on_and_signs_in_with_a_code(app, live_server, browser_page):
    page = browser_page
    editor = make_user(app, "editor.totp@test.lv", "editor", municipality="cesu-novads")
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error"
            and not msg.text.startswith("Failed to load resource") else None)

    page.goto(f"{live_server}/login")
    page.locator("#email").fill(editor.email)
    page.locator("#password").fill(PASSWORD)
    _submit(page, page.locator("main form"))
    assert "/login" not in page.url

    look(page, f"{live_server}/account", "account-two-step-off")
    _submit(page, page.locator('main form[action="/account/two-factor/start"]'))
    assert page.url.endswith("/account/two-factor/setup")
    look(page, page.url, "two-step-setup")
    qr = page.locator("img.qr")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")  # drawn: the CSP let the data: URI through
    secret = page.locator("code.secret").inner_text().replace(" ", "")
    page.locator("#code").fill(pyotp.TOTP(secret).now())
    page.locator("#password").fill(PASSWORD)
    _submit(page, page.locator("main form"))
    assert page.locator("ol.recovery-codes li").count() == 10

    _submit(page, page.locator("header form").filter(has=page.locator("button", has_text="Atslēgties")))
    page.locator("#email").fill(editor.email)
    page.locator("#password").fill(PASSWORD)
    _submit(page, page.locator("main form"))
    assert page.url.endswith("/login/code")
    look(page, page.url, "two-step-code")
    page.locator("#code").fill(pyotp.TOTP(secret).generate_otp(_last_step(app, editor.id) + 1))
    _submit(page, page.locator("main form"))
    assert "/login" not in page.url, page.locator("main").inner_text()[:300]
    assert page.locator("header .who").count() == 1
    assert problems == []
