"""Fixtures for the real-browser tests: a live server with CSRF on, and Debian's Chromium driven by Playwright.

Playwright never downloads a browser here: it launches the system Chromium (``/usr/bin/chromium``, or the
path in ``CHROMIUM_PATH``). When that browser (or Playwright) is missing the tests are skipped with a reason,
except on CI (``CI`` set), where a missing browser is a failure: a skipped browser test would look green.
"""

from __future__ import annotations

import os
import shutil
import threading
from typing import Any, Iterator

import pytest
from flask import Flask

from tests.conftest import test_config

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
DEFAULT_TIMEOUT_MS = 10_000


class _Unavailable:
    """Stands in for the page when the browser is missing on CI: the test fails (FAILED, not ERROR) on first use."""

    def __init__(self, reason: str) -> None:
        self._reason = reason

    def __getattr__(self, name: str) -> Any:
        pytest.fail(f"{self._reason} (CI is set, so the browser test must not be skipped)", pytrace=False)


def _chromium_executable() -> str | None:
    path = CHROMIUM_PATH if os.path.isabs(CHROMIUM_PATH) else shutil.which(CHROMIUM_PATH)
    if path and os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    return None


@pytest.fixture(scope="session")
def live_server(app: Flask, instance_dir: str) -> Iterator[str]:
    """The application served over HTTP from a thread, with CSRF protection ON (unlike the ``app`` fixture).

    It is a second application object on the same database as ``app`` (the URL comes from ``test_config``),
    so test set-up through ``app`` is visible to the browser.
    """
    from werkzeug.serving import WSGIRequestHandler, make_server

    from monitor import create_app

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:  # one line per request is noise here
            pass

    csrf_app = create_app(test_config(instance_dir, WTF_CSRF_ENABLED=True))
    assert csrf_app.config["SQLALCHEMY_DATABASE_URI"] == app.config["SQLALCHEMY_DATABASE_URI"]
    server = make_server("127.0.0.1", 0, csrf_app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        with csrf_app.app_context():
            from monitor.extensions import db

            db.engine.dispose()


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """A headless Chromium (Playwright's sync API) shared by the session, or the reason why there is none."""
    executable = _chromium_executable()
    if executable is None:
        yield f"Chromium not found at {CHROMIUM_PATH} (install Debian's 'chromium' or set CHROMIUM_PATH)"
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - depends on the environment
        yield f"Playwright is not installed: {exc}"
        return
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page; closed after the test.

    Without a browser: skipped locally; on CI (``CI`` set) the test fails.
    """
    if isinstance(chromium, str):
        if os.environ.get("CI"):
            yield _Unavailable(chromium)
            return
        pytest.skip(chromium)
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="lv-LV")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
