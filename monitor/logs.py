"""Logs: one line per request (request id, user id, method, path, status, duration) and, with
``LOG_FORMAT = "json"`` (the production recipe), every log record as one JSON object per line on standard error.

The request id is the caller's ``X-Request-ID`` when it looks like one (a proxy's or load balancer's), else a new
one; it is echoed in the response's ``X-Request-ID`` header and carried by every record logged during the request.
What a request line holds is fixed: never the query string, the form, a password or an answer. The user id is
read from the session cookie (no database query: ``/health`` must work with the database down).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import time
import uuid
from typing import IO, Any

from flask import Flask, Response, g, has_request_context, request, session

REQUEST_LOGGER = "monitor.request"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")  # anything else (spaces, quotes, newlines) is replaced
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object: time (UTC, ISO 8601), level, logger, message, the request's fields and
    any ``extra`` values; a traceback as ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestContextFilter(logging.Filter):
    """Adds the current request's id and user id to every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and "request_id" in g:
            record.__dict__.setdefault("request_id", g.request_id)
            record.__dict__.setdefault("user_id", session_user_id())
        return True


class _StandardError(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is when a record is emitted (as ``logging.lastResort`` does)."""

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def json_handler(stream: IO[str] | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream) if stream is not None else _StandardError()
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    handler.set_name("monitor-json")
    return handler


def configure_logging(log_format: str, level: int | str = logging.INFO) -> None:
    """``json``: the root logger writes JSON lines to standard error (replacing its handlers, once per process;
    Flask then adds no handler of its own). Anything else leaves logging as it is (plain text in development)."""
    if str(log_format).lower() != "json":
        return
    root = logging.getLogger()
    if any(h.get_name() == "monitor-json" for h in root.handlers):
        return
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(json_handler())
    root.setLevel(level)


def session_user_id() -> int | None:
    """The signed-in user's id from the session cookie (Flask-Login's ``"<id>:<version>"``), without loading the
    user."""
    token = str(session.get("_user_id") or "")
    user_id = token.partition(":")[0]
    return int(user_id) if user_id.isdigit() else None


def init_request_logging(app: Flask) -> None:
    """Request ids and one ``monitor.request`` line per request."""
    logger = logging.getLogger(REQUEST_LOGGER)

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response: Response) -> Response:
        if "request_id" not in g:  # a request refused before the hooks ran
            return response
        response.headers["X-Request-ID"] = g.request_id
        duration = round((time.perf_counter() - g.request_started) * 1000, 1)
        logger.info("%s %s %s %.1f ms", request.method, request.path, response.status_code, duration, extra={
            "request_id": g.request_id, "user_id": session_user_id(), "method": request.method,
            "path": request.path, "status": response.status_code, "duration_ms": duration,
            "remote_addr": request.remote_addr,
        })
        return response

