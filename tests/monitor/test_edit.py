"""The one edit plan (``monitor.returns.edit``), tested like ``forms``: tables of cases and properties, no app, no
database. The merge rule: equal values are never a conflict; an answer only the other person changed is kept; an
answer both changed differently is a conflict."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forms import Condition, Field, FieldType, Section, Text, validate
from monitor.returns.edit import BLOCK, DROP, canonical, fingerprint, match_rows, plan_edit
from tests.forms.helpers import make_field, mini

T = FieldType
NAME = make_field(T.TEXT, key="name", label=Text("Vārds", "Name"))
COUNT = make_field(T.INTEGER, key="count", min=0, label=Text("Skaits", "Count"))
ROWS = make_field(T.GROUP, key="rows", label=Text("Ieraksti", "Entries"))
GATE = Field("gate", T.YES_NO_DK, Text("Vai?", "Whether?"))
DETAIL = make_field(T.TEXT, key="detail", show_if=Condition("gate", frozenset({"yes"})),
                    label=Text("Sīkāk", "Detail"))
OTHER = Section("other", Text("Cita", "Other"), None, (make_field(T.INTEGER, key="elsewhere", min=0),))
D = mini(NAME, COUNT, ROWS, GATE, DETAIL, sections=(OTHER,))
STORED = {"name": "Ilze", "count": 2, "rows": [{"name": "A", "_uid": "a" * 32}], "gate": None, "detail": None,
          "elsewhere": None}


def fp(value):
    return fingerprint(value)


# (case, current, raw, others, shown, expected: written values, conflicts, kept_theirs)
MERGE_CASES = [
    ("nobody else changed it", STORED, {"name": "Jānis"}, set(), None, {"name": "Jānis"}, (), ()),
    ("same value as the other person: agreement, not a conflict", {**STORED, "name": "Jānis"}, {"name": "Jānis"},
     {"name"}, {"name": fp("Ilze")}, {"name": "Jānis"}, (), ()),
    ("same value without fingerprints", {**STORED, "name": "Jānis"}, {"name": "Jānis"}, {"name"}, None,
     {"name": "Jānis"}, (), ()),
    ("left as shown while another changed it: theirs kept", {**STORED, "name": "Jānis"}, {"name": "Ilze"},
     {"name"}, {"name": fp("Ilze")}, {"name": "Jānis"}, (), ("name",)),
    ("both changed it differently: conflict", {**STORED, "name": "Jānis"}, {"name": "Anna"}, {"name"},
     {"name": fp("Ilze")}, None, ("name",), ()),
    ("no fingerprints: every differing answer counts as the editor's", {**STORED, "name": "Jānis"},
     {"name": "Ilze"}, {"name"}, None, None, ("name",), ()),
    ("another answer changed by the other person is not touched", {**STORED, "count": 5}, {"name": "Anna"},
     {"count"}, {"name": fp("Ilze"), "count": fp(2)}, {"name": "Anna", "count": 5}, (), ()),
    ("a number typed as text equals the stored number", {**STORED, "count": 7}, {"count": " 7 "}, {"count"},
     {"count": fp(2)}, {"count": 7}, (), ()),
    ("rows equal in content are equal, whatever their ids", {**STORED, "rows": [{"name": "B", "_uid": "b" * 32}]},
     {"rows": [{"name": "B"}]}, {"rows"}, {"rows": fp([{"name": "A"}])}, {"rows": [{"name": "B"}]}, (), ()),
]


@pytest.mark.parametrize(("case", "current", "raw", "others", "shown", "written", "conflicts", "kept"),
                         MERGE_CASES, ids=[c[0] for c in MERGE_CASES])
def test_merge_rule(case, current, raw, others, shown, written, conflicts, kept):
    plan = plan_edit(D, current, raw, others=others, shown=shown)
    assert plan.conflicts == conflicts
    assert plan.kept_theirs == kept
    assert plan.can_apply == (not conflicts)
    for key, value in (written or {}).items():
        assert canonical(plan.values[key]) == canonical(value), key


def test_only_the_keys_sent_are_written():
    plan = plan_edit(D, STORED, {"count": "3"})
    assert plan.keys == ("count",) and plan.values["count"] == 3 and plan.values["name"] == "Ilze"
    assert plan_edit(D, STORED, {"unknown": "x", "name": "A"}).keys == ("name",)


BLOCK_CASES = [
    # (raw, scope, on_invalid, can_apply, value of count afterwards, dropped paths)
    ({"count": "x"}, None, BLOCK, False, None, []),
    ({"count": "-1"}, ("s",), BLOCK, False, None, []),
    ({"count": "x"}, ("other",), BLOCK, True, None, []),  # an error outside the saved section does not block
    ({"count": "x", "name": "Anna"}, None, DROP, True, 2, ["count"]),  # dropped: the stored answer stays
    ({"count": "4"}, None, DROP, True, 4, []),
]


@pytest.mark.parametrize(("raw", "scope", "on_invalid", "can_apply", "count", "dropped"), BLOCK_CASES)
def test_invalid_answers_block_or_are_dropped_with_their_reason(raw, scope, on_invalid, can_apply, count, dropped):
    plan = plan_edit(D, STORED, raw, scope=scope, on_invalid=on_invalid)
    assert plan.can_apply == can_apply
    if can_apply and on_invalid == DROP:
        assert plan.values["count"] == count
    assert [i.path for i in plan.dropped] == dropped
    assert all(i.en for i in plan.dropped)


def test_answers_to_questions_that_do_not_apply_are_listed_not_written():
    plan = plan_edit(D, STORED, {"gate": "no", "detail": "Sīkāk par to"})
    assert plan.can_apply and plan.values["detail"] is None
    assert [i.path for i in plan.not_kept] == ["detail"] and "“Whether?”" in plan.not_kept[0].en


def test_rows_without_ids_take_the_ids_of_equal_stored_rows():
    current = {**STORED, "rows": [{"name": "A", "_uid": "a" * 32}, {"name": "B", "_uid": "b" * 32}]}
    plan = plan_edit(D, current, {"rows": [{"name": "B"}, {"name": "C"}, {"name": "A"}]})
    assert [r.get("_uid") for r in plan.values["rows"]] == ["b" * 32, None, "a" * 32]


def test_match_rows_never_gives_one_id_twice():
    new = [{"name": "A"}, {"name": "A"}, {"name": "A", "_uid": "a" * 32}]
    match_rows(new, [{"name": "A", "_uid": "a" * 32}, {"name": "A", "_uid": "c" * 32}])
    assert [r.get("_uid") for r in new] == ["c" * 32, None, "a" * 32]


# ------------------------------------------------------------------------------------------------ properties

names = st.one_of(st.none(), st.sampled_from(["Ilze", "Jānis", "Anna", " Ilze ", ""]))
counts = st.one_of(st.none(), st.integers(0, 50), st.sampled_from(["3", " 3", "x", "-1"]))


@settings(max_examples=200, deadline=None)
@given(stored=names, theirs=names, mine=names, shown_stored=st.booleans(), with_fps=st.booleans())
def test_property_merge_never_loses_either_side(stored, theirs, mine, shown_stored, with_fps):
    """Whatever two editors do to one answer: equal values are never a conflict, and the plan either writes the
    editor's value, keeps the other person's, or refuses — it never writes a third value."""
    current = {**STORED, "name": validate(D, {"name": theirs}).values["name"]}
    shown = {"name": fp(validate(D, {"name": stored}).values["name"])} if with_fps else None
    plan = plan_edit(D, current, {"name": mine}, others={"name"}, shown=shown)
    typed_mine = validate(D, {"name": mine}).values["name"]
    if canonical(typed_mine) == canonical(current["name"]):
        assert plan.conflicts == ()
    if plan.conflicts:
        assert not plan.can_apply
    else:
        assert canonical(plan.values["name"]) in (canonical(typed_mine), canonical(current["name"]))
    if with_fps and fp(typed_mine) == shown["name"] and canonical(typed_mine) != canonical(current["name"]):
        assert plan.kept_theirs == ("name",) and canonical(plan.values["name"]) == canonical(current["name"])


@settings(max_examples=200, deadline=None)
@given(name=names, count=counts, others=st.sets(st.sampled_from(["name", "count"])))
def test_property_planning_the_result_again_changes_nothing(name, count, others):
    plan = plan_edit(D, STORED, {"name": name, "count": count})
    if not plan.can_apply:
        assert plan.blocking
        return
    again = plan_edit(D, plan.values, {k: plan.values[k] for k in plan.keys}, others=others)
    assert again.conflicts == () and again.can_apply
    assert {k: canonical(again.values[k]) for k in again.keys} == {k: canonical(plan.values[k]) for k in plan.keys}


@settings(max_examples=100, deadline=None)
@given(count=st.one_of(st.integers(0, 10**6), st.decimals(0, 100, places=0, allow_nan=False)))
def test_property_untouched_keys_keep_their_stored_value(count):
    plan = plan_edit(D, STORED, {"count": count})
    assert plan.values["name"] == "Ilze" and plan.values["rows"] == STORED["rows"]
    if plan.can_apply:
        assert plan.values["count"] == int(Decimal(count))
