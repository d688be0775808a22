"""Sign-in hardening (issue 14, item 3): failures per (account, address) with decay and back-off, server-side
sign-out, the password-change page limited, the 429 page's wait from Retry-After, no typed e-mail in the audit log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD, login, test_config

STRANGER = {"REMOTE_ADDR": "203.0.113.9"}
OWNER = {"REMOTE_ADDR": "198.51.100.7"}


def _post_login(client, email: str, password: str, address: dict[str, str]):
    return client.post("/login", data={"email": email, "password": password}, environ_base=address)


def test_a_strangers_failures_do_not_stop_the_user_from_another_address(app, users):
    stranger, owner = app.test_client(), app.test_client()
    codes = [_post_login(stranger, "editor@test.lv", "guessing wrong again", STRANGER).status_code
             for _ in range(3 * app.config["LOGIN_MAX_FAILURES"])]
    assert codes[-1] == 429 and 401 in codes
    # the stranger's address is blocked for this account, even with the right password ...
    assert _post_login(stranger, "editor@test.lv", PASSWORD, STRANGER).status_code == 429
    # ... but the owner, from another address, signs in at once
    response = _post_login(owner, "editor@test.lv", PASSWORD, OWNER)
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    assert owner.get("/returns/cesu-novads/2026", environ_base=OWNER).status_code == 200
    # and the stranger's address can still sign in to another account (the block is per pair)
    assert _post_login(stranger, "editor2@test.lv", PASSWORD, STRANGER).status_code == 302


def test_ipv6_addresses_count_by_their_64_network():
    from monitor.auth.throttle import source_network

    assert source_network("2001:db8:1:2:aaaa::1") == source_network("2001:db8:1:2:bbbb::2") == "2001:db8:1:2::/64"
    assert source_network("2001:db8:1:3::1") != source_network("2001:db8:1:2::1")
    assert source_network("::ffff:192.0.2.4") == source_network("192.0.2.4") == "192.0.2.4"
    assert source_network(None) == source_network("not an address") == "unknown"


def test_the_block_doubles_up_to_the_cap_and_the_counter_decays(app):
    from monitor.auth.models import LoginThrottle
    from monitor.auth.throttle import attempt_for, blocked_for, record_failure
    from monitor.extensions import db

    config = app.config
    with app.app_context():
        attempt = attempt_for("someone@test.lv", "192.0.2.10")
        now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
        waits = [record_failure(attempt, now) for _ in range(config["LOGIN_MAX_FAILURES"])]
        assert waits[:-1] == [0] * (config["LOGIN_MAX_FAILURES"] - 1)
        assert waits[-1] == config["LOGIN_LOCK_SECONDS"]
        assert blocked_for(attempt, now + dt.timedelta(seconds=1)) == config["LOGIN_LOCK_SECONDS"] - 1
        # each failure after a block: twice as long, at most the cap
        later, seen = now, []
        for _ in range(6):
            later += dt.timedelta(seconds=seen[-1] if seen else waits[-1])
            seen.append(record_failure(attempt, later))
        assert seen[:3] == [2 * config["LOGIN_LOCK_SECONDS"], 4 * config["LOGIN_LOCK_SECONDS"],
                            8 * config["LOGIN_LOCK_SECONDS"]]
        assert max(seen) == seen[-1] == config["LOGIN_LOCK_MAX_SECONDS"]
        # a failure after a quiet window starts from one again: no block
        quiet = later + dt.timedelta(seconds=config["LOGIN_LOCK_MAX_SECONDS"] + config["LOGIN_FAILURE_WINDOW_SECONDS"])
        assert blocked_for(attempt, quiet) == 0
        assert record_failure(attempt, quiet) == 0
        row = db.session.scalar(select(LoginThrottle))
        assert row.failures == 1
        db.session.rollback()


def test_old_failures_no_longer_count_at_sign_in(app, users, client):
    from monitor.auth.models import LoginThrottle
    from monitor.extensions import db

    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit - 1):
        assert _post_login(client, "editor@test.lv", "wrong wrong wrong", OWNER).status_code == 401
    with app.app_context():  # the failures happened more than a window ago
        past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=app.config["LOGIN_FAILURE_WINDOW_SECONDS"] + 5)
        db.session.execute(update(LoginThrottle).values(last_failure_at=past))
        db.session.commit()
    # without decay this would be the blocking failure
    assert _post_login(client, "editor@test.lv", "wrong wrong wrong", OWNER).status_code == 401
    assert _post_login(client, "editor@test.lv", PASSWORD, OWNER).status_code == 302
    with app.app_context():  # a complete sign-in clears the pair
        assert db.session.scalar(select(LoginThrottle)) is None


def test_a_cookie_copied_before_sign_out_is_refused_after_it(app, users):
    first = login(app.test_client(), users["editor"])
    copy = app.test_client()
    copy.set_cookie("session", first.get_cookie("session").value)
    assert copy.get("/returns/cesu-novads/2026").status_code == 200  # the copy works while signed in
    other_device = login(app.test_client(), users["editor"])
    first.post("/logout")
    response = copy.get("/returns/cesu-novads/2026")
    assert response.status_code == 302 and "/login" in response.location
    # signing out on one browser leaves the user's other sessions alone
    assert other_device.get("/returns/cesu-novads/2026").status_code == 200


def test_a_session_ends_on_the_server_after_its_lifetime(app, users):
    from monitor.auth.models import UserSession
    from monitor.extensions import db

    client = login(app.test_client(), users["editor"])
    with app.app_context():
        old = dt.datetime.now(dt.UTC) - app.permanent_session_lifetime - dt.timedelta(minutes=1)
        db.session.execute(update(UserSession).values(created_at=old))
        db.session.commit()
    assert client.get("/returns/cesu-novads/2026").status_code == 302


def test_guessing_the_current_password_counts_as_failed_sign_ins(app, users):
    client = login(app.test_client(), users["editor"])
    limit = app.config["LOGIN_MAX_FAILURES"]
    codes = [client.post("/account/password", data={"current": f"guess number {i}", "new": "x" * 20,
                                                    "repeat": "x" * 20}, environ_base=STRANGER).status_code
             for i in range(limit + 1)]
    assert codes == [400] * (limit - 1) + [429, 429]
    # from that address the account is blocked, also at the sign-in page; the owner elsewhere is not
    assert _post_login(app.test_client(), "editor@test.lv", PASSWORD, STRANGER).status_code == 429
    assert _post_login(app.test_client(), "editor@test.lv", PASSWORD, OWNER).status_code == 302


@pytest.fixture
def limited_app(instance_dir):
    """A second application with small limits (the limiter is a process-wide singleton: reset before use)."""
    from monitor import create_app
    from monitor.extensions import limiter

    application = create_app(test_config(instance_dir, LOGIN_RATE_LIMIT="2 per hour",
                                          ACCOUNT_RATE_LIMIT="3 per minute;10 per hour"))
    limiter.reset()
    yield application
    limiter.reset()


def _wait_texts(app, seconds: int) -> set[str]:
    """The page's wait sentence for ``seconds`` and one second more (Retry-After is computed a moment later)."""
    from monitor.waiting import wait_message

    with app.test_request_context():
        return {wait_message(seconds), wait_message(seconds + 1)}


