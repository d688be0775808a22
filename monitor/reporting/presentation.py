"""Presentation rules of the report pages, applied to the stored payload (plain dicts) when a page is drawn:
caveats gathered once per page with footnote marks, the small-base rule, and indicators grouped by the return
section their questions belong to. Nothing here changes a snapshot."""

from __future__ import annotations

from typing import Any, Iterable

from forms import get_definition

OTHER_SECTION = "other"


class PageNotes:
    """The caveats of one page, each once, numbered in order of first appearance.

    ``add`` walks caveat dicts (``key``, ``lv``, ``en``), comparisons, figures, indicators and tables of the
    report payload, and lists or mappings of them; each comparison then carries ``mark(key)`` — a link to the
    one place its caveat is printed — instead of repeating the text."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._marks: dict[str, int] = {}

    def add(self, *sources: Any) -> PageNotes:
        for source in sources:
            self._walk(source)
        return self

    def mark(self, key: str) -> int | None:
        return self._marks.get(key)

    def _walk(self, obj: Any) -> None:
        if isinstance(obj, (list, tuple)):
            for item in obj:
                self._walk(item)
        elif isinstance(obj, dict):
            if {"key", "lv", "en"} <= obj.keys():
                if obj["key"] not in self._marks:
                    self._marks[obj["key"]] = len(self.items) + 1
                    self.items.append(obj)
                return
            for name in ("caveats", "comparisons", "national", "regions", "figures"):
                value = obj.get(name)
                self._walk(list(value.values()) if isinstance(value, dict) else value)

    def __bool__(self) -> bool:
        return bool(self.items)


def one_per_reference(comparisons: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """For pages that list many indicators: one comparison per reference (2017, 2022, previous year) — the
    figure the study states before one derived from a count, the indicator's own before another's — in the
    order first met. The indicator's own page lists them all."""
    chosen: dict[str, tuple[tuple[int, int], dict[str, Any]]] = {}
    order: list[str] = []
    for c in comparisons:
        against = c.get("against", "")
        rank = (1 if c.get("derived") else 0, 1 if c.get("reference_percent") is None
                and c.get("reference_value") is None else 0)
        if against not in chosen:
            order.append(against)
            chosen[against] = (rank, c)
        elif rank < chosen[against][0]:
            chosen[against] = (rank, c)
    return [chosen[a][1] for a in order]


def page_notes(*sources: Any) -> PageNotes:
    return PageNotes().add(*sources)


def is_small_base(n: Any, threshold: int) -> bool:
    """The small-base rule: a figure on fewer than ``threshold`` counted units (but some) is shown with a warning
    and without any change; n = 0 is "no data" already."""
    return isinstance(n, int) and not isinstance(n, bool) and 0 < n < threshold


def sections_of(year: int, indicators: Iterable[dict[str, Any]],
                locale: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
    """Indicators grouped by the return section of their first question, in the definition's section order:
    (section key, title in ``locale``, indicators). Indicators whose question the year's definition does not
    know end in a last group keyed ``other`` (its title is left empty for the page to fill)."""
    try:
        definition = get_definition(year)
    except KeyError:
        definition = None
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in indicators:
        key = OTHER_SECTION
        fields = item.get("fields") or []
        if definition is not None and fields:
            try:
                key = definition.section_of(fields[0])
            except KeyError:
                key = OTHER_SECTION
        groups.setdefault(key, []).append(item)
    result = []
    if definition is not None:
        for section in definition.sections:
            if section.key in groups:
                result.append((section.key, section.title.get(locale), groups.pop(section.key)))
    for key, items in groups.items():
        result.append((key, "", items))
    return result
