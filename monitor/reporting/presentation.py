"""Presentation rules of the report pages, applied to the stored payload (plain dicts) when a page is drawn:
caveats gathered once per page with footnote marks, the small-base rule, and indicators grouped by the return
section their questions belong to. Nothing here changes a snapshot."""

from __future__ import annotations

import re
from typing import Any, Iterable

from flask_babel import gettext as _, lazy_gettext as _l

from forms import get_definition
from reports import labels
from reports.indicators import NO_ANSWER

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


# ------------------------------------------------------------------------ words for the payload's codes
# The payload stores codes (computations, answer codes, reason codes, summary keys); the pages print words in the
# reader's language and show the codes only inside the "about this figure" block.

COMPUTATION_LABELS = {
    "share": _l("Share of municipalities (%)"),
    "count": _l("Number of municipalities"),
    "mean": _l("Mean"),
    "median": _l("Median"),
    "sd": _l("Standard deviation"),
    "mode": _l("Most frequent value"),
    "min": _l("Minimum"),
    "max": _l("Maximum"),
    "sum": _l("Sum"),
    "sum_eur": _l("Sum, EUR"),
    "crosstab": _l("Cross-tabulation"),
}

SUMMARY_LABELS = {
    "intercept": _l("Intercept of the fitted line"),
    "slope": _l("Slope of the fitted line"),
    "n": _l("Municipalities with both scores (n)"),
    "n_incomplete": _l("Municipalities without a number for both scores"),
    "r": _l("Pearson correlation coefficient (r)"),
    "r_squared": _l("Coefficient of determination (R²)"),
}

AGAINST_LABELS = {
    "biss_2017": _l("2017 (BISS)"),
    "survey_2022": _l("2022 survey"),
    "previous_year": _l("previous year"),
}

TRIGGER_LABELS = {
    "cli": _l("compiled from the command line"),
    "web": _l("compiled on request"),
    "scheduler": _l("compiled on schedule"),
}


def reason_text(code: str, comparison: dict[str, Any]) -> str:
    """One reason of ``Comparison.reasons`` in the current language (an unknown code reads as nothing)."""
    if code == "defined_differently":
        return _("The reference figure is defined differently (see “About this figure”); read with care.")
    if code == "no_data":
        return _("No data this year: nothing to compare.")
    if code == "no_data_before":
        return _("No data in %(year)s: nothing to compare.", year=comparison.get("reference_year"))
    if code == "context_only":
        return _("Shown for context only: another question or base, not subtracted.")
    if code == "words_only":
        return _("Described only in words in the study: no number to compare.")
    if code == "not_exact":
        return _("The published figure is not exact (a bound, band or approximation): not subtracted.")
    if code == "count_without_base":
        return _("A count without a published base is not a percentage: counts are never compared.")
    if code == "side_by_side":
        return _("Counts, sums and most frequent values are shown side by side, not subtracted.")
    if code == "base_not_stated":
        return _("The published base (n) is not stated.")
    if code == "bases_differ":
        return _("The bases differ (%(now)s this year, %(before)s in %(year)s): read the change with care.",
                 now=comparison.get("current_n"), before=comparison.get("reference_base_n"),
                 year=comparison.get("reference_year"))
    return ""


def answer_label(field: str, code: Any, locale: str, column: str | None = None) -> str:
    """The label of an answer code in ``locale`` (the form's wording); "no answer" for the blank pseudo-code."""
    if code == NO_ANSWER:
        return _("no answer")
    return labels.label(field, str(code), locale, column)


def is_answer_code(field: str, value: Any) -> bool:
    """Whether ``value`` is one of the answer codes of ``field`` (so a table cell holding it can be worded)."""
    return isinstance(value, str) and any(c.code == value for c in labels.choices(field)) if field else False


def in_form_order(field: str, codes: Iterable[str]) -> list[str]:
    """Answer codes in the order the form lists them (the payload sorts them by code); unknown codes last."""
    order = {c.code: i for i, c in enumerate(labels.choices(field))}
    return sorted(codes, key=lambda c: (order.get(c, len(order)), c))


