"""Figures over small populations, checked against hand-computed values (bases, blanks, "hard to say")."""

from __future__ import annotations

from decimal import Decimal as D

from reports import compile_report

from .helpers import DK, REGIONS, rec

T = "remigration_promotion_topicality"


def national(records, key):
    return compile_report(2026, records).figure(key)


def test_share_keeps_hard_to_say_in_the_base_and_blanks_out():
    records = [rec("a", **{T: "very_topical"}), rec("b", **{T: DK}), rec("c", **{T: None}), rec("d")]
    figure = national(records, f"{T}.very_topical")
    assert (figure.value, figure.n, figure.numerator, figure.n_dont_know, figure.n_missing) == (D(50), 2, 1, 1, 2)
    both = national(records, f"{T}.very_or_rather_topical")
    assert both.numerator == 1 and both.n == 2


def test_share_without_hard_to_say_in_the_base():
    key = "planning_docs_include_remigration_measures"
    records = [rec("a", **{key: "yes"}), rec("b", **{key: "no"}), rec("c", **{key: DK}), rec("d", **{key: "no"})]
    yes = national(records, f"{key}.yes")
    assert (yes.numerator, yes.n, yes.n_dont_know) == (1, 3, 1)
    assert yes.value == D(100) / D(3)
    assert national(records, f"{key}.able_to_assess").value == 3


def test_all_hard_to_say():
    key = "planning_docs_include_remigration_measures"
    records = [rec(u, **{key: DK, "state_support_sufficiency_score": DK}) for u in "abc"]
    yes = national(records, f"{key}.yes")
    assert (yes.value, yes.n, yes.numerator, yes.n_dont_know) == (None, 0, None, 3)  # no data, not 0 of 0
    mean = national(records, "state_support_sufficiency_score.mean")
    assert (mean.value, mean.n, mean.n_dont_know) == (None, 0, 3)
    dk = national(records, f"{T}.hard_to_say")
    assert dk.n == 0 and dk.value is None  # nobody answered the topicality question at all
    records = [rec(u, **{T: DK}) for u in "abc"]
    assert national(records, f"{T}.hard_to_say").value == D(100)
    assert national(records, f"{T}.very_topical").value == D(0)


def test_empty_regions_are_always_there_with_n_zero():
    report = compile_report(2026, [rec("riga", "riga-region", **{T: "very_topical"})])
    assert [r.scope for r in report.regions] == list(REGIONS)
    empty = report.figure(f"{T}.very_topical", "latgale-region")
    assert (empty.value, empty.n, empty.numerator) == (None, 0, None)
    assert report.scope("latgale-region").n_units == 0
    assert report.figure("state_support_sufficiency_score.sd", "latgale-region").value is None
    assert report.table("table_18_info_exchange_by_region").cell("total", "latgale-region") == 0


def test_no_records_at_all():
    report = compile_report(2026, [])
    assert report.national.n_units == 0 and report.units == ()
    assert all(f.n == 0 for f in report.national.figures)
    assert report.to_dict()["indicators"][0]["national"]["value"] is None


def test_one_municipality():
    report = compile_report(2026, [rec("cesu-novads", "vidzeme-region", state_support_sufficiency_score=7)])
    key = "state_support_sufficiency_score"
    assert report.figure(f"{key}.mean").value == D(7)
    assert report.figure(f"{key}.median").value == D(7)
    assert report.figure(f"{key}.mode").value == (7,)
    assert report.figure(f"{key}.sd").value is None  # sample sd needs two values
    assert report.figure(f"{key}.mean", "vidzeme-region").value == D(7)
    unit = report.unit("cesu-novads").figure(f"{key}.mean")
    assert (unit.value, unit.n) == (D(7), 1)


def test_scores_by_hand_with_a_tie_for_the_mode():
    key = "state_support_sufficiency_score"
    records = [rec(u, **{key: v}) for u, v in zip("abcdefg", (5, 6, 5, 6, 1, DK, None))]
    report = compile_report(2026, records)
    assert report.figure(f"{key}.mean").value == D("4.6")  # 23 / 5
    assert report.figure(f"{key}.median").value == D(5)
    assert report.figure(f"{key}.mode").value == (5, 6)
    assert report.figure(f"{key}.min").value == D(1) and report.figure(f"{key}.max").value == D(6)
    # deviations 0.4, 1.4, 0.4, 1.4, −3.6: squares sum to 17.2; sample variance 4.3
    assert abs(report.figure(f"{key}.sd").value ** 2 - D("4.3")) < D("1e-25")
    share = report.figure(f"{key}.share_5_or_6")
    assert (share.numerator, share.n, share.value) == (4, 5, D(80))
    assert (share.n_dont_know, share.n_missing) == (1, 1)


def test_table_16_counts_by_hand():
    key = "measures_5y_count_housing"
    records = [rec(u, **{key: v}) for u, v in zip("abcde", (0, 2, 4, DK, None))]
    report = compile_report(2026, records)
    without = report.figure(f"{key}.municipalities_without")
    assert (without.numerator, without.n, without.n_dont_know, without.n_missing) == (1, 3, 1, 1)
    mean = report.figure(f"{key}.mean_count_among_implementers")
    assert (mean.value, mean.n) == (D(3), 2)
    assert abs(report.figure(f"{key}.sd_count_among_implementers").value ** 2 - 2) < D("1e-25")  # (1+1)/1
    row = report.table("table_16_measure_counts").rows[2]
    assert row.key == key
    assert row.cells[0] == 1 and row.cells[3] == 2 and row.cells[6] == ("a",)
    assert report.figure(f"{key}.total").value == D(6)


