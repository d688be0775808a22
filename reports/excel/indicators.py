"""The Indicators sheet (and indicators.csv) from compiled reports, and the key national shares of the Charts
sheet. Comparisons carry the reference value and the change (percentage points for shares)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Iterator, Mapping

from forms.schema import Text

from .coverage import COVERAGE_COLUMNS, coverage_cells
from .formats import DIFFERENCE, EUR, PERCENT, PP

INDICATOR_COLUMNS = (
    "year", "indicator", "title", "unit", "scope", "scope_name", "value", "n", "numerator", "n_dont_know",
    "n_missing", "base", "value_2017", "change_2017", "value_2022", "change_2022", "change_previous", "caveats",
    *COVERAGE_COLUMNS,
)
_AGAINST = ("biss_2017", "survey_2022", "previous_year")
_VALUE_FORMATS = {"percent": PERCENT, "eur": EUR, "score": "0.00", "mean_count": "0.00", "std_dev": "0.00"}
_NATIONAL = Text("Latvija", "Latvia")


def indicator_rows(reports: Mapping[int, dict], locale: str) -> Iterator[tuple[list[Any], list[str | None]]]:
    """(values, number formats) per year × indicator × scope (national, then the regions) of ``Report.to_dict()``
    dicts; comparisons: the reference value (a percentage for shares) and the change (pp for shares); ``n_missing``
    and ``base`` (answered / counted) of the figure; the scope's coverage (empty where it was not recorded)."""
    lang = "en" if locale == "en" else "lv"
    for year in sorted(reports):
        report = reports[year]
        scopes = [("national", _NATIONAL.get(lang))] + [(r["slug"], r["name"]) for r in report.get("regions", ())]
        covered = {scope: coverage_cells(report.get("coverage"), scope) for scope, _name in scopes}
        for entry in report.get("indicators", ()):
            title, unit = entry[f"title_{lang}"], entry["unit"]
            value_format = _VALUE_FORMATS.get(unit)
            for scope, scope_name in scopes:
                figure = entry["national"] if scope == "national" else entry["regions"].get(scope)
                if figure is not None:
                    head = [year, entry["key"], title, unit, scope, scope_name, _number(figure["value"]), figure["n"],
                            figure["numerator"], figure["n_dont_know"], figure.get("n_missing"), _base(entry)]
                    values, formats = _with_comparisons(head, figure["comparisons"], unit, value_format, lang)
                    yield values + covered[scope], formats + [None] * len(COVERAGE_COLUMNS)


def _base(entry: dict) -> str:
    """The figure's declared base; reports compiled before it was declared counted blanks as "not ticked" where
    ``blank_counts_as_no`` was set."""
    base = entry.get("base", {})
    return base.get("denominator") or ("counted" if base.get("blank_counts_as_no") else "answered")


def _with_comparisons(head: list[Any], comparisons: list[dict], unit: str, value_format: str | None,
                      lang: str) -> tuple[list[Any], list[str | None]]:
    values, formats = head, [None] * 6 + [value_format] + [None] * 5
    caveats: dict[str, str] = {}
    for against in _AGAINST:
        found = next((c for c in comparisons if c["against"] == against), None)
        if against != "previous_year":
            reference, reference_format = _reference(found, unit, value_format)
            values.append(reference)
            formats.append(reference_format)
        values.append(None if found is None else _number(found["change"]))
        formats.append(PP if found and found["change_unit"] == "pp" else DIFFERENCE)
        for caveat in found["caveats"] if found else ():
            caveats.setdefault(caveat["key"], caveat[lang])
    values.append(" | ".join(caveats.values()) or None)
    formats.append(None)
    return values, formats


def _reference(found: dict | None, unit: str, value_format: str | None) -> tuple[Any, str | None]:
    """The reference figure in the indicator's terms: the percentage for shares; nothing when it is a figure of
    another kind that cannot be compared (a count without a base, a mode against a mean…)."""
    if found is None:
        return None, None
    if found["reference_percent"] is not None and (unit == "percent" or found["change_unit"] == "pp"):
        return _number(found["reference_percent"]), PERCENT
    if found["reference_unit"] == unit or found["change"] is not None:
        return _number(found["reference_value"]), value_format
    return None, None


def _number(value: Any) -> Any:
    """A number of the JSON form → ``Decimal`` (ints stay ints); a mode → "0; 4"; a crosstab → a short text."""
    if value is None or type(value) is int:
        return value
    if type(value) is str:
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        return number if number.is_finite() else value
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict) and "counts" in value:
        return "; ".join(f"{r} × {c}: {n}" for r, counts in zip(value["rows"], value["counts"])
                         for c, n in zip(value["cols"], counts))
    return str(value)


def key_indicators(reports: Mapping[int, dict], locale: str, limit: int = 8) -> tuple[int | None, list[list[Any]]]:
    """The latest year and up to ``limit`` national shares that have a 2017 figure: [key, title, value, 2017]."""
    if not reports:
        return None, []
    year = max(reports)
    rows = []
    for entry in reports[year].get("indicators", ()):
        figure = entry["national"]
        found = next((c for c in figure["comparisons"] if c["against"] == "biss_2017"), None)
        if entry["unit"] == "percent" and found and found["change"] is not None and figure["value"] is not None:
            title = entry["title_en" if locale == "en" else "title_lv"]
            rows.append([entry["key"], title, _number(figure["value"]), _number(found["reference_percent"])])
    return year, rows[:limit]
