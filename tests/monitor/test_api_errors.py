"""Every route under ``/api/`` — the open-data API and the researchers' report API — answers its errors as JSON
(``{"error": {"status", "code", "message"}}``), never as an HTML page, whatever the client accepts.

The routes are found by walking the application's url_map, so a new API route is covered without a new test. Each
route's view is replaced, for one request, by one that fails with the status under test (400, 401, 403, 404, 405,
429, or an exception for 500): what is checked is the path from a failing view to the response, blueprint error
handlers included. The real failures (no session, a wrong method, an unknown address) are checked as they come.
"""

from __future__ import annotations

import pytest
from flask import abort
from werkzeug.routing import IntegerConverter

from tests.monitor.test_public_api import _error

STATUSES = (400, 401, 403, 404, 405, 429, 500)
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def api_rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.rule.startswith("/api/")), key=lambda r: r.rule)


def example_url(rule) -> str:
    """The rule's path with a plausible value for each variable (a year for an int, a slug otherwise)."""
    values = {name: 2026 if isinstance(conv, IntegerConverter) else "cesu-novads"
              for name, conv in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


def failing(status: int):
    def view(**_kwargs):
        if status == 500:
            raise RuntimeError("a view failed")
        abort(status)
    return view


def test_the_walk_finds_both_apis(app):
    rules = {r.rule for r in api_rules(app)}
    assert {"/api/v1/measures", "/api/v1/municipalities/<slug>", "/api/reports/<int:year>"} <= rules
    assert example_url(next(r for r in api_rules(app) if r.rule == "/api/reports/<int:year>")) == "/api/reports/2026"


@pytest.mark.parametrize("status", STATUSES)
def test_every_api_route_answers_its_errors_in_json(app, client, monkeypatch, status):
    for rule in api_rules(app):
        with monkeypatch.context() as patch:
            patch.setitem(app.view_functions, rule.endpoint, failing(status))
            response = client.get(example_url(rule), headers=BROWSER)
        error = _error(response, status)
        assert "a view failed" not in str(error), rule.rule
        assert response.headers["Cache-Control"] == "no-store", rule.rule


def test_real_failures_of_every_api_route_are_json(app, client):
    for rule in api_rules(app):
        url = example_url(rule)
        _error(client.post(url, headers=BROWSER), 405)  # the API is read-only
        _error(client.delete(url, headers=BROWSER), 405)
        _error(client.get(url.rstrip("/") + "/no-such-thing", headers=BROWSER), 404)
        if rule.endpoint.startswith("reports."):  # the researchers' API needs a session
            _error(client.get(url, headers=BROWSER), 401)


def test_the_check_can_fail(app, client):
    page = client.get("/municipalities/atlantida", headers=BROWSER)  # a page, not the API: HTML
    with pytest.raises(AssertionError):
        _error(page, 404)
