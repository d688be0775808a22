"""An indicator across every year it exists in: the 2017 BISS figure and the 2022 survey as the seed report
publishes them, and each reporting year's latest compilation — each point with its base.

Reporting years are read from the snapshots' summaries (``reports.summary``), never their payloads; the published
figures come from the comparisons of the figure on the page. Nothing is interpolated: a year whose base is empty
is a point without a value ("no data"), and a published figure described only in words has no value either."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterable

from reports.model import payload_number as _decimal

#: the published datasets a series shows, in time order
PUBLISHED = ("biss_2017", "survey_2022")
RETURNS = "returns"
#: computations whose figure is one number (a series of modes or cross-tabulations has no line to draw)
SCALAR = frozenset({"share", "count", "mean", "median", "sd", "min", "max", "sum", "sum_eur"})


@dataclass(frozen=True, slots=True)
class Point:
    year: int
    source: str  # biss_2017 | survey_2022 | returns
    value: Decimal | None  # None: no data (returns) or no number published (references)
    n: int | None  # the base; None when the seed report does not state it
    n_missing: int | None = None  # returns only: counted municipalities without a usable answer
    exact: bool = True  # references: False for a bound, band or approximation
    derived: bool = False  # references: a count turned into a percentage over its published base
    snapshot_id: int | None = None  # returns: the compilation the point comes from
    source_line: int | None = None  # references: the seed report's line
    withheld: bool = False  # the value is not shown to this reader (value None): public pages, people counts below 3

    @property
    def published(self) -> bool:
        return self.source != RETURNS


def published_points(item: dict[str, Any], figure: dict[str, Any]) -> list[Point]:
    """The 2017 and 2022 published figures of ``item`` from ``figure``'s comparisons: one per dataset, the
    stated percentage before one derived from a count, the indicator's own figure before one defined differently;
    figures shown for context only (another question) are not part of the series."""
    share = item.get("computation") == "share"
    context = set(item.get("context_keys") or [])
    best: dict[str, tuple[tuple[int, int, int], Point]] = {}
    for c in figure.get("comparisons") or []:
        dataset = c.get("against")
        if dataset not in PUBLISHED or c.get("reference_key") in context:
            continue
        if share:
            value = _decimal(c.get("reference_percent"))
        elif c.get("reference_unit") == "percent" or (c.get("reference_unit") == "count"
                                                       and item.get("computation") != "count"):
            value = None  # a share, or a count published for a score or a sum: not the same measure
        else:
            value = _decimal(c.get("reference_value"))
        point = Point(year=int(c.get("reference_year") or 0), source=dataset, value=value,
                      n=c.get("reference_base_n"), exact=bool(c.get("reference_exact", True)),
                      derived=bool(c.get("derived")), source_line=c.get("reference_source_line"))
        rank = (0 if c.get("reference_key") == item.get("key") else 1, 0 if value is not None else 1,
                1 if point.derived else 0)
        if dataset not in best or rank < best[dataset][0]:
            best[dataset] = (rank, point)
    return [best[d][1] for d in PUBLISHED if d in best]


def returns_points(key: str, summaries: dict[int, tuple[Any, dict[str, Any]]], scope: str = "national") -> list[Point]:
    """One point per reporting year whose latest compilation has indicator ``key`` (``scope``: ``national`` or a
    planning-region slug), from ``queries.latest_summaries()``."""
    points = []
    for year in sorted(summaries):
        snapshot, summary = summaries[year]
        entry = (summary.get("indicators") or {}).get(key)
        if entry is None:
            continue
        found = entry.get("national") if scope == "national" else (entry.get("regions") or {}).get(scope)
        if found is None:
            continue
        value, n, n_missing = (list(found) + [None, None, None])[:3]
        points.append(Point(year=year, source=RETURNS, value=_decimal(value) if n else None, n=n,
                            n_missing=n_missing, snapshot_id=getattr(snapshot, "id", None)))
    return points


def indicator_series(item: dict[str, Any], figure: dict[str, Any],
                     summaries: dict[int, tuple[Any, dict[str, Any]]], scope: str = "national") -> list[Point]:
    """The whole series of one indicator in one scope, in time order (a published figure before the reporting
    year of the same year). Empty for an indicator that is not a single number."""
    if item.get("computation") not in SCALAR:
        return []
    points: Iterable[Point] = [*published_points(item, figure), *returns_points(item["key"], summaries, scope)]
    return sorted(points, key=lambda p: (p.year, 0 if p.published else 1))
