"""Coverage in the benchmark exports: the README's block per year and the Indicators sheet's coverage columns.

Both read the ``coverage`` of ``Report.to_dict()`` (``None`` or absent in reports compiled without it: then the
README says "not recorded" and the columns stay empty). Municipality names come from ``WorkbookInfo.place_names``
(slugs where a name is missing).
"""

from __future__ import annotations

from typing import Any, Mapping

from forms.schema import Text

#: workflow statuses in both languages (the README is bilingual; the app's own labels live in Flask)
STATUS_TEXT: dict[str, Text] = {
    "not_started": Text("nav sākts", "not started"), "draft": Text("melnraksts", "draft"),
    "submitted": Text("iesniegts", "submitted"), "returned": Text("atgriezts labošanai", "returned for correction"),
    "resubmitted": Text("iesniegts atkārtoti", "resubmitted"), "approved": Text("apstiprināts", "approved"),
}
_NO_RETURN = Text("nav pārskata", "no return")
_NOT_RECORDED = Text("pārklājums nav reģistrēts (rādītāji apkopoti, pirms to sāka norādīt)",
                     "coverage not recorded (the indicators were compiled before it was stated)")

#: the Indicators sheet's coverage columns (of the row's scope: the country or the region)
COVERAGE_COLUMNS = ("units_expected", "units_counted", "units_missing")


def _status(code: str, lang: str) -> str:
    found = STATUS_TEXT.get(code)
    return found.get(lang) if found is not None else code


def coverage_text(coverage: Mapping[str, Any] | None, names: Mapping[str, str], lang: str) -> str:
    """One year's coverage in ``lang``: counted of expected (counted statuses), the returns by status and the
    municipalities not counted, each with its return's status or "no return"."""
    if not coverage:
        return _NOT_RECORDED.get(lang)
    statuses = ", ".join(_status(s, lang) for s in coverage["counted_statuses"])
    by_status = ", ".join(f"{_status(s, lang)} {n}" for s, n in coverage["returns_by_status"].items())
    with_return = coverage.get("missing_with_return", {})
    missing = ", ".join(
        f"{names.get(s, s)} ({_status(with_return[s], lang) if s in with_return else _NO_RETURN.get(lang)})"
        for s in coverage["missing"])
    counted, expected = coverage["counted"], coverage["expected"]
    if lang == "en":
        text = f"{counted} of {expected} municipalities counted ({statuses}); returns by status: {by_status or '—'}. "
        text += f"Not counted ({len(coverage['missing'])}): {missing}." if missing else "Every municipality counted."
    else:
        text = f"ieskaitītas {counted} no {expected} pašvaldībām ({statuses}); pārskati pēc statusa: "
        text += f"{by_status or '—'}. "
        text += f"Nav ieskaitītas ({len(coverage['missing'])}): {missing}." if missing else "Ieskaitītas visas."
    return text


def coverage_cells(coverage: Mapping[str, Any] | None, scope: str) -> list[int | None]:
    """[expected, counted, missing] of ``scope`` ("national" or a region slug); empty cells when not recorded."""
    if not coverage:
        return [None, None, None]
    found = coverage if scope == "national" else coverage.get("regions", {}).get(scope)
    if not found:
        return [None, None, None]
    return [found["expected"], found["counted"], len(found["missing"])]
