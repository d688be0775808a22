"""``load_reference``: every published figure kept, nothing invented, ambiguities preserved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reports import ReferenceFigure, load_reference
from reports.reference import BISS_2017, SURVEY_2022, scope_slug

ROOT = Path(__file__).resolve().parents[2]
DATA = json.loads((ROOT / "monitor" / "data" / "survey-baseline.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def figures() -> list[ReferenceFigure]:
    return load_reference(DATA)


def test_every_figure_of_both_lists_is_kept_in_order(figures):
    assert len(figures) == len(DATA["baseline_2017"]) + len(DATA["survey_2022"]) == 34 + 115
    assert [f.dataset for f in figures] == [BISS_2017] * 34 + [SURVEY_2022] * 115
    assert [f.indicator_key for f in figures] == [e["indicator_key"] for e in DATA["baseline_2017"]] + [
        e["indicator_key"] for e in DATA["survey_2022"]]


def test_fields_are_copied_not_invented(figures):
    for figure, entry in zip(figures, DATA["baseline_2017"] + DATA["survey_2022"]):
        assert figure.value == (None if entry["value"] is None else float(entry["value"]))
        assert figure.unit == entry["unit"]
        assert figure.base_n == entry.get("base_n")
        assert figure.source_line == entry["source_line"]
        assert figure.exact is entry["exact"]
        assert figure.question_key == entry["question_key"]
        assert entry["note"] in figure.note
        assert figure.qualifier == entry.get("qualifier")


def test_words_only_figures_have_no_value(figures):
    words = [f for f in figures if f.value is None]
    assert len(words) == 10
    assert all(not f.exact for f in words)
    database = [f for f in words if f.indicator_key == "measures_5y_types.emigrant_database"]
    assert database[0].dataset == BISS_2017 and "only a few" in database[0].note


def test_bounds_keep_their_qualifier_in_the_note(figures):
    share = next(f for f in figures if f.indicator_key == "state_support_sufficiency_score.share_5_or_6")
    assert share.value == 70.0 and not share.exact and share.qualifier == "gt"
    assert share.note.startswith("[gt: lower bound only")
    band = next(f for f in figures if f.indicator_key == "eu_state_grant_uptake_score.mean"
                and f.scope == "riga-region")
    assert band.value is None and band.note.startswith("[range:8.50-8.86: only a band is given (8.50-8.86)]")
    change = next(f for f in figures if f.indicator_key == "remigration_promotion_topicality.not_topical")
    assert change.unit == "percentage_points" and "a change against 2017, not a level" in change.note


def test_region_names_become_slugs(figures):
    assert {f.scope for f in figures} == {"national", "riga-region", "vidzeme-region", "kurzeme-region",
                                          "zemgale-region", "latgale-region"}
    kurzeme_2017 = [f for f in figures if f.dataset == BISS_2017 and f.scope == "kurzeme-region"]
    assert {f.indicator_key for f in kurzeme_2017} == {"measures_5y_types.any", "housing_shortage_topicality."
                                                      "very_topical", "housing_shortage_topicality.rather_topical"}
    assert scope_slug("Rīga") == "riga-region" and scope_slug("latgale-region") == "latgale-region"
    with pytest.raises(ValueError):
        scope_slug("Pierīga")


def test_2017_counterparts_are_kept(figures):
    first = figures[0]
    assert first.indicator_key == "remigration_promotion_topicality.very_or_rather_topical"
    assert first.value == 80.0 and first.unit == "percent" and first.base_n is None
    assert first.counterpart.startswith("26 of 42")
    assert first.source_line == 3348 and first.source_line_end == 3349


def test_missing_lists_give_nothing_and_bad_values_raise():
    assert load_reference({}) == []
    assert len(load_reference({"survey_2022": DATA["survey_2022"][:2]})) == 2
    bad = dict(DATA["survey_2022"][0], value="six")
    with pytest.raises(ValueError):
        load_reference({"survey_2022": [bad]})
