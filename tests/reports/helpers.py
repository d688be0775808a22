"""Small factories for report tests: plain records and reference figures, no database."""

from __future__ import annotations

from typing import Any

from reports import ReferenceFigure, UnitRecord

DK = "hard_to_say"
REGIONS = ("riga-region", "vidzeme-region", "kurzeme-region", "zemgale-region", "latgale-region")


def rec(unit: str, region: str = "riga-region", year: int = 2026, status: str = "approved",
        **values: Any) -> UnitRecord:
    return UnitRecord(unit=unit, region=region, year=year, values=values, status=status)


def ref(key: str, value: float | None, unit: str = "percent", *, dataset: str = "biss_2017",
        scope: str = "national", base_n: int | None = None, exact: bool = True, note: str = "",
        qualifier: str | None = None) -> ReferenceFigure:
    return ReferenceFigure(dataset=dataset, indicator_key=key, question_key=key.split(".")[0], scope=scope,
                           value=value, unit=unit, base_n=base_n, source_line=1, exact=exact, note=note,
                           qualifier=qualifier)
