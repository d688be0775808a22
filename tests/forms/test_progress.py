"""Section progress, hand-counted on small definitions and on the real ones."""

from __future__ import annotations

from decimal import Decimal

import pytest

from forms import Condition, Field, FieldType, Section, Text, get_definition
from forms.progress import SectionProgress, section_progress
from tests.factories import complete_answers

from .helpers import mini

T = FieldType


def definition():
    """Section a: 2 required (+1 when q1 is yes), 1 optional number; b: a group needing a row; c: nothing required."""
    a = (
        Field("q1", T.YES_NO_DK, Text("J1", "Q1"), required=True),
        Field("q1_detail", T.TEXT, Text("Sīkāk", "Details"), required=True, show_if=Condition("q1", frozenset({"yes"}))),
        Field("n", T.INTEGER, Text("Skaits", "Count"), min=0),
        Field("eur", T.MONEY, Text("Summa", "Amount"), required=True, warn_growth_factor=10),
    )
    b = (Field("g", T.GROUP, Text("Rindas", "Rows"), min_rows=1,
               fields=(Field("name", T.TEXT, Text("Nosaukums", "Name"), required=True),
                       Field("k", T.INTEGER, Text("K", "K"), min=0))),)
    c = (Field("note", T.LONG_TEXT, Text("Piezīme", "Note")),)
    return mini(sections=(Section("a", Text("A", "A"), None, a), Section("b", Text("B", "B"), None, b),
                          Section("c", Text("C", "C"), None, c)))


def table(progress: list[SectionProgress]) -> list[tuple]:
    return [(p.key, p.answered, p.required, p.errors, p.warnings) for p in progress]


def test_empty_return():
    progress = section_progress(definition(), {})
    assert table(progress) == [("a", 0, 2, 0, 0), ("b", 0, 1, 0, 0), ("c", 0, 0, 0, 0)]
    assert [p.percent for p in progress] == [0, 0, 100]
    assert [p.is_complete for p in progress] == [False, False, True]


def test_one_section_complete():
    progress = section_progress(definition(), {"q1": "no", "eur": "0"})
    assert table(progress) == [("a", 2, 2, 0, 0), ("b", 0, 1, 0, 0), ("c", 0, 0, 0, 0)]
    assert progress[0].is_complete and progress[0].percent == 100


def test_conditional_question_counted_only_when_it_applies():
    assert table(section_progress(definition(), {"q1": "yes", "eur": "5"}))[0] == ("a", 2, 3, 0, 0)
    progress = section_progress(definition(), {"q1": "yes", "q1_detail": "Tā", "eur": "5"})
    assert table(progress)[0] == ("a", 3, 3, 0, 0) and progress[0].is_complete
    # an answer to a question that does not apply is neither counted nor checked
    assert table(section_progress(definition(), {"q1": "no", "q1_detail": "x" * 1000, "eur": "5"}))[0] == (
        "a", 2, 2, 0, 0)


def test_percent_rounds():
    assert section_progress(definition(), {"q1": "yes"})[0].percent == 33  # 1 of 3
    assert section_progress(definition(), {"q1": "yes", "eur": "1"})[0].percent == 67  # 2 of 3


def test_errors_counted_and_block_completion():
    progress = section_progress(definition(), {"q1": "no", "eur": "5", "n": "-1"})
    assert table(progress)[0] == ("a", 2, 2, 1, 0)
    assert not progress[0].is_complete and progress[0].percent == 100
    progress = section_progress(definition(), {"q1": "nē", "eur": "1,005", "n": "x"})
    assert table(progress)[0] == ("a", 2, 2, 3, 0)  # a wrong answer is an answer, and an error


