"""The 2027 form (2027.1): the 2026 layout plus "who can use it" on every kind of measure and an explicit
"publish on the public profile" answer per contact person."""

from __future__ import annotations

from forms import FieldType, get_definition, validate
from tests.factories import answers_2027, complete_answers

NEW_TOP_LEVEL = {
    "job_creation_support_open_to", "specialist_wage_subsidy_open_to", "shortage_profession_programmes_open_to",
    "commuting_subsidy_open_to", "specialist_rental_scheme_open_to", "extra_latvian_lessons_open_to",
    "free_latvian_courses_adults_open_to", "support_offered_to_remigrants_open_to",
}


def _keys(definition) -> set[str]:
    return {f.key for f in definition.iter_fields()}


def test_2027_adds_only_the_public_profile_questions():
    d26, d27 = get_definition(2026), get_definition(2027)
    assert d27.version == "2027.1"
    assert _keys(d27) - _keys(d26) == NEW_TOP_LEVEL
    assert _keys(d26) - _keys(d27) == set()
    assert [f.key for f in d27.field("contact_persons").fields] == [
        "name", "position", "fte_share", "email", "phone", "languages", "publish_on_profile"]
    assert "open_to" in {f.key for f in d27.field("diaspora_activities").fields}
    assert "is_public" in {f.key for f in d26.field("contact_persons").fields}  # 2026.1 is untouched
    assert d26.version == "2026.1" and d26.field_count() == 143
    assert d27.field_count() == 143 + len(NEW_TOP_LEVEL) + 1  # + diaspora_activities.open_to


def test_every_who_question_uses_the_grant_eligibility_codes():
    d27 = get_definition(2027)
    codes = d27.field("grant_programmes").child("eligibility").choice_codes()
    for key in NEW_TOP_LEVEL:
        f = d27.field(key)
        assert f.type == FieldType.SINGLE_CHOICE and f.choice_codes() == codes and not f.required
        assert f.help is not None and "profil" in f.help.lv and "profile" in f.help.en
    assert d27.field("diaspora_activities").child("open_to").choice_codes() == codes


def test_publish_on_profile_is_no_unless_answered_and_says_what_is_published():
    f = get_definition(2027).field("contact_persons").child("publish_on_profile")
    assert f.type == FieldType.SINGLE_CHOICE and f.choice_codes() == {"yes", "no"} and not f.required
    assert not f.is_personal  # the answer itself names nobody
    for words in (("vārds", "amats", "e-pasts", "tālrunis"), ("name", "post", "e-mail", "phone")):
        text = (f.help.lv if words[0] == "vārds" else f.help.en).lower()
        assert all(w in text for w in words), text


def test_who_questions_are_asked_only_when_the_measure_exists():
    answers = {**complete_answers(2027), "job_creation_support": "no", "job_creation_support_open_to": "open_to_all"}
    result = validate(get_definition(2027), answers)
    assert result.values.get("job_creation_support_open_to") is None


def test_complete_2027_answers_validate_and_keep_the_new_answers():
    result = validate(get_definition(2027), answers_2027(), submit=True)
    assert result.errors == []
    assert result.values["extra_latvian_lessons_open_to"] == "remigrants_only"
    assert [r["publish_on_profile"] for r in result.values["contact_persons"]] == ["yes", None]
    assert result.values["diaspora_activities"][0]["open_to"] == "open_to_all"


def test_2027_excel_template_round_trips_the_new_answers():
    from tests.reports.test_excel_template import read, template, typed_answers

    values = typed_answers(2027, **answers_2027())
    for locale in ("lv", "en"):
        upload = read(template(2027, values, locale=locale), 2027)
        assert upload.problems == []
        assert validate(get_definition(2027), upload.raw).values == values