def test_the_password_change_page_is_rate_limited_per_user(limited_app, users):
    client = login(limited_app.test_client(), users["editor"])
    codes = [client.post("/account/password", data={"current": "", "new": "", "repeat": ""}).status_code
             for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    # the budget is the user's, wherever the requests come from; another user has their own
    assert client.post("/account/password", data={}, environ_base=OWNER).status_code == 429
    other = login(limited_app.test_client(), users["editor2"])
    assert other.post("/account/password", data={"current": "", "new": "", "repeat": ""}).status_code == 400


def test_the_429_page_says_how_long_to_wait_from_retry_after(limited_app):
    client = limited_app.test_client()
    for _ in range(2):
        assert client.post("/login", data={"email": "x@test.lv", "password": "whatever else"}).status_code == 401
    response = client.post("/login", data={"email": "x@test.lv", "password": "whatever else"})
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 3000 < retry_after <= 3600  # the hour's window, not "a minute"
    page = response.get_data(as_text=True)
    assert any(text in page for text in _wait_texts(limited_app, retry_after)), page[-1500:]
    assert "minūtes" in page and "uzgaidiet minūti" not in page


def test_wait_message_words(app):
    from flask_babel import force_locale

    from monitor.waiting import wait_message

    with app.test_request_context():
        with force_locale("lv"):
            assert wait_message(2820) == "Lūdzu, uzgaidiet 47 minūtes un tad mēģiniet vēlreiz."
            assert wait_message(61 * 60 - 30) == "Lūdzu, uzgaidiet 61 minūti un tad mēģiniet vēlreiz."
            assert wait_message(45) == "Lūdzu, uzgaidiet 45 sekundes un tad mēģiniet vēlreiz."
            assert "3 stundas" in wait_message(3 * 3600 - 100)
            assert wait_message(None) == "Lūdzu, nedaudz uzgaidiet un tad mēģiniet vēlreiz."
        with force_locale("en"):
            assert wait_message(2820) == "Please wait 47 minutes before you try again."
            assert wait_message(60) == "Please wait 1 minute before you try again."


def test_the_audit_log_never_stores_a_typed_unknown_email(app, users, client):
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    typed = ["Sunshine-Secret-2026", "Nobody.Here@Example.LV", "nobody.here@example.lv"]
    for email in typed:
        client.post("/login", data={"email": email, "password": "not the password"})
    client.post("/login", data={"email": "editor@test.lv", "password": "not the password"})
    with app.app_context():
        events = list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == "login_failed")
                                         .order_by(AuditEvent.id)))
    assert len(events) == 4
    stored = json.dumps([e.detail for e in events]).casefold()
    for email in typed:
        assert email.casefold() not in stored
        assert email.casefold().split("@")[0] not in stored
    # the same e-mail typed twice (after normalising) gives the same digest, so attempts can be told apart
    accounts = [e.detail["account"] for e in events[:3]]
    assert accounts[1] == accounts[2] != accounts[0]
    assert events[3].actor_id == users["editor"].id and "account" not in events[3].detail