def test_group_rows():
    assert table(section_progress(definition(), {"g": [{"name": "A"}]}))[1] == ("b", 1, 1, 0, 0)
    # the second row misses its required name: one more required answer, missing
    assert table(section_progress(definition(), {"g": [{"name": "A", "k": "-2"}, {"k": "x"}]}))[1] == (
        "b", 1, 2, 2, 0)
    assert table(section_progress(definition(), {"g": [{"k": "1"}, {"k": "2"}]}))[1] == ("b", 1, 3, 0, 0)


def test_warnings_counted_but_do_not_block():
    progress = section_progress(definition(), {"q1": "no", "eur": "100"}, previous={"eur": Decimal("10")})
    assert table(progress)[0] == ("a", 2, 2, 0, 1)
    assert progress[0].is_complete


# -------------------------------------------------------------------------------------- real definitions

EMPTY_2026 = {
    "respondent": 3, "attitudes": 8, "planning": 6, "measures": 5, "budget": 2, "business_grants": 1, "jobs": 3,
    "housing": 5, "diaspora": 2, "education": 2, "returnees": 1, "contacts": 4, "cooperation": 3,
    "public_info": 5, "plans": 1,
}


@pytest.mark.parametrize("year", (2025, 2026))
def test_real_definition_empty(year):
    progress = section_progress(get_definition(year), {})
    assert {p.key: p.required for p in progress} == EMPTY_2026
    assert all(p.answered == 0 and p.errors == 0 and p.warnings == 0 for p in progress)
    assert sum(p.required for p in progress) == 51


@pytest.mark.parametrize("year", (2025, 2026))
def test_real_definition_complete(year):
    progress = section_progress(get_definition(year), complete_answers(2026))
    assert all(p.is_complete and p.answered == p.required and p.percent == 100 for p in progress)
    assert {p.key: p.required for p in progress} == EMPTY_2026


def test_real_definition_partial():
    answers = {"respondent_name": "Ilze", "respondent_email": "nav-e-pasta", "tracks_returnee_information": "yes",
               "returnees_persons": 3, "returnees_families": 4, "plans_measures_next_5y": "no"}
    progress = {p.key: p for p in section_progress(get_definition(2026), answers)}
    r = progress["respondent"]
    assert (r.answered, r.required, r.errors) == (2, 3, 1)  # the e-mail is there but wrong; the role is missing
    ret = progress["returnees"]
    assert (ret.answered, ret.required, ret.errors) == (1, 1, 1)  # families > persons
    assert not ret.is_complete
    p = progress["plans"]
    assert (p.answered, p.required) == (1, 2)  # answered "no": the reasons it asks for are one more, missing
    assert not p.is_complete


def test_real_definition_row_missing_a_required_column():
    answers = complete_answers(2026)
    del answers["contact_persons"][0]["position"]
    contacts = {p.key: p for p in section_progress(get_definition(2026), answers)}["contacts"]
    assert (contacts.answered, contacts.required, contacts.errors) == (4, 5, 0)
    assert contacts.percent == 80 and not contacts.is_complete


def test_rule_failure_is_not_attributed_to_a_section():
    d = definition()
    broken = mini(*d.sections[0].fields, rules=(lambda values, previous: [1 / 0],))
    progress = section_progress(broken, {"q1": "no", "eur": "5"})
    assert table(progress) == [("s", 2, 2, 0, 0)]


def test_as_draft_equals_a_draft_validation():
    """The section page validates once (submit mode) and derives the draft view from it: they must agree."""
    from forms import get_definition, validate
    from tests.factories import complete_answers

    definition = get_definition(2026)
    samples = [
        {},
        complete_answers(),
        dict(complete_answers(), inquiry_routing=None, measures_5y_count_other="x",
             contact_persons=[{"name": "A"}], budget_lines=[{"spent_eur": "5"}], plans_measures_next_5y="no"),
    ]
    for answers in samples:
        derived = validate(definition, answers, submit=True).as_draft()
        direct = validate(definition, answers)
        assert [(i.path, i.code) for i in derived.issues] == [(i.path, i.code) for i in direct.issues]
        assert derived.values == direct.values
