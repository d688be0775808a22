"""The compact summary of a report: exactly the payload's national and regional values and bases."""

from __future__ import annotations

from reports import compile_report
from reports.summary import summarise

from .helpers import rec


def test_summary_carries_each_indicators_value_and_base_as_the_payload_does():
    records = [rec("a", q_plans_new="yes"), rec("b", q_plans_new="no"), rec("c", region="latgale-region")]
    payload = compile_report(2026, records).to_dict()
    summary = summarise(payload)
    assert summary["n_units"] == payload["n_units"] == 3
    assert set(summary["indicators"]) == {i["key"] for i in payload["indicators"]}
    for item in payload["indicators"]:
        got = summary["indicators"][item["key"]]
        value = item["national"]["value"]
        expected = None if isinstance(value, (dict, list)) or not item["national"]["n"] else value
        assert got["national"] == [expected, item["national"]["n"], item["national"]["n_missing"]]
        assert set(got["regions"]) == set(item["regions"])


def test_no_data_and_tables_have_no_single_value():
    payload = {"indicators": [
        {"key": "x", "computation": "crosstab", "national": {"value": {"rows": []}, "n": 4, "n_missing": 0},
         "regions": {}},
        {"key": "y", "computation": "share", "national": {"value": "0", "n": 0, "n_missing": 3}, "regions": {}}]}
    summary = summarise(payload)
    assert summary["indicators"]["x"]["national"] == [None, 4, 0]
    assert summary["indicators"]["y"]["national"] == [None, 0, 3]
    assert summary["coverage"] is None
