"""Figures over the units with another answer (``Indicator.restrict_to``) and the tables naming municipalities."""

from __future__ import annotations

from decimal import Decimal as D

from reports import compile_report

from .helpers import DK, rec

CHANGE, EUR = "remigration_budget_change_since_2017", "remigration_budget_eur_2022"
LARGEST = f"{EUR}.increased_municipalities"


def records():
    return [rec("a", year=2022, **{CHANGE: "increased", EUR: D(4000)}),
            rec("b", "vidzeme-region", year=2022, **{CHANGE: "increased", EUR: D("9500.50")}),
            rec("c", year=2022, **{CHANGE: "unchanged", EUR: 0}),
            rec("d", year=2022, **{CHANGE: "decreased", EUR: D(20000)}),  # larger, but not an increase
            rec("e", year=2022, **{CHANGE: DK, EUR: D(50000)}),
            rec("f", year=2022, **{CHANGE: "increased", EUR: DK}),
            rec("g", year=2022, **{EUR: D(70000)})]  # no change answer: outside the population


def test_largest_amount_only_among_units_with_the_other_answer():
    report = compile_report(2022, records())
    largest = report.figure(LARGEST)
    assert (largest.value, largest.n, largest.n_dont_know, largest.n_missing) == (D("9500.50"), 2, 1, 0)
    assert report.figure(LARGEST, "vidzeme-region").value == D("9500.50")
    assert report.figure(LARGEST, "kurzeme-region").value is None  # nobody there: no data, not zero
    total = report.figure(f"{EUR}.total")  # unrestricted: every known amount
    assert (total.value, total.n, total.n_dont_know) == (D("153500.50"), 6, 1)


def test_restricted_figure_is_independent_of_input_order():
    forward = compile_report(2022, records()).to_dict()
    backward = compile_report(2022, list(reversed(records()))).to_dict()
    assert forward == backward


def test_budget_change_shares_keep_hard_to_say_in_the_base():
    unchanged = compile_report(2022, records()).figure(f"{CHANGE}.unchanged")
    assert (unchanged.numerator, unchanged.n, unchanged.n_missing) == (1, 6, 1)


def test_tables_name_the_units_per_answer():
    plans, reasons = "plans_measures_next_5y", "reasons_no_planned_measures"
    report = compile_report(2022, [
        rec("a", year=2022, **{plans: "yes", "planned_measures_next_5y": "semināri"}),
        rec("b", year=2022, **{plans: DK, reasons: ["no_remigrant_demand", "lack_of_funding"]}),
        rec("c", year=2022, **{plans: "no", reasons: ["no_remigrant_demand"]}),
        rec("d", year=2022)])
    by_code = report.table("reasons_no_planned_measures_units")
    assert by_code.cell("no_remigrant_demand", "units") == ("b", "c")
    # "a" plans measures: the reasons question does not apply to it, so it is not "no answer"; "d" was not asked
    # whether it plans (blank), so it may have been asked the reasons and gave none
    assert by_code.cell("lack_of_funding", "count") == 1 and by_code.cell("no_answer", "units") == ("d",)
    assert by_code.n == 2
    assert report.table("plans_next_5y_units").cell("hard_to_say", "units") == ("b",)
    words = report.table("planned_measures_next_5y_by_unit")
    assert [(r.key, r.cells) for r in words.rows] == [("a", (("a",), "yes", "semināri"))]


def test_a_named_table_without_answers_says_no_data_not_zero():
    report = compile_report(2022, [rec("a", year=2022), rec("b", year=2022)])
    table = report.table("budget_change_since_2017_units")
    assert table.n == 0
    assert [table.cell(code, "count") for code in ("increased", "unchanged")] == [None, None]
    assert table.cell("no_answer", "count") == 2 and table.cell("no_answer", "units") == ("a", "b")
