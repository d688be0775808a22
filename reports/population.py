"""The counted records of one year, read once: every source's normalised answers, by unit and by region."""

from __future__ import annotations

from collections import Counter
from typing import Any, Iterable, Sequence

from .records import UnitRecord
from .values import Source, normalise, read


class Population:
    """Records sorted by unit slug (so results never depend on input order) and their answers per source.

    ``answers(source)`` is aligned with ``records``; ``answers(source, region)`` with ``members(region)``.
    """

    def __init__(self, records: Sequence[UnitRecord], sources: Iterable[Source]) -> None:
        self.records: tuple[UnitRecord, ...] = tuple(sorted(records, key=lambda r: r.unit))
        self.position = {r.unit: i for i, r in enumerate(self.records)}
        self._answers: dict[Source, list[Any]] = {}
        self._regions: dict[str, list[int]] = {}
        self._tallies: dict[tuple[Source, str | None], list[tuple[Any, int]]] = {}
        self.memo: dict[Any, Any] = {}  # per-population cache for callers (e.g. picked numbers per source)
        for i, record in enumerate(self.records):
            self._regions.setdefault(record.region, []).append(i)
        for source in sources:
            self.add(source)

    def add(self, source: Source) -> None:
        if source in self._answers:
            return
        if source.column is None:  # the common case, without a call per record
            field = source.field
            self._answers[source] = [normalise(r.values.get(field)) for r in self.records]
        else:
            self._answers[source] = [read(source, r.values) for r in self.records]

    def regions(self) -> set[str]:
        return set(self._regions)

    def members(self, region: str | None = None) -> list[UnitRecord]:
        if region is None:
            return list(self.records)
        return [self.records[i] for i in self._regions.get(region, ())]

    def answers(self, source: Source, region: str | None = None) -> list[Any]:
        column = self._answers[source]
        if region is None:
            return column
        return [column[i] for i in self._regions.get(region, ())]

    def tally(self, source: Source, region: str | None = None) -> list[tuple[Any, int]]:
        """(answer, number of units) pairs — every share of a question reads the same tally."""
        key = (source, region)
        found = self._tallies.get(key)
        if found is None:
            found = self._tallies[key] = list(Counter(self.answers(source, region)).items())
        return found

    def answer(self, source: Source, unit: str) -> Any:
        return self._answers[source][self.position[unit]]

    def __len__(self) -> int:
        return len(self.records)
