"""A compact summary of a compiled report: what pages that span years need (the time series of an indicator, the
years that have counted returns) without reading each year's whole payload.

``summarise(payload)`` → ``{"n_units", "coverage": {"counted", "expected"} | None, "indicators": {key:
{"computation", "national": [value, n, n_missing], "regions": {slug: [value, n, n_missing]}}}}``. Values are the
payload's own (exact decimal strings, ints, ``None`` for no data); a value that is not a single number (a
cross-tabulation, a list of modes) is ``None`` here with its ``n`` kept, so a series shows "no single value"
rather than inventing one. Pure: the same payload gives the same summary.
"""

from __future__ import annotations

from typing import Any

SUMMARY_VERSION = 1


def _point(figure: dict[str, Any]) -> list[Any]:
    value = figure.get("value")
    if isinstance(value, (dict, list)):
        value = None
    n = figure.get("n")
    return [value if n else None, n, figure.get("n_missing")]


def summarise(payload: dict[str, Any]) -> dict[str, Any]:
    coverage = payload.get("coverage")
    return {
        "version": SUMMARY_VERSION,
        "n_units": payload.get("n_units"),
        "coverage": None if coverage is None else {"counted": coverage.get("counted"),
                                                   "expected": coverage.get("expected")},
        "indicators": {
            item["key"]: {"computation": item.get("computation"),
                          "national": _point(item.get("national") or {}),
                          "regions": {slug: _point(fig) for slug, fig in (item.get("regions") or {}).items()}}
            for item in payload.get("indicators", [])
        },
    }
