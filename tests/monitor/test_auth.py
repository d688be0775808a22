"""Signing in, generic errors, blocks after failures, password change, session invalidation, CLI user creation."""

from __future__ import annotations

from sqlalchemy import select

from tests.conftest import PASSWORD, login, make_user


def test_login_and_logout(app, users, client):
    response = client.post("/login", data={"email": "EDITOR@test.lv ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/returns/cesu-novads/2026").status_code == 200
    client.post("/logout")
    response = client.get("/returns/cesu-novads/2026")
    assert response.status_code == 302 and "/login" in response.location


def test_wrong_password_and_unknown_user_give_the_same_generic_answer(app, users, client):
    wrong = client.post("/login", data={"email": "editor@test.lv", "password": "not the password at all"})
    unknown = client.post("/login", data={"email": "nobody@test.lv", "password": "not the password at all"})
    assert wrong.status_code == unknown.status_code == 401
    text_wrong, text_unknown = wrong.get_data(as_text=True), unknown.get_data(as_text=True)
    assert "nav pareiza" in text_wrong
    # the same message, whether or not the account exists
    assert text_wrong.split('role="alert"')[1][:300] == text_unknown.split('role="alert"')[1][:300]


def test_repeated_failures_block_the_account_from_that_address(app, users, client):
    limit = app.config["LOGIN_MAX_FAILURES"]
    codes = [client.post("/login", data={"email": "editor@test.lv", "password": "wrong password!!"}).status_code
             for _ in range(limit)]
    assert codes == [401] * (limit - 1) + [429]  # the last failure starts the block, and the page says so
    # even the right password is refused from this address while the block lasts
    blocked = client.post("/login", data={"email": "editor@test.lv", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    from monitor.audit.models import AuditEvent
    from monitor.extensions import db

    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("login_failed") == limit
    assert "login_locked" in actions


def test_rate_limit_on_login(instance_dir):
    from monitor import create_app
    from monitor.extensions import limiter
    from tests.conftest import test_config

    limited = create_app(test_config(instance_dir, LOGIN_RATE_LIMIT="3 per minute"))
    limiter.reset()
    client = limited.test_client()
    codes = [client.post("/login", data={"email": "x@test.lv", "password": "whatever else"}).status_code
             for _ in range(4)]
    assert codes[:3] == [401, 401, 401]
    assert codes[3] == 429


def test_open_redirect_is_refused(app, users, client):
    response = client.post("/login?next=https://evil.example/", data={"email": "editor@test.lv", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"


def test_password_change_logs_out_other_sessions(app, users):
    first = login(app.test_client(), users["editor"])
    second = login(app.test_client(), users["editor"])
    weak = first.post("/account/password", data={"current": PASSWORD, "new": "short", "repeat": "short"})
    assert weak.status_code == 400 and "vismaz" in weak.get_data(as_text=True)
    new = "a long new pass phrase for Cēsis"
    ok = first.post("/account/password", data={"current": PASSWORD, "new": new, "repeat": new})
    assert ok.status_code == 302
    assert first.get("/returns/cesu-novads/2026").status_code == 200  # this session was renewed
    assert second.get("/returns/cesu-novads/2026").status_code == 302  # the other one is signed out
    login(app.test_client(), users["editor"], password=new)


def test_wrong_current_password_is_refused(app, users):
    client = login(app.test_client(), users["editor"])
    response = client.post("/account/password", data={"current": "wrong one entirely", "new": "x" * 20,
                                                      "repeat": "x" * 20})
    assert response.status_code == 400
    assert "Pašreizējā parole nav pareiza" in response.get_data(as_text=True)


def test_passwords_are_argon2_hashes(app, users):
    from monitor.auth.models import User
    from monitor.extensions import db

    with app.app_context():
        user = db.session.get(User, users["editor"].id)
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_cli_creates_user_with_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "New@Test.lv", "--name", "Jauns Lietotājs",
                                 "--role", "editor", "--municipality", "valmieras-novads", "--password-stdin"],
                           input="a sufficiently long password\n")
    assert result.exit_code == 0, result.output
    assert "created user new@test.lv (editor)" in result.output
    login(app.test_client(), type("U", (), {"email": "new@test.lv"})(), password="a sufficiently long password")


def test_cli_refuses_editor_without_municipality_and_unknown_slug(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "a@test.lv", "--name", "A", "--role", "editor",
                                 "--password-stdin"], input="a sufficiently long password\n")
    assert result.exit_code != 0 and "needs a municipality" in result.output
    result = runner.invoke(args=["users", "create", "--email", "a@test.lv", "--name", "A", "--role", "editor",
                                 "--municipality", "atlantida", "--password-stdin"], input="x" * 20 + "\n")
    assert result.exit_code != 0 and "atlantida" in result.output


def test_duplicate_email_is_refused(app):
    make_user(app, "same@test.lv", "researcher")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "--email", "SAME@test.lv", "--name", "B", "--role", "admin",
                                 "--password-stdin"], input="a sufficiently long password\n")
    assert result.exit_code != 0 and "already exists" in result.output


def test_deactivated_user_cannot_sign_in(app, users, client):
    from monitor.auth.models import User
    from monitor.extensions import db

    with app.app_context():
        db.session.get(User, users["editor"].id).is_active_account = False
        db.session.commit()
    assert client.post("/login", data={"email": "editor@test.lv", "password": PASSWORD}).status_code == 401
