"""Comparisons with 2017, 2022 and the previous year: percentage points, bases, caveats, words-only figures."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from reports import compile_report, load_reference

from .helpers import DK, rec, ref

T = "remigration_promotion_topicality"
H = "housing_shortage_topicality"
ROOT = Path(__file__).resolve().parents[2]
REFERENCE = load_reference(json.loads((ROOT / "monitor" / "data" / "survey-baseline.json").read_text("utf-8")))
# 4 units: 1 very, 2 rather, 1 hard to say → very 25 %, very or rather 75 %
FOUR = [rec("a", **{T: "very_topical"}), rec("b", **{T: "rather_topical"}), rec("c", **{T: "rather_topical"}),
        rec("d", **{T: DK})]


def comparisons(report, key, scope="national", against=None):
    found = report.figure(key, scope).comparisons
    return [c for c in found if against is None or c.against == against]


def test_change_against_2017_in_percentage_points_with_the_reform_caveat():
    report = compile_report(2026, FOUR, reference=[ref(f"{T}.very_or_rather_topical", 80)])
    (c,) = comparisons(report, f"{T}.very_or_rather_topical")
    assert c.against == "biss_2017" and c.reference_year == 2017
    assert (c.current_value, c.reference_percent, c.change, c.change_unit) == (D(75), D(80), D(-5), "pp")
    assert (c.current_n, c.reference_base_n) == (4, None)
    assert [k.key for k in c.caveats] == ["reform_2021"]
    assert "119" in c.caveats[0].en and "43" in c.caveats[0].en and "like-for-like" in c.caveats[0].en
    assert "119" in c.caveats[0].lv and "2021" in c.caveats[0].lv
    assert "base (n) is not stated" in c.note


def test_counts_are_turned_into_percentages_only_with_their_base():
    refs = [ref(f"{T}.very_topical", 6, "count", dataset="survey_2022", base_n=42),
            ref(f"{T}.rather_topical", 20, "count", dataset="survey_2022")]
    report = compile_report(2026, FOUR, reference=refs)
    (with_base,) = comparisons(report, f"{T}.very_topical")
    assert with_base.derived and with_base.reference_percent == D(600) / D(42)
    assert with_base.change == D(25) - D(600) / D(42) and with_base.change_unit == "pp"
    assert with_base.reference_base_n == 42 and with_base.current_n == 4
    assert [k.key for k in with_base.caveats] == ["survey_2022"]
    (no_base,) = comparisons(report, f"{T}.rather_topical")
    assert no_base.change is None and no_base.reference_percent is None
    assert "counts are never compared" in no_base.note


def test_words_only_figures_stay_words():
    words = ref("measures_5y_types.emigrant_database", None, "count", exact=False, note="only a few")
    report = compile_report(2026, [rec("a", measures_5y_types=["emigrant_database"])], reference=[words])
    (c,) = comparisons(report, "measures_5y_types.emigrant_database")
    assert c.reference_value is None and c.change is None
    assert "only in words" in c.note and "only a few" in c.note
    assert c.caveats[0].key == "reform_2021"


def test_bounds_are_shown_not_subtracted():
    bound = ref("state_support_sufficiency_score.share_5_or_6", 70, dataset="survey_2022", exact=False,
                qualifier="gt")
    report = compile_report(2026, [rec("a", state_support_sufficiency_score=5)], reference=[bound])
    (c,) = comparisons(report, "state_support_sufficiency_score.share_5_or_6")
    assert c.reference_percent == D(70) and c.change is None and "not exact" in c.note


def test_scores_are_compared_as_differences_in_their_unit():
    mean = ref("state_support_sufficiency_score.mean", 4.92, "mean_score", dataset="survey_2022")
    mode = ref("state_support_sufficiency_score.mode", 5, "mode_score", dataset="survey_2022")
    records = [rec("a", state_support_sufficiency_score=5), rec("b", state_support_sufficiency_score=6)]
    report = compile_report(2026, records, reference=[mean, mode])
    (c,) = comparisons(report, "state_support_sufficiency_score.mean")
    assert (c.change, c.change_unit, c.reference_percent) == (D("0.58"), "mean_score", None)
    (m,) = comparisons(report, "state_support_sufficiency_score.mode")
    assert m.change is None and m.current_value == (5, 6)


def test_regional_2017_comparisons_carry_the_region_caveat_too():
    refs = [ref(f"{H}.very_topical", 63, scope="riga-region"), ref(f"{H}.very_topical", 75, dataset="survey_2022",
                                                                    scope="riga-region")]
    records = [rec("a", "riga-region", **{H: "very_topical"}), rec("b", "riga-region", **{H: "rather_topical"}),
               rec("c", "kurzeme-region", **{H: "very_topical"})]
    report = compile_report(2026, records, reference=refs)
    old, new = comparisons(report, f"{H}.very_topical", "riga-region")
    assert (old.change, new.change) == (D(-13), D(-25))
    assert [k.key for k in old.caveats] == ["reform_2021", "regions_2017"]
    assert comparisons(report, f"{H}.very_topical") == []  # national: no national reference given
    table = report.table("housing_shortage_by_region_vs_2017")
    assert table.cell("riga-region.very_topical", "biss_2017_percent") == D(63)
    assert table.cell("riga-region.very_topical", "change_vs_2017_pp") == D(-13)
    assert table.cell("riga-region.very_topical", "change_vs_2022_pp") == D(-25)
    assert table.cell("kurzeme-region.very_topical", "percent") == D(100)
    assert {c.key for c in table.caveats} >= {"reform_2021", "regions_2017"}


def test_context_references_are_never_subtracted():
    context = ref("reasons_no_remigration_measures.can_return_unaided", 42)
    report = compile_report(2026, [rec("a", support_programmes_needed="rather_not_necessary")], reference=[context])
    (c,) = comparisons(report, "support_programmes_needed.not_necessary_any_degree")
    assert c.change is None and "context only" in c.note and c.reference_percent == D(42)  # shown beside


def test_a_reference_with_another_definition_says_so():
    further = ref("plans_measures_next_5y.yes_additional", 25)
    report = compile_report(2026, [rec("a", plans_measures_next_5y="yes")], reference=[further])
    (c,) = comparisons(report, "plans_measures_next_5y.yes")
    assert c.change == D(75) and "defined differently" in c.note
    assert report.table("plans_next_5y_vs_2017").cell("national.yes", "change_vs_2017_pp") == D(75)


def test_every_2017_comparison_in_a_full_report_carries_the_reform_caveat():
    report = compile_report(2026, FOUR, reference=REFERENCE)
    data = report.to_dict()
    seen = 0
    for entry in data["indicators"]:
        for figure in [entry["national"], *entry["regions"].values()]:
            for c in figure["comparisons"]:
                if c["against"] == "biss_2017":
                    seen += 1
                    assert "reform_2021" in [k["key"] for k in c["caveats"]]
                    if c["change"] is not None:
                        assert c["change_unit"] == "pp"  # 2017 figures are all shares here: percentages only
    for table in data["tables"]:
        for c in table["comparisons"]:
            if c["against"] == "biss_2017":
                assert "reform_2021" in [k["key"] for k in c["caveats"]]
    assert seen >= 30


def test_reference_figures_for_words_only_regions_show_as_words():
    report = compile_report(2026, [rec("a", "riga-region", state_support_sufficiency_score=3)], reference=REFERENCE)
    (c,) = comparisons(report, "state_support_sufficiency_score.mean", "riga-region")
    assert c.reference_value is None and c.change is None and "skeptiskākie" in c.note


# ----------------------------------------------------------------------------------------- previous year

def test_change_against_the_previous_year():
    before = [rec("a", year=2025, **{T: "very_topical"}, state_support_sufficiency_score=4),
              rec("b", year=2025, **{T: "rather_topical"}, state_support_sufficiency_score=6)]
    report = compile_report(2026, FOUR[:2] + [rec("c", **{T: "very_topical"})], previous=before)
    assert report.previous_year == 2025
    (c,) = comparisons(report, f"{T}.very_topical", against="previous_year")
    assert (c.reference_value, c.reference_base_n, c.current_n) == (D(50), 2, 3)
    assert c.change == D(200) / D(3) - D(50) and c.change_unit == "pp" and c.caveats == ()
    (m,) = comparisons(report, "state_support_sufficiency_score.mean", against="previous_year")
    assert m.reference_value == D(5) and m.current_value is None and m.change is None  # no score this year


def test_previous_year_per_unit():
    before = [rec("a", year=2025, state_support_sufficiency_score=4, returnees_persons=3)]
    now = [rec("a", state_support_sufficiency_score=7, returnees_persons=5), rec("b", state_support_sufficiency_score=1)]
    report = compile_report(2026, now, previous=before)
    (c,) = report.unit("a").figure("state_support_sufficiency_score.mean").comparisons
    assert (c.reference_value, c.current_value, c.change) == (D(4), D(7), D(3))
    assert report.unit("b").figure("state_support_sufficiency_score.mean").comparisons == ()
    (total,) = comparisons(report, "returnees_persons.sum", against="previous_year")
    assert total.change == D(2) and total.note == ""
    (unit_share,) = report.unit("a").figure("state_support_sufficiency_score.share_5_or_6").comparisons
    assert (unit_share.reference_value, unit_share.current_value, unit_share.change) == (D(0), D(0), D(0))


def test_previous_year_counts_warn_when_bases_differ():
    before = [rec("a", year=2025, returnees_persons=3), rec("b", year=2025, returnees_persons=4)]
    report = compile_report(2026, [rec("a", returnees_persons=10)], previous=before)
    (c,) = comparisons(report, "returnees_persons.sum", against="previous_year")
    assert c.change == D(3) and "bases differ" in c.note


def test_previous_must_be_one_earlier_year():
    with pytest.raises(ValueError):
        compile_report(2026, [], previous=[rec("a", year=2025), rec("b", year=2024)])
    with pytest.raises(ValueError):
        compile_report(2026, [], previous=[rec("a", year=2026)])
    with pytest.raises(ValueError):
        compile_report(2026, [], previous=[rec("a", year=2025), rec("a", year=2025)])


# --------------------------------------------------------------------------------------- inputs and scope

def test_only_the_counted_statuses_are_used_and_all_are_reported():
    records = [rec("a", **{T: "very_topical"}), rec("b", status="submitted", **{T: "rather_topical"}),
               rec("c", status="draft", **{T: "rather_topical"})]
    report = compile_report(2026, records)
    assert report.figure(f"{T}.very_topical").value == D(100)
    assert dict(report.generated_from) == {"approved": 1, "draft": 1, "submitted": 1}
    assert [u.unit for u in report.units] == ["a"]
    preview = compile_report(2026, records, statuses=frozenset({"approved", "submitted"}))
    assert preview.figure(f"{T}.very_topical").value == D(50) and preview.statuses == ("approved", "submitted")
    data = report.to_dict()
    assert data["generated_from"] == {"approved": 1, "draft": 1, "submitted": 1} and data["statuses"] == ["approved"]


def test_previous_year_uses_the_same_statuses():
    before = [rec("a", year=2025, **{T: "very_topical"}), rec("b", year=2025, status="draft", **{T: DK})]
    report = compile_report(2026, [rec("a", **{T: "very_topical"})], previous=before)
    (c,) = comparisons(report, f"{T}.very_topical", against="previous_year")
    assert c.reference_value == D(100) and c.reference_base_n == 1


def test_bad_inputs_raise():
    with pytest.raises(ValueError):
        compile_report(2026, [rec("a", year=2025)])
    with pytest.raises(ValueError):
        compile_report(2026, [rec("a"), rec("a", status="draft")])


def test_region_names_and_unknown_regions():
    names = {"riga-region": "Rīgas plānošanas reģions"}
    report = compile_report(2026, [rec("a", "riga-region"), rec("b", "pieriga-x")], regions=names)
    assert [r.scope for r in report.regions][-1] == "pieriga-x"
    assert report.scope("riga-region").name == "Rīgas plānošanas reģions"
    assert report.scope("vidzeme-region").name == "vidzeme-region"
    assert report.to_dict()["regions"][0] == {"slug": "riga-region", "name": "Rīgas plānošanas reģions",
                                              "n_units": 1}
