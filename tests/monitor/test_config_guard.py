"""Start-up checks of production settings: ``SECRET_KEY`` (no environment flag switches the guard off; weak and
published keys are refused) and ``MAIL_BASE_URL`` (required with a mail server; the demo derives it from PORT)."""

from __future__ import annotations

import secrets

import pytest

from monitor import create_app
from monitor.config import Defaults

STRONG = secrets.token_hex(32)
FLAGS = [{}, {"MONITOR_DEMO": "1"}, {"FLASK_DEBUG": "1"}, {"MONITOR_DEBUG": "1"}, {"MONITOR_TESTING": "true"},
         {"MONITOR_DEMO": "1", "FLASK_DEBUG": "1", "MONITOR_DEBUG": "1", "MONITOR_TESTING": "true"}]
WEAK = ["", "x", "test-secret", "a" * 31, "ā" * 15, Defaults.SECRET_KEY]


@pytest.fixture
def environment(monkeypatch, instance_dir):
    """A clean environment (no SECRET_KEY, no flags, no mail settings) with an empty instance folder."""
    for name in ("SECRET_KEY", "FLASK_DEBUG", "PORT", "MONITOR_DEMO", "MONITOR_DEBUG", "MONITOR_TESTING",
                 "MONITOR_MAIL_SERVER", "MONITOR_MAIL_BASE_URL", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    return monkeypatch


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "+".join(f) or "production")
@pytest.mark.parametrize("key", WEAK, ids=["empty", "x", "test-secret", "31-bytes", "15-letters", "development"])
def test_a_weak_or_published_key_is_refused_under_every_flag(environment, flags, key):
    for name, value in flags.items():
        environment.setenv(name, value)
    if key:
        environment.setenv("SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY") as refused:
        create_app()
    message = str(refused.value)
    assert "secrets.token_hex(32)" in message
    assert ("too short" in message) == bool(key and key != Defaults.SECRET_KEY)


@pytest.mark.parametrize("flags", FLAGS, ids=lambda f: "+".join(f) or "production")
def test_a_strong_key_starts_under_every_flag(environment, flags):
    for name, value in flags.items():
        environment.setenv(name, value)
    environment.setenv("SECRET_KEY", STRONG)
    assert create_app().config["SECRET_KEY"] == STRONG


def test_the_key_may_come_from_the_instance_config_as_the_demo_writes_it(environment, tmp_path):
    environment.setenv("MONITOR_INSTANCE_PATH", str(tmp_path))
    environment.setenv("MONITOR_DEMO", "1")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()
    (tmp_path / "config.py").write_text(f"SECRET_KEY = {STRONG!r}\n", encoding="utf-8")  # what ./dev demo writes
    assert create_app().config["SECRET_KEY"] == STRONG
    (tmp_path / "config.py").write_text("SECRET_KEY = 'short'\nTESTING = True\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="too short"):  # TESTING in a file does not switch it off either
        create_app()


def test_only_the_test_suites_own_mapping_skips_the_guard(environment):
    assert create_app({"TESTING": True, "SECRET_KEY": "test-secret"}).config["SECRET_KEY"] == "test-secret"
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "test-secret", "DEBUG": True, "MONITOR_DEMO": True})


def test_a_mail_server_needs_the_mail_base_url(environment):
    environment.setenv("SECRET_KEY", STRONG)
    environment.setenv("MONITOR_MAIL_SERVER", "smtp.example.lv")
    with pytest.raises(RuntimeError, match="MONITOR_MAIL_BASE_URL"):
        create_app()
    environment.setenv("MONITOR_MAIL_BASE_URL", "monitor.example.lv")
    with pytest.raises(RuntimeError, match="https://"):
        create_app()
    environment.setenv("MONITOR_MAIL_BASE_URL", "https://monitor.example.lv")
    assert create_app().config["MAIL_BASE_URL"] == "https://monitor.example.lv"


def test_without_a_mail_server_the_base_url_is_not_required(environment):
    environment.setenv("SECRET_KEY", STRONG)
    assert create_app().config["MAIL_BASE_URL"] is None


@pytest.mark.parametrize("port, expected", [(None, "http://127.0.0.1:5000"), ("5123", "http://127.0.0.1:5123")])
def test_the_demo_derives_the_mail_base_url_from_port(environment, port, expected):
    environment.setenv("SECRET_KEY", STRONG)
    environment.setenv("MONITOR_DEMO", "1")
    environment.setenv("MONITOR_MAIL_SERVER", "127.0.0.1")  # even with a (local) mail server
    if port:
        environment.setenv("PORT", port)
    app = create_app()
    assert app.config["MAIL_BASE_URL"] == expected
    from monitor.mail.links import absolute_url

    with app.app_context():
        assert absolute_url("/returns/") == expected + "/returns/"
    environment.setenv("MONITOR_MAIL_BASE_URL", "https://demo.example.lv")
    assert create_app().config["MAIL_BASE_URL"] == "https://demo.example.lv"  # an explicit setting wins
