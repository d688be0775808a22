"""Logs as one JSON object per line: request id (the caller's X-Request-ID or a new one, echoed), user id, method,
path, status, duration — never a password, form contents or an answer."""

from __future__ import annotations

import io
import json
import logging
import re
from typing import Iterator

import pytest

from monitor import create_app
from monitor.logs import REQUEST_LOGGER, configure_logging, json_handler
from tests.conftest import PASSWORD, test_config

NEW_PASSWORD = "a-brand-new-password-Ω-2026"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """The JSON lines of the request logger and the application's logger."""
    stream = io.StringIO()
    handler = json_handler(stream)
    loggers = [logging.getLogger("monitor")]  # monitor.request propagates to it
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    yield stream
    for logger, level in zip(loggers, levels):
        logger.removeHandler(handler)
        logger.setLevel(level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]  # every line is one JSON object


def test_request_lines_carry_the_request_id_and_user_id_and_no_password(app, users, captured):
    client = app.test_client()
    login = client.post("/login", data={"email": users["editor"].email, "password": PASSWORD},
                        headers={"X-Request-ID": "lb-4f1c.77"})
    assert login.headers["X-Request-ID"] == "lb-4f1c.77"
    page = client.get("/returns/", headers={"X-Request-ID": 'forged" {"level": "CRITICAL"}'})
    generated = page.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)  # an unsafe id is replaced, never logged
    changed = client.post("/account/password", data={"current": PASSWORD, "new": NEW_PASSWORD,
                                                      "repeat": NEW_PASSWORD})
    entries = [e for e in lines(captured) if e["logger"] == REQUEST_LOGGER]
    assert [(e["method"], e["path"]) for e in entries] == [("POST", "/login"), ("GET", "/returns/"),
                                                          ("POST", "/account/password")]
    assert entries[0]["request_id"] == "lb-4f1c.77" and entries[1]["request_id"] == generated
    assert entries[2]["request_id"] == changed.headers["X-Request-ID"] != generated
    assert {e["user_id"] for e in entries} == {users["editor"].id}
    assert [e["status"] for e in entries] == [login.status_code, page.status_code, changed.status_code]
    assert all(isinstance(e["duration_ms"], float) and e["level"] == "INFO" and e["time"] for e in entries)
    text = captured.getvalue()
    for secret in (PASSWORD, NEW_PASSWORD, users["editor"].email, "CRITICAL"):
        assert secret not in text


def test_anonymous_requests_have_no_user_id(app, captured):
    app.test_client().get("/municipalities/")
    (entry,) = lines(captured)
    assert entry["user_id"] is None and entry["status"] == 200 and entry["path"] == "/municipalities/"


def test_a_record_logged_during_a_request_carries_its_ids(app, users, instance_dir, captured):
    down = create_app(test_config(instance_dir, SQLALCHEMY_DATABASE_URI="sqlite:////nonexistent-dir/x.sqlite3"))
    response = down.test_client().get("/health", headers={"X-Request-ID": "probe-1"})
    assert response.status_code == 503
    warning, request_line = lines(captured)
    assert warning["level"] == "WARNING" and warning["request_id"] == "probe-1" and "exception" in warning
    assert request_line["request_id"] == "probe-1" and request_line["status"] == 503


@pytest.fixture
def root_logging() -> Iterator[logging.Logger]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield root
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def test_the_json_format_setting_makes_every_record_a_json_line(root_logging, capsys):
    configure_logging("text")
    assert not any(h.get_name() == "monitor-json" for h in root_logging.handlers)
    configure_logging("json")
    configure_logging("json")  # once per process, however many apps are created
    ours = [h for h in root_logging.handlers if h.get_name() == "monitor-json"]
    assert len(ours) == 1 and root_logging.handlers == ours
    logging.getLogger("scheduler.runner").info("job %s done", "compile_nightly", extra={"job_id": "compile_nightly"})
    (line,) = capsys.readouterr().err.splitlines()
    entry = json.loads(line)
    assert entry["message"] == "job compile_nightly done" and entry["job_id"] == "compile_nightly"
    assert entry["logger"] == "scheduler.runner"
