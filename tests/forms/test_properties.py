"""Property tests: validation never raises, its messages are well formed, and its output is a fixed point."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from forms import DONT_KNOW, Field, FieldType, ReturnDefinition, Severity, ValidationResult, get_definition, validate
from forms.fieldtypes import DATE_MAX, DATE_MIN
from forms.validation import format_number
from tests.factories import complete_answers

from .helpers import all_fields, is_blank_text, mini

T = FieldType
YEARS = (2025, 2026)
DEFINITIONS = {year: get_definition(year) for year in YEARS}
D26 = DEFINITIONS[2026]

PROPERTY = settings(max_examples=200, deadline=None, database=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FEW = settings(PROPERTY, max_examples=100)
PER_FIELD = settings(PROPERTY, max_examples=12)

TOP_KEYS = sorted({f.key for d in DEFINITIONS.values() for f in d.iter_fields()})
CHILD_KEYS = sorted({c.key for d in DEFINITIONS.values() for f in d.iter_fields() for c in f.fields})

# ------------------------------------------------------------------------------------------------ strategies

any_text = st.text(max_size=30)  # all of Unicode but surrogates, NUL included
tricky_text = st.sampled_from([
    "", " ", "\x00", "hard_to_say", "yes", "no", "0", "-0", "1e9", "NaN", "Infinity", "1.500,5", "12 500,50",
    "١٢٣", "²", "𝟙𝟚", "9" * 5000, "\u00a0", "\r\n", "<script>", "31.02.2026", "2026-11-02", "https://x.lv",
    "a@b.lv", "+371 26 123 456", "_uid", "[0]", "grant_programmes[0].name",
])
numbers = st.one_of(
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.just(5000).map(lambda digits: 10**digits),  # more digits than str() converts
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, any_text, tricky_text, st.dates(), st.datetimes())
json_like = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.one_of(st.sampled_from(CHILD_KEYS + ["_uid"]), st.text(max_size=8)), children, max_size=5),
    max_leaves=8,
)
any_key = st.one_of(st.sampled_from(TOP_KEYS), st.sampled_from(CHILD_KEYS), st.text(max_size=12))
any_answers = st.dictionaries(any_key, json_like, max_size=10)


def money_text(value: Decimal) -> str:
    return format_number(value, "lv")


def plausible(f: Field) -> st.SearchStrategy[Any]:
    """Answers a person might give (mostly valid; the rules may still object)."""
    dk = [st.just(DONT_KNOW)] if f.allow_dont_know else []
    t = f.type
    if t in (T.INTEGER, T.SCALE):
        low = int(f.min) if f.min is not None else 0
        high = int(f.max) if f.max is not None else 60
        ints = st.integers(low, high)
        thousands = [] if f.max is not None else [ints.map(lambda n: format_number(n * 1000, "lv"))]
        return st.one_of(ints, ints.map(str), *thousands, *dk)
    if t in (T.MONEY, T.PERCENT, T.DECIMAL):
        places = {T.MONEY: 2, T.PERCENT: 2, T.DECIMAL: 4}[t]
        low = Decimal(str(f.min)) if f.min is not None else Decimal(0)
        high = Decimal(str(f.max)) if f.max is not None else (Decimal(100) if t == T.PERCENT else Decimal(10**7))
        decs = st.decimals(min_value=low, max_value=high, places=places)
        return st.one_of(decs, decs.map(money_text), decs.map(str), *dk)
    if t in (T.YES_NO_DK, T.SINGLE_CHOICE):
        return st.sampled_from([c.code for c in f.choices])
    if t == T.MULTI_CHOICE:
        codes = [c.code for c in f.choices if c.code != DONT_KNOW]
        picks = st.lists(st.sampled_from(codes), max_size=4)
        return st.one_of(picks, st.just([DONT_KNOW])) if DONT_KNOW in f.choice_codes() else picks
    if t in (T.TEXT, T.LONG_TEXT):
        alphabet = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
        return st.text(alphabet, max_size=40)
    if t == T.URL:
        return st.from_regex(r"https?://(www\.)?[a-z]{1,10}\.lv(/[a-z0-9-]{0,12})?", fullmatch=True)
    if t == T.EMAIL:
        return st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8})?@[a-z]{1,8}\.(lv|com)", fullmatch=True)
    if t == T.PHONE:
        return st.from_regex(r"\+371 [0-9]{2} [0-9]{3} [0-9]{3}", fullmatch=True)
    if t == T.DATE:
        dates = st.dates(DATE_MIN, DATE_MAX)
        return st.one_of(dates, dates.map(lambda d: d.strftime("%d.%m.%Y")), dates.map(dt.date.isoformat))
    if t == T.GROUP:
        row = st.fixed_dictionaries({}, optional={c.key: plausible(c) for c in f.fields} | {
            "_uid": st.text(min_size=1, max_size=8)})
        return st.lists(row, max_size=3)
    raise AssertionError(t)


@st.composite
def answers_for(draw, definition: ReturnDefinition, garbage: bool) -> dict[str, Any]:
    fields = list(definition.iter_fields())
    chosen = draw(st.lists(st.sampled_from(fields), max_size=20, unique_by=lambda f: f.key))
    out: dict[str, Any] = {}
    for f in chosen:
        value = plausible(f)
        out[f.key] = draw(st.one_of(value, json_like) if garbage else value)
    if garbage:
        out.update(draw(st.dictionaries(st.text(max_size=10), json_like, max_size=3)))
    return out


typed_previous = st.one_of(
    st.none(),
    st.dictionaries(
        st.sampled_from(TOP_KEYS),
        st.one_of(st.none(), st.integers(-5, 10**6), st.decimals(allow_nan=True, allow_infinity=True),
                  st.just(DONT_KNOW), st.lists(st.dictionaries(st.sampled_from(CHILD_KEYS), st.one_of(
                      st.none(), st.decimals(allow_nan=True, allow_infinity=True), st.integers(-5, 10**6)),
                      max_size=3), max_size=3)),
        max_size=8),
)

# --------------------------------------------------------------------------------------------------- checks

_PATH = re.compile(r"^(?P<root>[a-z][a-z0-9_]*)(\[(?P<row>[0-9]+)\](\.(?P<child>[a-z][a-z0-9_]*))?)?$")


def check_issues(d: ReturnDefinition, result: ValidationResult, *, odd_previous: bool = False) -> None:
    """Well-formed issues; no rule fails on typed answers (only a malformed last year may make one fail)."""
    assert isinstance(result, ValidationResult)
    assert set(result.values) == {f.key for f in d.iter_fields()}
    for issue in result.issues:
        assert isinstance(issue.lv, str) and issue.lv.strip(), issue
        assert isinstance(issue.en, str) and issue.en.strip(), issue
        assert issue.code and issue.severity in (Severity.ERROR, Severity.WARNING)
        if issue.path == "":
            assert issue.code == "rule_failed" and odd_previous, issue.en
            continue
        m = _PATH.match(issue.path)
        assert m, issue.path
        f = d.field(m["root"])  # KeyError if the path names no field
        named = f
        if m["row"] is not None:
            assert f.is_group, issue.path
            row = int(m["row"])
            assert row < len(result.values[f.key]), issue.path
            # the message names the group and the entry…
            assert f.label.lv in issue.lv and f.label.en in issue.en, issue
            assert f"{row + 1}. ieraksts" in issue.lv and f"entry {row + 1}" in issue.en, issue
            if m["child"]:
                named = f.child(m["child"])
        # …and the field, in the language of the message
        assert named.label.lv in issue.lv and named.label.en in issue.en, issue
    assert len({(i.path, i.code) for i in result.issues}) == len(result.issues)
    assert result.errors + result.warnings == result.issues  # errors first


def fingerprint(values: dict[str, Any]) -> str:
    """A strict comparison: equal values of another type (Decimal 5 vs int 5, "5.0" vs "5.00") differ."""
    return repr(values)


# ----------------------------------------------------------------------------------------------- properties

@PROPERTY
@example(answers={"budget_lines": {"²": {"source": "varam"}, "9" * 5000: {}}}, submit=False, year=2026)
@example(answers={"tracks_returnee_information": "yes", "returnees_persons": 1, "returnees_families": 10**30,
                  "returnees_children": 10**5000}, submit=True, year=2026)
@example(answers={"grant_programmes": [{"total_fund_eur": float("nan"), "applications_received": [5, None]}],
                  "has_business_grants": ["yes"], "contact_persons": {"0": {"_uid": None, "email": ["a@b.lv"]}}},
         submit=True, year=2025)
@given(answers=any_answers, submit=st.booleans(), year=st.sampled_from(YEARS))
def test_any_mapping_validates_without_raising(answers, submit, year):
    d = DEFINITIONS[year]
    result = validate(d, answers, submit=submit)
    check_issues(d, result)


@FEW
@given(answers=json_like, submit=st.booleans())
def test_anything_at_all_validates_without_raising(answers, submit):
    check_issues(D26, validate(D26, answers, submit=submit))


def year_and_answers(garbage: bool) -> st.SearchStrategy[tuple[int, dict[str, Any]]]:
    return st.sampled_from(YEARS).flatmap(lambda y: st.tuples(st.just(y), answers_for(DEFINITIONS[y], garbage)))


@PROPERTY
@example(case=(2026, {"joint_activities": "a\r\r\nb", "diaspora_activities": [{"country": "Īrija"}]}),
         submit=False, previous=None)
@given(case=year_and_answers(garbage=True), submit=st.booleans(), previous=typed_previous)
def test_plausible_and_garbage_answers(case, submit, previous):
    year, answers = case
    d = DEFINITIONS[year]
    result = validate(d, answers, submit=submit, previous=previous)
    check_issues(d, result, odd_previous=previous is not None)
    again = validate(d, result.values, submit=submit, previous=previous)
    # a scalar answer that was kept stays the same; one that was refused is None
    for f in d.iter_fields():
        if not f.is_group:
            assert fingerprint({f.key: again.values[f.key]}) == fingerprint({f.key: result.values[f.key]})
    if result.can_save_draft:
        assert fingerprint(again.values) == fingerprint(result.values)
        assert again.can_save_draft


@PROPERTY
@example(case=(2026, {"diaspora_activities": [{"country": "Īrija", "_uid": "r1"}, {"activity_type": "camp"}]}),
         submit=False)
@example(case=(2025, {"support_offered_to_remigrants": " Konsultācijas\r\r\nun\rpabalsts "}), submit=True)
@given(case=year_and_answers(garbage=False), submit=st.booleans())
def test_typed_values_are_a_fixed_point(case, submit):
    year, answers = case
    d = DEFINITIONS[year]
    result = validate(d, answers, submit=submit)
    assume(result.can_save_draft)
    again = validate(d, result.values, submit=submit)
    assert fingerprint(again.values) == fingerprint(result.values)
    assert [(i.path, i.code) for i in again.issues] == [(i.path, i.code) for i in result.issues]


def test_complete_answers_are_a_fixed_point():
    first = validate(D26, complete_answers(2026), submit=True)
    again = validate(D26, first.values, submit=True)
    assert again.issues == []
    assert fingerprint(again.values) == fingerprint(first.values)
    assert first.values["budget_lines"][0]["spent_eur"] == Decimal("4200.00")
    assert first.values["contacts_confirmed_on"] == dt.date(2026, 11, 2)


# ------------------------------------------------------------------------------------------ per-field parsing

FIELDS = [dataclasses.replace(f, show_if=None, key="x", warn_growth_factor=None)
          for _, f in all_fields(D26) if not f.is_group]
LIMITS = {T.TEXT: 300, T.LONG_TEXT: 5000, T.URL: 2000, T.EMAIL: 254, T.PHONE: 40}


def assert_typed(f: Field, value: Any) -> None:
    t = f.type
    if value == DONT_KNOW and isinstance(value, str) and t in (T.INTEGER, T.SCALE, T.MONEY, T.PERCENT, T.DECIMAL):
        assert f.allow_dont_know
        return
    if t in (T.INTEGER, T.SCALE):
        assert type(value) is int and abs(value) < 10**12
    elif t in (T.MONEY, T.PERCENT, T.DECIMAL):
        assert isinstance(value, Decimal) and value.is_finite() and abs(value) < 10**12
        exponent = value.as_tuple().exponent
        assert exponent == -2 if t == T.MONEY else exponent >= {T.PERCENT: -2, T.DECIMAL: -4}[t]
    elif t in (T.YES_NO_DK, T.SINGLE_CHOICE):
        assert value in f.choice_codes()
        return
    elif t == T.MULTI_CHOICE:
        order = [c.code for c in f.choices]
        assert isinstance(value, list) and value and value == [c for c in order if c in value]
        assert DONT_KNOW not in value or value == [DONT_KNOW]
        return
    elif t == T.DATE:
        assert type(value) is dt.date and DATE_MIN <= value <= DATE_MAX
        return
    else:
        assert isinstance(value, str) and value and value == value.strip()
        assert "\x00" not in value and "\r" not in value
        assert len(value) <= (f.max_length or LIMITS[t])
        if t != T.LONG_TEXT:
            assert "\n" not in value and "  " not in value
        if t == T.URL:
            assert value.lower().startswith(("http://", "https://"))
        if t == T.EMAIL:
            assert value.count("@") == 1
        if t == T.PHONE:
            assert sum(ch.isdigit() for ch in value) >= 8
        return
    low = f.min if f.min is not None else (0 if t in (T.MONEY, T.PERCENT) else None)
    high = f.max if f.max is not None else (100 if t == T.PERCENT else None)
    assert low is None or value >= Decimal(str(low))
    assert high is None or value <= Decimal(str(high))


def field_strings(f: Field) -> st.SearchStrategy[str]:
    extra = [st.sampled_from([c.code for c in f.choices])] if f.choices else []
    return st.one_of(
        st.text(max_size=40), tricky_text, *extra,
        st.from_regex(r"[ -]?[0-9]{0,13}([ .,'][0-9]{0,5}){0,3}( ?(%|EUR|€))?", fullmatch=True),
        st.from_regex(r"[0-9]{1,2}\.[0-9]{1,2}\.[0-9]{4}\.?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", fullmatch=True),
        plausible(f).map(lambda v: v if isinstance(v, str) else str(v)) if f.type != T.MULTI_CHOICE else st.just(""),
    )


@PROPERTY
@given(data=st.data(), f=st.sampled_from(FIELDS))
def test_any_string_gives_a_typed_value_or_an_issue(data, f):
    raw = data.draw(field_strings(f))
    result = validate(mini(f), {"x": raw})
    value = result.values["x"]
    if is_blank_text(raw):
        assert value is None and result.issues == []
    elif result.issues:
        assert value is None
        assert [i.path for i in result.issues] == ["x"] and len(result.issues) == 1
        assert result.issues[0].severity == Severity.ERROR and not result.can_save_draft
    else:
        assert value is not None
        assert_typed(f, value)


@pytest.mark.parametrize("f", FIELDS, ids=lambda f: f"{f.type.value}:{f.label.en[:30]}")
def test_every_field_parses_its_plausible_answers(f):
    @PER_FIELD
    @given(raw=plausible(f))
    def run(raw):
        result = validate(mini(f), {"x": raw})
        assert result.issues == [], (raw, [i.en for i in result.issues])
        if result.values["x"] is not None:
            assert_typed(f, result.values["x"])

    run()


# -------------------------------------------------------------------------------------------- round trips

@PROPERTY
@given(value=st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_money_in_latvian_notation_round_trips(value):
    f = Field("x", T.MONEY, D26.field("ngo_grants_total_eur").label)
    for text in (format_number(value, "lv"), format_number(value, "lv").replace("\u00a0", " "), str(value)):
        result = validate(mini(f), {"x": text})
        assert result.issues == [], text
        assert result.values["x"] == value and str(result.values["x"]) == str(value.quantize(Decimal("0.01")))


@PROPERTY
@given(value=st.integers(min_value=0, max_value=10**12 - 1))
def test_integers_with_thousands_separators_round_trip(value):
    f = Field("x", T.INTEGER, D26.field("returnees_persons").label, min=0)
    for raw in (format_number(value, "lv"), str(value), value):
        assert validate(mini(f), {"x": raw}).values["x"] == value


@PROPERTY
@given(day=st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_dates_in_both_notations(day):
    f = Field("x", T.DATE, D26.field("contacts_confirmed_on").label)
    for raw in (day.strftime("%d.%m.") + f"{day.year:04d}", f"{day.year:04d}-{day.month:02d}-{day.day:02d}", day):
        result = validate(mini(f), {"x": raw})
        if DATE_MIN <= day <= DATE_MAX:
            assert result.values["x"] == day and result.issues == []
        else:
            assert result.values["x"] is None
            assert [i.code for i in result.issues] == ["date_out_of_range"]


# -------------------------------------------------------------------------------------- last year's answers

GROWTH_KEYS = [f.key for f in D26.iter_fields() if f.warn_growth_factor]
previous_numbers = st.one_of(st.none(), st.just(DONT_KNOW), st.integers(-10, 10**15),
                             st.decimals(allow_nan=True, allow_infinity=True), st.floats(), any_text)


@PROPERTY
@example(now=[Decimal(5)] * 4, before=[Decimal("NaN"), Decimal("sNaN"), Decimal("1E-30"), Decimal("-Infinity")],
         spent=[Decimal("NaN"), Decimal("1E-40")], submit=False)
@given(now=st.lists(st.decimals(min_value=0, max_value=10**9, places=2), min_size=4, max_size=4),
       before=st.lists(previous_numbers, min_size=4, max_size=4),
       spent=st.lists(previous_numbers, max_size=3), submit=st.booleans())
def test_any_previous_year_never_raises(now, before, spent, submit):
    """Last year's answers come from the database: odd stored numbers give no warning, and never an exception."""
    answers = dict(zip(GROWTH_KEYS, now))
    answers["budget_lines"] = [{"source": "own_budget", "spent_eur": now[0]}]
    previous = dict(zip(GROWTH_KEYS, before))
    previous["budget_lines"] = [{"spent_eur": s} for s in spent]
    result = validate(D26, answers, submit=submit, previous=previous)
    check_issues(D26, result)
    assert result.errors == [] or submit  # warnings only (a draft asks for nothing else here)
    assert all(i.code in ("growth", "growth_spent_eur") for i in result.warnings)
    for issue in result.warnings:
        key = issue.path
        assert key in GROWTH_KEYS + ["budget_lines"]
