"""Coverage of a compiled year: how many municipalities were expected, which returns count, which are missing.

A report without its coverage invites reading "30 municipalities" as "Latvia": every report states, nationally and
per planning region, the units expected (the registry's municipalities), how many of them have a counted return,
every return of an expected unit by status (counted or not), and the expected units without a counted return —
with the status of their return where they have one that the report does not count (a draft, a submitted return).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from .records import UnitRecord


@dataclass(frozen=True)
class Coverage:
    """The coverage of one scope (``"national"`` or a planning-region slug).

    ``expected``: units expected in the scope; ``counted``: expected units with a counted return; ``returns``:
    (status, number) of the expected units' returns in every status, sorted by status; ``missing``: expected
    slugs without a counted return, sorted; ``uncounted``: (slug, status) of the missing units that do have a
    return, in a status the report does not count; ``unexpected``: units with a counted return that were not
    expected (their answers are in the figures; they are listed so nothing is counted silently).
    """

    scope: str
    expected: int
    counted: int
    counted_statuses: tuple[str, ...]
    returns: tuple[tuple[str, int], ...]
    missing: tuple[str, ...]
    uncounted: tuple[tuple[str, str], ...] = ()
    unexpected: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected, "counted": self.counted, "counted_statuses": list(self.counted_statuses),
            "returns_by_status": dict(self.returns), "missing": list(self.missing),
            "missing_with_return": dict(self.uncounted), "unexpected": list(self.unexpected),
        }


def build_coverage(scope: str, expected: Iterable[str], records: Sequence[UnitRecord],
                   statuses: frozenset[str]) -> Coverage:
    """The coverage of ``scope``: ``expected`` are the scope's expected slugs, ``records`` the scope's returns
    (any status; expected or not)."""
    wanted = set(expected)
    by_unit = {r.unit: r.status for r in records}
    counted = {u for u, s in by_unit.items() if s in statuses}
    missing = tuple(sorted(wanted - counted))
    return Coverage(
        scope=scope, expected=len(wanted), counted=len(wanted & counted), counted_statuses=tuple(sorted(statuses)),
        returns=tuple(sorted(Counter(s for u, s in by_unit.items() if u in wanted).items())),
        missing=missing, uncounted=tuple((u, by_unit[u]) for u in missing if u in by_unit),
        unexpected=tuple(sorted(counted - wanted)))


def coverages(expected: Mapping[str, str], records: Sequence[UnitRecord], statuses: frozenset[str],
              regions: Sequence[str]) -> tuple[Coverage, dict[str, Coverage]]:
    """(national coverage, region slug → coverage) for ``expected`` (slug → planning-region slug).

    An expected unit belongs to the region ``expected`` gives it; an unexpected one to its record's region."""
    national = build_coverage("national", expected, records, statuses)
    region_of = {r.unit: expected.get(r.unit, r.region) for r in records}
    by_region = {}
    for region in regions:
        slugs = [s for s, r in expected.items() if r == region]
        mine = [r for r in records if region_of[r.unit] == region]
        by_region[region] = build_coverage(region, slugs, mine, statuses)
    return national, by_region