def question_text(field: str, locale: str) -> str:
    """A question's wording in ``locale``; the field key only when no definition knows it."""
    return labels.question(field, locale)


def row_label(row: dict[str, Any], names: dict[str, str], locale: str) -> str:
    """A table row's label: a place name for a row keyed by a place; for a row keyed ``<place>.<answer>`` (tables
    by region), the place in ``locale`` and the answer part of the stored label."""
    key = str(row.get("key", ""))
    if key in names:
        return names[key]
    label = str(row.get("label_en" if locale == "en" else "label_lv") or "")
    place, _dot, _rest = key.partition(".")
    if _dot and (place in names or place == "national") and ": " in label:
        where = names.get(place) or _("Latvia")
        return f"{where}: {label.split(': ', 1)[1]}"
    return label


UNIT_LABELS = {
    "pp": _l("pp"), "percentage_points": _l("pp"), "score": _l("points"), "mean_score": _l("points"),
    "mode_score": _l("points"), "eur": "EUR", "measures": _l("measures"), "persons": _l("persons"),
}

_OLD_REASONS = (  # how snapshots compiled before ``reasons`` existed worded them (in ``note``, English)
    ("defined_differently", re.compile(r"Reference indicator \S+ is defined differently")),
    ("no_data", re.compile(r"No data this year")),
    ("no_data_before", re.compile(r"No data in \d{4}: nothing to compare")),
    ("context_only", re.compile(r"Shown for context only")),
    ("words_only", re.compile(r"Described only in words in the seed report|Not exact or words only")),
    ("not_exact", re.compile(r"The published figure is not exact")),
    ("count_without_base", re.compile(r"A count without a published base")),
    ("side_by_side", re.compile(r"Counts, sums and modes are shown side by side")),
    ("base_not_stated", re.compile(r"The published base \(n\) is not stated")),
    ("bases_differ", re.compile(r"The bases differ \(")),
)


def reasons_of(comparison: dict[str, Any]) -> list[str]:
    """The reason codes of a comparison; for a snapshot compiled before they were stored, read back from its
    English ``note`` (the rest of that note is the reference figure's own, shown in "about this figure")."""
    if "reasons" in comparison:
        return list(comparison["reasons"])
    note = str(comparison.get("note") or "")
    return [code for code, pattern in _OLD_REASONS if pattern.search(note)]


def unit_label(unit: Any) -> str:
    """A change's unit in words (``""`` for plain numbers and counts)."""
    return str(UNIT_LABELS.get(str(unit), "")) if unit else ""


HELPERS = {"unit_label": unit_label, "reasons_of": reasons_of,
           "computation_label": lambda c: COMPUTATION_LABELS.get(c, c), "summary_label": SUMMARY_LABELS.get,
           "against_label": lambda a: AGAINST_LABELS.get(a, a), "trigger_label": TRIGGER_LABELS.get,
           "reason_text": reason_text, "answer_label": answer_label, "question_text": question_text,
           "is_answer_code": is_answer_code, "in_form_order": in_form_order, "row_label": row_label}


def template_helpers(threshold: int) -> dict[str, Any]:
    """Everything a report template may call — the web pages and the PDF share them: the small-base rule with
    ``threshold``, the page's caveat notes, and the labels that put codes into words."""
    return {"small_base": threshold, "is_small": lambda n: is_small_base(n, threshold), "page_notes": page_notes,
            "one_per_reference": one_per_reference, **HELPERS}


def chart_units() -> dict[str, tuple[str, str]]:
    """How each indicator unit reads on a chart, in the current language: (after the number, the axis caption)."""
    from flask_babel import gettext as _

    return {"percent": ("%", _("percent of the base")), "eur": (" EUR", "EUR"), "score": ("", _("score")),
            "persons": ("", _("persons")), "measures": ("", _("measures")), "count": ("", _("municipalities")),
            "mean_count": ("", _("mean number")), "std_dev": ("", _("standard deviation"))}
