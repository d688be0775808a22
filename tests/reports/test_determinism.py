"""Same inputs, any order → the same report dict; the JSON form; the inputs fingerprint."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from decimal import Decimal as D

from reports import compile_report, inputs_fingerprint, load_reference
from reports.model import number_text

from .helpers import DK
from .seed_2022 import BASELINE, records_2022

REFERENCE = load_reference(BASELINE)


def shuffled(items, seed):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


def previous_of(records):
    return [replace(r, year=2021, values={**r.values, "remigration_promotion_topicality": DK}) for r in records[::2]]


def test_shuffled_inputs_give_an_identical_dict():
    records = records_2022()
    previous = previous_of(records)
    first = compile_report(2022, records, reference=REFERENCE, previous=previous).to_dict()
    for seed in range(3):
        again = compile_report(2022, shuffled(records, seed), reference=shuffled(REFERENCE, seed),
                               previous=shuffled(previous, seed)).to_dict()
        assert again == first
        assert json.dumps(again, sort_keys=True, ensure_ascii=False) == json.dumps(first, sort_keys=True,
                                                                                   ensure_ascii=False)


def test_dict_is_plain_json_with_the_documented_shape():
    report = compile_report(2022, records_2022(), reference=REFERENCE)
    data = report.to_dict()
    assert json.loads(json.dumps(data)) == data  # nothing but JSON types
    assert {"year", "generated_from", "caveats", "indicators", "tables", "units", "regions", "statuses"} <= set(data)
    assert data["year"] == 2022 and data["generated_from"] == {"approved": 41} and data["n_units"] == 41
    assert [c["key"] for c in data["caveats"]] == ["reform_2021", "regions_2017", "survey_2022"]
    entry = next(e for e in data["indicators"] if e["key"] == "remigration_promotion_topicality.very_topical")
    assert entry["national"]["value"] == "14.6341463415" and entry["national"]["n"] == 41
    assert entry["national"]["numerator"] == 6
    assert set(entry["regions"]) == {"riga-region", "vidzeme-region", "kurzeme-region", "zemgale-region",
                                     "latgale-region"}
    assert [u["unit"] for u in data["units"]] == sorted(u["unit"] for u in data["units"])
    table = next(t for t in data["tables"] if t["key"] == "table_16_measure_counts")
    assert table["rows"][0]["cells"][:2] == [12, "3.3103448276"]


def test_number_text():
    assert number_text(D("3.30")) == "3.3"
    assert number_text(D("1E+3")) == "1000"
    assert number_text(D("-0.000000000001")) == "0"
    assert number_text(D(2) / D(3)) == "0.6666666667"
    assert number_text(80.0) == "80"
    assert number_text(D("-1.50")) == "-1.5"


def test_fingerprint_ignores_order_and_sees_every_change():
    records = records_2022()
    base = inputs_fingerprint(records, REFERENCE, {"approved"})
    assert len(base) == 64
    assert inputs_fingerprint(shuffled(records, 1), shuffled(REFERENCE, 1), ["approved"]) == base
    changed = [replace(records[0], values={**records[0].values, "eu_state_grant_uptake_score": 0})] + records[1:]
    assert inputs_fingerprint(changed, REFERENCE, {"approved"}) != base
    assert inputs_fingerprint(records, REFERENCE, {"approved", "submitted"}) != base
    assert inputs_fingerprint(records, REFERENCE[1:], {"approved"}) != base
    assert inputs_fingerprint([replace(records[0], status="draft")] + records[1:], REFERENCE, {"approved"}) != base
    expected = {r.unit: r.region for r in records}
    with_expected = inputs_fingerprint(records, REFERENCE, {"approved"}, expected)
    assert with_expected != base  # the expected units decide the coverage
    assert inputs_fingerprint(records, REFERENCE, {"approved"}, dict(reversed(expected.items()))) == with_expected
    assert inputs_fingerprint(records, REFERENCE, {"approved"}, {**expected, "x": "riga-region"}) != with_expected


def test_fingerprint_canonical_numbers():
    def one(value):
        from .helpers import rec
        return inputs_fingerprint([rec("a", budget_lines=[{"spent_eur": value}])], [], {"approved"})

    assert one(D("1.50")) == one(D("1.5"))
    assert one(D("1.5")) != one(D("1.6"))
    assert one(1) != one(D(1))
