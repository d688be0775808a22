"""Two-step sign-in (issue 14, item 4): enrolment, sign-in with a code or a recovery code, reused codes refused,
required roles forced to enrol, turning it off, the secrets kept encrypted."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, login

SECRET_ON_PAGE = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
RECOVERY_ON_PAGE = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


def _user(app, user_id: int):
    from monitor.auth.models import User
    from monitor.extensions import db

    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def _next_code(app, user_id: int, secret: str) -> str:
    """The code of the time step after the last accepted one (accepted within a minute of it)."""
    return pyotp.TOTP(secret).generate_otp(_user(app, user_id).totp_last_step + 1)


def _setup_page_secret(page: str) -> str:
    match = SECRET_ON_PAGE.search(page)
    assert match, page[-2000:]
    return match.group(1).replace(" ", "")


def enrol(app, client, user_id: int) -> tuple[str, list[str]]:
    """Turn two-step sign-in on from the account page of a signed-in ``client``: (secret, recovery codes)."""
    assert client.post("/account/two-factor/start").status_code == 302
    page = client.get("/account/two-factor/setup")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'src="data:image/svg+xml' in html  # the QR code, drawn on the server
    secret = _setup_page_secret(html)
    done = client.post("/account/two-factor/setup", data={"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    assert done.status_code == 200, done.get_data(as_text=True)[-1500:]
    assert done.headers["Cache-Control"] == "no-store"
    codes = RECOVERY_ON_PAGE.findall(done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    return secret, codes


def _actions(app) -> list[str]:
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def _password_step(app, email: str):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client, response


def test_enrolment_then_sign_in_with_a_code(app, users):
    editor = users["editor"]
    secret, codes = enrol(app, login(app.test_client(), editor), editor.id)
    stored = _user(app, editor.id)
    assert stored.totp_enabled_at is not None
    assert secret not in stored.totp_secret  # encrypted at rest
    assert "two_factor_enabled" in _actions(app)

    client, response = _password_step(app, editor.email)
    assert response.location.endswith("/login/code")
    # the password alone is not a sign-in
    assert client.get("/returns/cesu-novads/2026").status_code == 302
    wrong = client.post("/login/code", data={"code": "000000" if _next_code(app, editor.id, secret) != "000000"
                                                      else "111111"})
    assert wrong.status_code == 401 and "Kods nav pareizs" in wrong.get_data(as_text=True)
    ok = client.post("/login/code", data={"code": _next_code(app, editor.id, secret)})
    assert ok.status_code == 302
    assert client.get("/returns/cesu-novads/2026").status_code == 200
    actions = _actions(app)
    assert actions.count("two_factor_failed") == 1 and actions[-1] == "login"


def test_a_code_is_refused_the_second_time(app, users):
    editor = users["editor"]
    secret, _ = enrol(app, login(app.test_client(), editor), editor.id)
    # the code used to confirm the enrolment is spent already
    used = pyotp.TOTP(secret).generate_otp(_user(app, editor.id).totp_last_step)
    client, _ = _password_step(app, editor.email)
    assert client.post("/login/code", data={"code": used}).status_code == 401
    code = _next_code(app, editor.id, secret)
    assert client.post("/login/code", data={"code": code}).status_code == 302
    client.post("/logout")
    again, _ = _password_step(app, editor.email)
    assert again.post("/login/code", data={"code": code}).status_code == 401


def test_sign_in_with_a_recovery_code_which_then_is_spent(app, users):
    from monitor.auth.models import RecoveryCode
    from monitor.extensions import db

    editor = users["editor"]
    _, codes = enrol(app, login(app.test_client(), editor), editor.id)
    with app.app_context():
        hashes = list(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(hashes) == 10 and not any(code.replace("-", "") in h for h in hashes for code in codes)

    client, _ = _password_step(app, editor.email)
    response = client.post("/login/code", data={"code": codes[3].upper().replace("-", " ")}, follow_redirects=True)
    assert response.status_code == 200 and "Atlikušie kodi: 9" in response.get_data(as_text=True)
    assert "recovery_code_used" in _actions(app)
    client.post("/logout")
    again, _ = _password_step(app, editor.email)
    assert again.post("/login/code", data={"code": codes[3]}).status_code == 401
    assert again.post("/login/code", data={"code": codes[4]}).status_code == 302


def test_guessing_codes_is_blocked(app, users):
    editor = users["editor"]
    secret, _ = enrol(app, login(app.test_client(), editor), editor.id)
    client, _ = _password_step(app, editor.email)
    right = _next_code(app, editor.id, secret)
    guesses = [f"{n:06d}" for n in range(1, 30) if f"{n:06d}" != right][:app.config["LOGIN_MAX_FAILURES"]]
    codes = [client.post("/login/code", data={"code": g}).status_code for g in guesses]
    assert codes[-1] == 429 and codes[0] == 401
    blocked = client.post("/login/code", data={"code": right})
    assert blocked.status_code == 429 and "Retry-After" in blocked.headers


def test_a_pending_sign_in_lapses(app, users):
    editor = users["editor"]
    secret, _ = enrol(app, login(app.test_client(), editor), editor.id)
    client, _ = _password_step(app, editor.email)
    app.config["TWO_FACTOR_PENDING_SECONDS"], before = -1, app.config["TWO_FACTOR_PENDING_SECONDS"]
    try:
        response = client.post("/login/code", data={"code": _next_code(app, editor.id, secret)})
    finally:
        app.config["TWO_FACTOR_PENDING_SECONDS"] = before
    assert response.status_code == 302 and response.location.endswith("/login")


def test_required_roles_must_enrol_before_they_are_signed_in(app, users, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "admin, reviewer")
    admin = users["admin"]
    client, response = _password_step(app, admin.email)
    assert response.location.endswith("/account/two-factor/setup")
    assert client.get("/admin/audit").status_code == 302  # not signed in yet
    page = client.get("/account/two-factor/setup").get_data(as_text=True)
    assert "Jūsu lomai ir obligāta" in page and 'name="password"' not in page
    secret = _setup_page_secret(page)
    done = client.post("/account/two-factor/setup", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and len(RECOVERY_ON_PAGE.findall(done.get_data(as_text=True))) == 10
    assert client.get("/admin/audit").status_code == 200
    # it cannot be turned off while the role requires it
    refused = client.post("/account/two-factor/disable", data={"password": PASSWORD})
    assert refused.status_code == 400 and _user(app, admin.id).has_two_factor
    # an editor is not asked
    assert _password_step(app, users["editor"].email)[1].location == "/"


def test_a_session_from_before_the_requirement_ends(app, users, monkeypatch):
    reviewer = login(app.test_client(), users["reviewer"])
    assert reviewer.get("/review/").status_code == 200
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", "reviewer")
    assert reviewer.get("/review/").status_code == 302


def test_turning_it_off_needs_the_password(app, users):
    from monitor.auth.models import RecoveryCode
    from monitor.extensions import db

    editor = users["editor"]
    client = login(app.test_client(), editor)
    enrol(app, client, editor.id)
    wrong = client.post("/account/two-factor/disable", data={"password": "not my password"})
    assert wrong.status_code == 400 and _user(app, editor.id).has_two_factor
    assert client.post("/account/two-factor/disable", data={"password": PASSWORD}).status_code == 302
    stored = _user(app, editor.id)
    assert stored.totp_secret is None and not stored.has_two_factor
    with app.app_context():
        assert db.session.scalar(select(RecoveryCode)) is None
    actions = _actions(app)
    assert "password_confirm_failed" in actions and "two_factor_disabled" in actions
    assert _password_step(app, editor.email)[1].location == "/"  # the password is enough again


def test_enrolling_from_the_account_page_needs_the_password(app, users):
    editor = users["editor"]
    client = login(app.test_client(), editor)
    client.post("/account/two-factor/start")
    secret = _setup_page_secret(client.get("/account/two-factor/setup").get_data(as_text=True))
    response = client.post("/account/two-factor/setup", data={"code": pyotp.TOTP(secret).now(),
                                                              "password": "not my password"})
    assert response.status_code == 400 and not _user(app, editor.id).has_two_factor


def test_new_recovery_codes_replace_the_old_ones(app, users):
    editor = users["editor"]
    client = login(app.test_client(), editor)
    _, old = enrol(app, client, editor.id)
    page = client.post("/account/two-factor/recovery-codes", data={"password": PASSWORD})
    new = RECOVERY_ON_PAGE.findall(page.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    pending, _ = _password_step(app, editor.email)
    assert pending.post("/login/code", data={"code": old[0]}).status_code == 401
    assert pending.post("/login/code", data={"code": new[0]}).status_code == 302


def test_the_cli_resets_two_factor(app, users):
    editor = users["editor"]
    signed_in = login(app.test_client(), editor)
    enrol(app, signed_in, editor.id)
    result = app.test_cli_runner().invoke(args=["users", "reset-two-factor", "--email", "EDITOR@test.lv"])
    assert result.exit_code == 0, result.output
    assert not _user(app, editor.id).has_two_factor
    assert signed_in.get("/returns/cesu-novads/2026").status_code == 302  # signed out everywhere


@pytest.mark.parametrize(("value", "demo", "expected"), [
    (None, False, {"admin", "reviewer"}), (None, True, set()), ("", False, set()), ("none", False, set()),
    ("Admin,editor", True, {"admin", "editor"}), (["researcher"], False, {"researcher"}),
])
def test_required_roles_setting(value, demo, expected):
    from monitor.auth.twofactor import required_roles

    assert required_roles({"TWO_FACTOR_REQUIRED_ROLES": value, "MONITOR_DEMO": demo}) == expected


def test_an_unknown_role_in_the_setting_stops_the_start(instance_dir):
    from monitor import create_app
    from tests.conftest import test_config

    with pytest.raises(ValueError, match="boss"):
        create_app(test_config(instance_dir, TWO_FACTOR_REQUIRED_ROLES="admin,boss"))


def test_secrets_survive_a_key_rotation_with_fallbacks(app):
    from monitor.auth.keys import decrypt, encrypt, reencrypt

    with app.app_context():
        token = encrypt("JBSWY3DPEHPK3PXP")
    old_key = app.config["SECRET_KEY"]
    with app.app_context():
        app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = "a new key" * 4, [old_key]
        try:
            assert decrypt(token) == "JBSWY3DPEHPK3PXP"
            rotated = reencrypt(token)
            app.config["SECRET_KEY_FALLBACKS"] = []
            assert decrypt(token) is None and decrypt(rotated) == "JBSWY3DPEHPK3PXP"
        finally:
            app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = old_key, []


def test_recovery_codes_survive_a_key_rotation_with_fallbacks(app, users):
    from monitor.auth.models import User
    from monitor.auth.throttle import attempt_for
    from monitor.auth.twofactor import check_second_factor, new_recovery_codes
    from monitor.extensions import db
    from monitor.models_base import utcnow

    old_key = app.config["SECRET_KEY"]
    with app.app_context():
        user = db.session.get(User, users["editor"].id)
        codes = new_recovery_codes(user)
        db.session.commit()
        attempt = attempt_for(user.email, "192.0.2.1")
        try:
            app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = "a new key" * 4, []
            assert check_second_factor(user, codes[0], attempt, utcnow()).method is None
            app.config["SECRET_KEY_FALLBACKS"] = [old_key]
            assert check_second_factor(user, codes[0], attempt, utcnow()).method == "recovery_code"
        finally:
            app.config["SECRET_KEY"], app.config["SECRET_KEY_FALLBACKS"] = old_key, []
            db.session.rollback()
