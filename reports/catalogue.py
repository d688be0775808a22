"""The indicator catalogue: every figure a report computes, looked up by its stable key.

The entries are built in ``catalogue_data``; the vocabulary (``Indicator``, ``Computation``, ``BaseRule``) is in
``indicators``. Both are re-exported here, the module the rest of the code (and the Flask app) imports.
"""

from __future__ import annotations

from .catalogue_data import build_indicators
from .indicators import NO_ANSWER, NUMERIC, BaseRule, Computation, Indicator

INDICATORS: tuple[Indicator, ...] = tuple(build_indicators())

_BY_KEY: dict[str, Indicator] = {}
for _item in INDICATORS:
    if _item.key in _BY_KEY:
        raise ValueError(f"duplicate indicator key {_item.key!r}")
    _BY_KEY[_item.key] = _item


def indicator(key: str) -> Indicator:
    """The catalogue entry for ``key``; ``KeyError`` when there is none."""
    return _BY_KEY[key]


__all__ = ["BaseRule", "Computation", "INDICATORS", "Indicator", "NO_ANSWER", "NUMERIC", "indicator"]
