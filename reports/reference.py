"""Published reference figures: the 2017 BISS baseline and the 2022 municipal survey, as quoted in the seed report.

``load_reference`` turns the parsed ``survey-baseline.json`` into ``ReferenceFigure`` objects. It keeps every
figure of both lists, invents nothing and loses no caveat: a figure the report gives only in words keeps
``value=None``; a bound, band or approximation keeps ``exact=False`` and its ``qualifier`` (``lt``, ``gt``,
``approx``, ``range:8.50-8.86``, ``change_vs_2017``), which is also spelled out at the start of ``note``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

BISS_2017 = "biss_2017"
SURVEY_2022 = "survey_2022"
NATIONAL = "national"

#: JSON list name → dataset id
_DATASETS = (("baseline_2017", BISS_2017), ("survey_2022", SURVEY_2022))

#: Region names as written in the reference file (seed report spelling) → planning-region slugs.
SCOPE_SLUGS: Mapping[str, str] = {
    "national": NATIONAL,
    "Rīga": "riga-region",
    "Riga": "riga-region",
    "Vidzeme": "vidzeme-region",
    "Kurzeme": "kurzeme-region",
    "Zemgale": "zemgale-region",
    "Latgale": "latgale-region",
}

_QUALIFIER_WORDS = {
    "lt": "upper bound only (the text says 'less than')",
    "gt": "lower bound only (the text says 'more than')",
    "approx": "approximate (given in words)",
    "change_vs_2017": "a change against 2017, not a level",
}


@dataclass(frozen=True)
class ReferenceFigure:
    """One published figure.

    ``value`` is ``None`` when the report describes the figure only in words. ``unit`` is as in the JSON
    (``percent``, ``count``, ``mean_score``, ``percentage_points``…). ``base_n`` is the denominator where the
    report fixes it. ``exact`` is ``False`` for bounds, bands, fractions and words. The trailing optional fields
    keep the rest of the JSON entry (nothing is dropped).
    """

    dataset: str
    indicator_key: str
    question_key: str | None
    scope: str
    value: float | None
    unit: str
    base_n: int | None
    source_line: int | None
    exact: bool
    note: str
    qualifier: str | None = None
    source_line_end: int | None = None
    counterpart: str | None = None  # "match_2022": the 2022 counterpart as the report states it (2017 rows)
    note_lv: str = ""  # the note in Latvian (``note_lv`` of the JSON entry, with the qualifier in Latvian)

    @property
    def is_words_only(self) -> bool:
        return self.value is None


def scope_slug(scope: str) -> str:
    """``"Rīga"`` → ``"riga-region"``; slugs and ``"national"`` pass through. Unknown names raise ``ValueError``
    (a new scope in the reference data must be mapped on purpose, not silently dropped)."""
    if scope in SCOPE_SLUGS:
        return SCOPE_SLUGS[scope]
    if scope in SCOPE_SLUGS.values():
        return scope
    raise ValueError(f"unknown reference scope {scope!r}")


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    raise ValueError(f"reference value {value!r} is not a number")


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


_QUALIFIER_WORDS_LV = {
    "lt": "tikai augšējā robeža (tekstā: „mazāk nekā”)",
    "gt": "tikai apakšējā robeža (tekstā: „vairāk nekā”)",
    "approx": "aptuveni (norādīts vārdiem)",
    "change_vs_2017": "izmaiņas salīdzinājumā ar 2017. gadu, nevis līmenis",
}


def _note(entry: Mapping[str, Any], locale: str = "en") -> str:
    """The entry's note (``note``, or ``note_lv`` for ``locale="lv"``), its qualifier spelled out in front. A
    Latvian note is empty when the entry has none (the page then says the note exists in English only)."""
    note = str(entry.get("note" if locale == "en" else "note_lv") or "")
    qualifier = entry.get("qualifier")
    if not qualifier or (locale != "en" and not note):
        return note
    words = (_QUALIFIER_WORDS if locale == "en" else _QUALIFIER_WORDS_LV).get(qualifier)
    if words is None and str(qualifier).startswith("range:"):
        words = (f"only a band is given ({qualifier[6:]})" if locale == "en"
                 else f"norādīts tikai intervāls ({qualifier[6:]})")
    prefix = f"[{qualifier}: {words}]" if words else f"[{qualifier}]"
    return f"{prefix} {note}".strip()


def _figure(dataset: str, entry: Mapping[str, Any]) -> ReferenceFigure:
    return ReferenceFigure(
        dataset=dataset,
        indicator_key=str(entry["indicator_key"]),
        question_key=entry.get("question_key"),
        scope=scope_slug(str(entry.get("scope", NATIONAL))),
        value=_number(entry.get("value")),
        unit=str(entry.get("unit") or ""),
        base_n=_int_or_none(entry.get("base_n")),
        source_line=_int_or_none(entry.get("source_line")),
        exact=bool(entry.get("exact", False)),
        note=_note(entry),
        qualifier=entry.get("qualifier"),
        source_line_end=_int_or_none(entry.get("source_line_end")),
        counterpart=entry.get("match_2022"),
        note_lv=_note(entry, "lv"),
    )


def load_reference(data: Mapping[str, Any]) -> list[ReferenceFigure]:
    """All figures of ``baseline_2017`` (dataset ``biss_2017``) and ``survey_2022`` (dataset ``survey_2022``),
    in file order. Missing lists give no figures; a malformed entry raises ``ValueError``/``KeyError``."""
    figures: list[ReferenceFigure] = []
    for list_name, dataset in _DATASETS:
        entries: Iterable[Mapping[str, Any]] = data.get(list_name) or ()
        figures.extend(_figure(dataset, entry) for entry in entries)
    return figures