def test_money_sums_by_source_never_mix_known_and_unknown():
    records = [
        rec("a", budget_lines=[{"source": "varam", "spent_eur": D("100.50")},
                               {"source": "own_budget", "spent_eur": D("50")}]),
        rec("b", budget_lines=[{"source": "varam", "spent_eur": DK}, {"source": "own_budget", "spent_eur": D(10)}]),
        rec("c", budget_lines=[]),
        rec("d", budget_lines=[{"source": "varam", "spent_eur": D("0.25")}]),
    ]
    report = compile_report(2026, records)
    varam = report.figure("budget_lines.spent_eur.varam")
    assert (varam.value, varam.n, varam.n_dont_know, varam.n_missing) == (D("100.75"), 2, 1, 1)
    own = report.figure("budget_lines.spent_eur.own_budget")
    assert (own.value, own.n, own.n_missing) == (D(60), 2, 2)
    total = report.figure("budget_lines.spent_eur.total")
    assert (total.value, total.n, total.n_dont_know, total.n_missing) == (D("150.75"), 2, 1, 1)
    assert report.to_dict()["indicators"][[i.key for i in report.indicators].index(
        "budget_lines.spent_eur.varam")]["national"]["value"] == "100.75"


def test_returnee_counts_are_summed():
    records = [rec("a", returnees_persons=12), rec("b", returnees_persons=DK), rec("c", returnees_persons=3)]
    figure = compile_report(2026, records).figure("returnees_persons.sum")
    assert (figure.value, figure.n, figure.n_dont_know) == (D(15), 2, 1)


def test_a_tick_list_with_nothing_ticked_is_missing_not_none_of_these():
    key = "measures_5y_types"
    records = [rec("a", **{key: ["training_support", "other"]}), rec("b", **{key: None}), rec("c", **{key: [DK]}),
               rec("d", **{key: ["business_start_support", DK]}), rec("e", **{key: []}), rec("f")]
    report = compile_report(2026, records)
    training = report.figure(f"{key}.training_support")
    # b (None), e (nothing ticked) and f (not asked) are outside the base: 1 of a, c (hard to say), d
    assert (training.numerator, training.n, training.n_dont_know, training.n_missing) == (1, 3, 1, 3)
    assert training.value == D(100) / D(3)
    assert report.figure(f"{key}.any").numerator == 2
    assert report.figure(f"{key}.business_start_support").numerator == 1  # "hard to say" beside a code is dropped


def test_no_answer_is_counted_where_the_seed_report_counts_it():
    records = [rec("a", inquiry_routing="other"), rec("b"), rec("c", inquiry_routing=None)]
    report = compile_report(2026, records)
    missing = report.figure("inquiry_routing.no_information")
    assert (missing.value, missing.n) == (2, 3)
    other = report.figure("inquiry_routing.other")
    assert (other.value, other.n, other.n_missing) == (D(100), 1, 2)
    table = report.table("table_19_inquiry_routing")
    assert table.cell("other", "units") == ("a",)
    assert table.cell("no_answer", "units") == ("b", "c")
    assert table.cell("no_answer", "count") == 2 and table.n == 1


def test_wrong_typed_answers_stay_out_of_every_base():
    records = [rec("a", **{T: 5, "state_support_sufficiency_score": "five"}), rec("b", **{T: "very_topical"})]
    report = compile_report(2026, records)
    assert report.figure(f"{T}.very_topical").n == 1
    mean = report.figure("state_support_sufficiency_score.mean")
    assert (mean.n, mean.n_missing) == (0, 2)


def test_crosstab_by_hand():
    i, x = "interest_in_other_municipalities_measures", "info_exchange_with_other_municipalities"
    records = [rec("a", **{i: "yes", x: "yes"}), rec("b", **{i: "yes", x: "no"}), rec("c", **{i: "none", x: DK}),
               rec("d", **{i: "yes", x: None}), rec("e", **{i: "yes", x: "yes"})]
    report = compile_report(2026, records)
    figure = report.figure(f"{i}.by_info_exchange")
    assert figure.value.cell("yes", "yes") == 2 and figure.value.cell("none", DK) == 1
    assert (figure.n, figure.n_missing) == (4, 1)
    table = report.table("table_17_interest_by_info_exchange")
    assert table.cell("yes", "total") == 3 and table.cell("total", "yes") == 2 and table.cell("total", "total") == 4
    assert table.cell("little", "no") == 0


def test_distribution_by_region_table():
    records = [rec("a", "riga-region", **{T: "very_topical"}), rec("b", "riga-region", **{T: DK}),
               rec("c", "latgale-region", **{T: "rather_topical"}), rec("d", "latgale-region")]
    table = compile_report(2026, records).table("topicality_by_region")
    assert table.cell("riga-region", "very_topical") == 1 and table.cell("riga-region", "n") == 2
    assert table.cell("riga-region", "pct.very_topical") == D(50)
    assert table.cell("latgale-region", "n_missing") == 1 and table.cell("latgale-region", "pct.rather_topical") == 100
    assert table.cell("vidzeme-region", "n") == 0 and table.cell("vidzeme-region", "pct.very_topical") is None
    assert table.cell("national", "n") == 3 and table.n == 3


def test_scatter_by_hand():
    x, y = "state_support_sufficiency_score", "eu_state_grant_uptake_score"
    records = [rec("a", **{x: 1, y: 1}), rec("b", **{x: 2, y: 2}), rec("c", **{x: 3, y: 4}), rec("d", **{x: DK, y: 9})]
    table = compile_report(2026, records).table("state_support_vs_grant_uptake")
    summary = dict(table.summary)
    assert summary["n"] == 3 and summary["n_incomplete"] == 1
    assert summary["r_squared"] == D(27) / D(28)
    assert summary["slope"] == D("1.5")
    assert [r.key for r in table.rows] == ["a", "b", "c"]
