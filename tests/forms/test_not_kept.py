"""Answers to questions that do not apply are dropped, but never silently: ``ValidationResult.not_kept`` lists each
one with the gate question and its answer. Past years' definitions treat a gate without an answer as "not asked"
and keep what it gates."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms import Condition, Field, FieldType, Text, get_definition, validate

from .helpers import is_blank_text, make_field, mini

T = FieldType
GATE = Field("gate", T.YES_NO_DK, Text("Vai ir programma?", "Is there a programme?"))
GATED = make_field(T.TEXT, key="detail", show_if=Condition("gate", frozenset({"yes"})),
                   label=Text("Programmas apraksts", "Programme description"))
ROWS = make_field(T.GROUP, key="rows", show_if=Condition("gate", frozenset({"yes"})),
                  label=Text("Programmas", "Programmes"))
ONLINE = Field("online", T.YES_NO_DK, Text("Tiešsaistē?", "Online?"))
COUNTRY = make_field(T.TEXT, key="country", show_if=Condition("online", frozenset({"no"})),
                     label=Text("Valsts", "Country"))
EVENTS = Field("events", T.GROUP, Text("Pasākumi", "Events"), fields=(ONLINE, COUNTRY))
CURRENT = mini(GATE, GATED, ROWS, EVENTS)
PAST = replace(CURRENT, gates_may_be_unasked=True)

CASES = [
    # (definition, answers, kept values, paths not kept)
    (CURRENT, {"gate": "yes", "detail": "Granti"}, {"detail": "Granti"}, []),
    (CURRENT, {"gate": "no", "detail": "Granti"}, {"detail": None}, ["detail"]),
    (CURRENT, {"detail": "Granti"}, {"detail": None}, ["detail"]),
    (PAST, {"detail": "Granti"}, {"detail": "Granti"}, []),  # the gate was not asked then
    (PAST, {"gate": "no", "detail": "Granti"}, {"detail": None}, ["detail"]),  # asked, and answered "no"
    (CURRENT, {"gate": "no", "rows": [{"name": "A"}, {"name": "B"}]}, {"rows": []}, ["rows"]),
    (PAST, {"rows": [{"name": "A"}]}, {"rows": [{"name": "A"}]}, []),
    (CURRENT, {"gate": "no", "detail": ""}, {"detail": None}, []),  # nothing typed: nothing lost
    (CURRENT, {"events": [{"online": "yes", "country": "Īrija"}]}, {}, ["events[0].country"]),
    (PAST, {"events": [{"country": "Īrija"}]}, {"events": [{"online": None, "country": "Īrija"}]}, []),
]


@pytest.mark.parametrize(("definition", "answers", "kept", "dropped"), CASES)
def test_answers_not_kept_are_listed(definition, answers, kept, dropped):
    result = validate(definition, answers)
    for key, value in kept.items():
        assert result.values[key] == value
    assert [i.path for i in result.not_kept] == dropped
    assert all(i.code == "not_applicable" for i in result.not_kept)
    assert not result.errors


def test_the_note_names_the_question_the_gate_and_the_answers_in_both_languages():
    note = validate(CURRENT, {"gate": "no", "detail": "Granti"}).not_kept[0]
    assert note.lv.startswith("«Programmas apraksts»") and "«Vai ir programma?»" in note.lv
    assert "«Jā»" in note.lv and "«Nē»" in note.lv
    assert note.en.startswith("“Programme description”") and "“Is there a programme?”" in note.en
    assert "“Yes”" in note.en and "“No”" in note.en
    unanswered = validate(CURRENT, {"detail": "Granti"}).not_kept[0]
    assert "nav atbildes" in unanswered.lv and "no answer" in unanswered.en


def test_row_notes_name_the_entry():
    note = validate(CURRENT, {"events": [{"online": "no", "country": "LV"},
                                         {"online": "yes", "country": "Īrija"}]}).not_kept[0]
    assert note.path == "events[1].country"
    assert "Pasākumi, 2. ieraksts — Valsts" in note.lv and "Events, entry 2 — Country" in note.en


def test_only_past_years_treat_an_unanswered_gate_as_not_asked():
    assert all(get_definition(y).gates_may_be_unasked for y in (2022, 2023, 2024))
    assert not any(get_definition(y).gates_may_be_unasked for y in (2025, 2026))
    rows = [{"name": "Starteris", "eligibility": "all_residents"}]
    assert validate(get_definition(2022), {"grant_programmes": rows}).values["grant_programmes"][0]["name"] == \
        "Starteris"
    result = validate(get_definition(2026), {"grant_programmes": rows})
    assert result.values["grant_programmes"] == [] and [i.path for i in result.not_kept] == ["grant_programmes"]


@given(st.sampled_from(["yes", "no", "hard_to_say", None]), st.text(max_size=20))
def test_every_typed_answer_is_either_kept_or_listed(gate, detail):
    for definition in (CURRENT, PAST):
        result = validate(definition, {"gate": gate, "detail": detail})
        kept = result.values["detail"] is not None or any(i.path == "detail" for i in result.errors)
        listed = [i.path for i in result.not_kept] == ["detail"]
        # something was typed (control characters alone are not text: they are dropped, the answer is blank): it is
        # stored, refused with a message, or listed as not kept
        if not is_blank_text(detail):
            assert kept != listed
        else:
            assert not kept and not listed
