"""A blank is never a zero, and every report states its coverage: hand-computed cases."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from reports import compile_report
from reports.catalogue import BaseRule, Computation, Indicator
from reports.figures import compute

from .helpers import DK, rec, ref

T = "remigration_promotion_topicality"
M = "measures_5y_types"


def national(records, key, **kwargs):
    return compile_report(2026, records, **kwargs).figure(key)


# ------------------------------------------------------------------------------------- blanks are missing

# (answers, key, expected (value, n, numerator, n_dont_know, n_missing)); None = blank, "-" = not asked
SHARES = [
    (["very_topical", None, None, "rather_topical"], f"{T}.very_topical", (D(50), 2, 1, 0, 2)),
    (["very_topical", DK, None, "-"], f"{T}.very_topical", (D(50), 2, 1, 1, 2)),
    ([None, "-", None], f"{T}.very_topical", (None, 0, None, 0, 3)),
    (["not_at_all_topical", "-"], f"{T}.very_or_rather_topical", (D(0), 1, 0, 0, 1)),  # a real 0 (n = 1)
    ([["training_support"], [], None, "-"], f"{M}.training_support", (D(100), 1, 1, 0, 3)),
    ([["other"], ["training_support"], []], f"{M}.training_support", (D(50), 2, 1, 0, 1)),
    ([[], [], "-"], f"{M}.any", (None, 0, None, 0, 3)),  # nothing ticked anywhere: no data, not "none of these"
    ([[DK], ["other"], None], f"{M}.any", (D(50), 2, 1, 1, 1)),
]


@pytest.mark.parametrize("answers,key,expected", SHARES)
def test_blanks_and_questions_not_asked_are_outside_the_base(answers, key, expected):
    field = key.split(".")[0]
    records = [rec(f"u{i}") if a == "-" else rec(f"u{i}", **{field: a}) for i, a in enumerate(answers)]
    figure = national(records, key)
    assert (figure.value, figure.n, figure.numerator, figure.n_dont_know, figure.n_missing) == expected


def test_numbers_with_blanks():
    key = "state_support_sufficiency_score"
    records = [rec("a", **{key: 4}), rec("b", **{key: None}), rec("c"), rec("d", **{key: 8}), rec("e", **{key: DK})]
    mean = national(records, f"{key}.mean")
    assert (mean.value, mean.n, mean.n_dont_know, mean.n_missing) == (D(6), 2, 1, 2)
    total = national([rec("a"), rec("b", returnees_persons=None)], "returnees_persons.sum")
    assert (total.value, total.n, total.n_missing) == (None, 0, 2)  # no data, not a sum of 0


def test_the_counted_base_keeps_blanks_inside_as_not_in_the_numerator():
    item = Indicator(f"{T}.very_topical_of_all", "x", "x", (T,), Computation.SHARE,
                     codes=frozenset({"very_topical"}), base=BaseRule(denominator="counted"))
    core = compute(item, ["very_topical", None, None, "rather_topical", DK])
    assert (core.value, core.n, core.numerator, core.n_dont_know, core.n_missing) == (D(20), 5, 1, 1, 2)
    answered = Indicator(item.key, "x", "x", (T,), Computation.SHARE, codes=item.codes)
    core = compute(answered, ["very_topical", None, None, "rather_topical", DK])
    assert (core.value, core.n, core.numerator, core.n_missing) == (D(100) / D(3), 3, 1, 2)
    # Table 19's "no information": the blanks among every counted municipality
    figure = national([rec("a", inquiry_routing="other"), rec("b"), rec("c", inquiry_routing=None)],
                      "inquiry_routing.no_information")
    assert (figure.value, figure.n, figure.numerator, figure.n_missing) == (2, 3, 2, 2)


# ------------------------------------------------------------------------------ no data → no comparison

def test_an_all_blank_indicator_has_no_data_and_no_comparison():
    key = f"{M}.training_support"
    reference = [ref(key, 3), ref(key, 58, dataset="survey_2022"),
                 ref(key, 10, scope="latgale-region")]
    previous = [rec("a", year=2025, **{M: ["training_support"]}), rec("b", year=2025, **{M: ["other"]})]
    records = [rec("a", **{M: None}), rec("b"), rec("c", **{M: []})]
    report = compile_report(2026, records, reference=reference, previous=previous)
    figure = report.figure(key)
    assert (figure.value, figure.n, figure.numerator, figure.n_missing) == (None, 0, None, 3)
    against = {c.against: c for c in figure.comparisons}
    assert set(against) == {"biss_2017", "survey_2022", "previous_year"}  # the references are still shown…
    assert all(c.change is None and c.change_unit is None for c in figure.comparisons)  # …never subtracted
    assert against["biss_2017"].reference_percent == D(3) and "No data" in against["biss_2017"].note
    assert against["biss_2017"].caveats[0].key == "reform_2021"  # the caveat stays with every 2017 comparison
    assert against["previous_year"].reference_value == D(50) and against["previous_year"].current_value is None
    # a unit without an answer this year has no change against its own answer of last year either
    unit = report.unit("a").figure(key)
    assert unit.value is None and unit.comparisons[0].change is None
    data = report.to_dict()
    entry = next(e for e in data["indicators"] if e["key"] == key)
    assert entry["national"]["value"] is None and entry["national"]["n_missing"] == 3
    assert all(c["change"] is None for c in entry["national"]["comparisons"])


def test_no_data_last_year_gives_no_change_either():
    previous = [rec("a", year=2025), rec("b", year=2025, **{T: None})]
    records = [rec("a", **{T: "very_topical"}), rec("b", **{T: "rather_topical"})]
    figure = compile_report(2026, records, previous=previous).figure(f"{T}.very_topical")
    assert figure.value == D(50)
    (comparison,) = figure.comparisons
    assert comparison.change is None and comparison.reference_value is None and comparison.reference_base_n == 0
    assert "No data in 2025" in comparison.note


def test_tables_show_no_data_instead_of_zero_for_empty_bases():
    records = [rec("a", "riga-region", **{T: "very_topical"}), rec("b", "latgale-region")]
    report = compile_report(2026, records)
    topicality = report.table("topicality_by_region")
    assert topicality.cell("latgale-region", "very_topical") is None  # nobody answered: not 0
    assert topicality.cell("latgale-region", "pct.very_topical") is None
    assert topicality.cell("latgale-region", "n") == 0 and topicality.cell("latgale-region", "n_missing") == 1
    assert topicality.cell("riga-region", "rather_topical") == 0  # a real 0 of 1
    exchange = report.table("table_18_info_exchange_by_region")
    assert exchange.cell("yes", "riga-region") is None and exchange.cell("total", "riga-region") == 0
    crosstab = report.table("table_17_interest_by_info_exchange")
    assert crosstab.n == 0 and crosstab.cell("yes", "yes") is None and crosstab.cell("total", "total") == 0
    routing = report.table("table_19_inquiry_routing")
    assert routing.cell("other", "count") is None and routing.cell("no_answer", "count") == 2
    counts = report.table("table_16_measure_counts")
    assert counts.rows[0].cells[:2] == (None, None)


# ---------------------------------------------------------------------------------------------- coverage

EXPECTED = {"a": "riga-region", "b": "riga-region", "c": "riga-region", "d": "latgale-region",
            "e": "latgale-region", "f": "vidzeme-region"}


def coverage_report():
    records = [rec("a", "riga-region"), rec("b", "riga-region", status="submitted"), rec("d", "latgale-region"),
               rec("e", "latgale-region", status="draft"), rec("x", "kurzeme-region")]
    return compile_report(2026, records, expected=EXPECTED)


def test_coverage_counts_and_names_the_missing_nationally_and_per_region():
    report = coverage_report()
    national = report.coverage
    # expected 6; counted a, d (approved); b submitted and e draft are not counted; c and f sent nothing;
    # x is counted but was not expected (its answers are in the figures, so it is listed)
    assert (national.expected, national.counted) == (6, 2)
    assert dict(national.returns) == {"approved": 2, "draft": 1, "submitted": 1}
    assert national.missing == ("b", "c", "e", "f")
    assert dict(national.uncounted) == {"b": "submitted", "e": "draft"}
    assert national.unexpected == ("x",) and national.counted_statuses == ("approved",)
    riga = report.scope("riga-region").coverage
    assert (riga.expected, riga.counted, riga.missing, dict(riga.returns)) == (
        3, 1, ("b", "c"), {"approved": 1, "submitted": 1})
    latgale = report.scope("latgale-region").coverage
    assert (latgale.expected, latgale.counted, latgale.missing) == (2, 1, ("e",))
    vidzeme = report.scope("vidzeme-region").coverage
    assert (vidzeme.expected, vidzeme.counted, vidzeme.missing, vidzeme.returns) == (1, 0, ("f",), ())
    kurzeme = report.scope("kurzeme-region").coverage
    assert (kurzeme.expected, kurzeme.counted, kurzeme.unexpected) == (0, 0, ("x",))


def test_coverage_follows_the_counted_statuses():
    records = [rec("a", "riga-region"), rec("b", "riga-region", status="submitted")]
    report = compile_report(2026, records, expected=EXPECTED, statuses=frozenset({"approved", "submitted"}))
    assert report.coverage.counted == 2 and report.coverage.missing == ("c", "d", "e", "f")
    assert report.coverage.counted_statuses == ("approved", "submitted")


def test_json_round_trip_of_the_new_fields():
    data = coverage_report().to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["coverage"] == {
        "expected": 6, "counted": 2, "counted_statuses": ["approved"],
        "returns_by_status": {"approved": 2, "draft": 1, "submitted": 1}, "missing": ["b", "c", "e", "f"],
        "missing_with_return": {"b": "submitted", "e": "draft"}, "unexpected": ["x"],
        "regions": data["coverage"]["regions"]}
    assert data["coverage"]["regions"]["riga-region"]["missing"] == ["b", "c"]
    assert list(data["coverage"]["regions"]) == ["riga-region", "vidzeme-region", "kurzeme-region",
                                                 "zemgale-region", "latgale-region"]
    entry = data["indicators"][0]
    assert entry["base"] == {"statuses": None, "exclude_dont_know": False, "denominator": "answered"}
    assert {"n", "n_missing", "n_dont_know", "numerator"} <= set(entry["national"])
    assert "n_blank" not in entry["national"] and "blank_counts_as_no" not in entry["base"]
    routing = next(e for e in data["indicators"] if e["key"] == "inquiry_routing.no_information")
    assert routing["base"]["denominator"] == "counted"
    assert compile_report(2026, []).to_dict()["coverage"] is None  # no expected units given: not recorded
