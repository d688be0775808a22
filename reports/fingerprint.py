"""A fingerprint of a report's inputs, so a stored snapshot can tell whether it is stale.

``inputs_fingerprint`` hashes (sha256) a canonical JSON of the records, the reference figures, the counted
statuses, the expected units (when given: they decide the coverage) and ``REPORTS_VERSION`` (bumped whenever
the compilation changes its results). Canonical means: records and figures sorted, keys sorted, no whitespace,
numbers typed — ``Decimal("1.50")`` and ``Decimal("1.5")`` are the same number (equal reports), while ``1``
(int) and ``Decimal("1")`` differ (they serialise differently).
Pass every record the report reads: this year's and the previous year's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any, Iterable, Mapping

from .records import UnitRecord
from .reference import ReferenceFigure

#: Part of every fingerprint: bump it when a change to ``reports`` changes what a report contains.
# 2: blanks are missing (never "not ticked"), figures carry n_missing, coverage; 3: the tables naming units list
# only units that were asked, and say "no data" without answers; 4: notes in both languages (indicator, table and
# reference-figure notes), comparisons say why nothing was subtracted as reason codes
REPORTS_VERSION = "4"


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return {"$dec": "NaN" if value.is_nan() else format(value.normalize(), "f") if value.is_finite()
                else str(value)}
    if isinstance(value, float):
        return {"$float": repr(value)}
    if isinstance(value, (dt.datetime, dt.date)):
        return {"$date": value.isoformat()}
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return {"$set": sorted((_canonical(v) for v in value), key=_dump)}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return {"$repr": repr(value)}


def _dump(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def inputs_fingerprint(records: Iterable[UnitRecord], reference: Iterable[ReferenceFigure],
                       statuses: Iterable[str], expected: Mapping[str, str] | None = None) -> str:
    """sha256 hex digest of the canonical inputs; independent of the order of records, figures and statuses."""
    record_items = sorted(
        (_dump(_canonical({"unit": r.unit, "region": r.region, "year": r.year, "status": r.status,
                           "values": dict(r.values)})) for r in records))
    reference_items = sorted(_dump(_canonical(asdict(f))) for f in reference)
    payload = {"version": REPORTS_VERSION, "statuses": sorted(set(statuses)), "records": record_items,
               "reference": reference_items}
    if expected is not None:  # absent rather than null, so fingerprints without it keep their meaning
        payload["expected"] = sorted(expected.items())
    return hashlib.sha256(_dump(payload).encode("utf-8")).hexdigest()
