"""What the public may see of a report figure: the one disclosure rule of the public figures (and, later, the
open-data API).

A figure that counts people (an indicator whose ``unit`` is ``"persons"``: returnees, returning families and
children, enquiries, benefits granted) is withheld when it is above 0 and below ``THRESHOLD`` — one or two people
could be recognised in a small municipality. It is shown as "fewer than 3", never as the number: in tables, chart
labels and titles, the series and the map. 0 and every value from 3 up are shown; a figure without data (n = 0)
stays "no data". Other units (percentages of municipalities, scores, EUR, numbers of measures) are not counts of
people and are shown as they are. Pure: no Flask, no database.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Mapping

THRESHOLD = 3
PERSONS = "persons"


def counts_people(item: Mapping[str, Any]) -> bool:
    """Whether the indicator's figures are numbers of people (the payload's indicator ``unit``)."""
    return item.get("unit") == PERSONS


def public_value(item: Mapping[str, Any], figure: Mapping[str, Any] | None) -> tuple[Any, bool]:
    """``figure``'s value as the public may see it → (value or None, suppressed).

    ``item`` is the payload's indicator (only its ``unit`` matters), ``figure`` a figure of it (national, a
    region's, a municipality's, a series point) or any mapping with ``value`` and, optionally, ``n``.
    (None, False): no data (no figure, n = 0 or no value); (None, True): a count of people from 1 to 2, shown as
    "fewer than 3"; else (the payload's value unchanged, False)."""
    if figure is None or figure.get("n") == 0:
        return None, False
    value = figure.get("value")
    if value is None:
        return None, False
    if counts_people(item) and not isinstance(value, (dict, list, bool)):
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            return None, True  # a count that is not a number: never guess, never show
        if 0 < number < THRESHOLD:
            return None, True
    return value, False
