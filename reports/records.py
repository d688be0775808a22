"""The plain input of report compilation: one municipality's typed answers for one reporting year.

The caller (the Flask app's loader, a test, a benchmark) builds ``UnitRecord`` objects; nothing here reads a
database. ``values`` holds the typed answers exactly as ``forms.validate`` returns them (see
``forms/validation.py``): ``int``, ``Decimal``, ``datetime.date``, choice codes, lists of codes for multi-choice,
``"hard_to_say"`` for "don't know", ``None`` for blank, and lists of row dicts for repeating groups.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

#: The five planning regions, in the order the seed report uses (Tables 8–12, 18). Reports always show all five.
REGION_SLUGS: tuple[str, ...] = (
    "riga-region",
    "vidzeme-region",
    "kurzeme-region",
    "zemgale-region",
    "latgale-region",
)

#: Statuses that count by default: only approved returns are published figures.
DEFAULT_STATUSES: frozenset[str] = frozenset({"approved"})


@dataclass(frozen=True)
class UnitRecord:
    """One municipality's return for one reporting year.

    ``unit`` is the municipality slug (``monitor/data/municipalities.json``), ``region`` its planning-region slug,
    ``status`` the workflow status of the return (only records whose status the report counts are used).
    """

    unit: str
    region: str
    year: int
    values: Mapping[str, Any]
    status: str = "approved"
