"""Parsing of every field type: raw answers (web form strings, Excel cells, typed database values) → typed values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from forms import DONT_KNOW, Condition, Field, FieldType, Text, validate

from .helpers import ABC, check, make_field, mini, one

T = FieldType


# ------------------------------------------------------------------------------------------------- integers

@pytest.mark.parametrize(("raw", "expected"), [
    ("12", 12),
    ("0", 0),
    (" 7 ", 7),
    ("12 500", 12500),  # Latvian thousands separator: a space
    ("12\u00a0500", 12500),  # … or a no-break space (copied from a document)
    ("1\u202f000", 1000),  # narrow no-break space
    ("-2", -2),
    ("−2", -2),  # a typographic minus
    (3, 3),
    (3.0, 3),
    (Decimal("7"), 7),
    (["5", ""], 5),  # a web form sends the number and an empty "hard to say" box
])
def test_integer_valid(raw, expected):
    value, issues = check(make_field(T.INTEGER), raw)
    assert issues == []
    assert value == expected
    assert type(value) is int


@pytest.mark.parametrize("raw", ["12,5", "12,0", "12,000", "1.000", "abc", "1e3", "12.5.1", 3.5, True, False, "1.500,5", "--1", "1 2,3,4",
                                 float("nan"), float("inf"), {"a": 1}, "hard_to_say"])
def test_integer_invalid(raw):
    value, issues = check(make_field(T.INTEGER), raw)
    assert value is None
    assert issues == ["not_integer"]


def test_integer_limits_and_range():
    f = make_field(T.INTEGER, min=0, max=500)
    assert check(f, "-1") == (None, ["below_min"])
    assert check(f, "501") == (None, ["above_max"])
    assert check(f, "500") == (500, [])
    assert check(f, "0") == (0, [])


@pytest.mark.parametrize("raw", [10**12, 10**15, -(10**13), pytest.param(10**5000, id="10**5000"), "1000000000000",
                                 "1 000 000 000 000"])
def test_integer_beyond_any_municipal_count_is_rejected(raw):
    # typed ints and strings are held to the same bound (the database column is NUMERIC(18, 4))
    value, issues = check(make_field(T.INTEGER), raw)
    assert value is None
    assert issues == ["not_integer"]


def test_integer_just_below_the_limit_is_kept():
    assert check(make_field(T.INTEGER), 999_999_999_999) == (999_999_999_999, [])


# ------------------------------------------------------------------------------------------- blank vs zero

@pytest.mark.parametrize("type_", [T.INTEGER, T.DECIMAL, T.MONEY, T.PERCENT, T.SCALE])
def test_blank_is_none_and_zero_is_zero(type_):
    f = make_field(type_)
    for blank in (None, "", "   ", "\t\n", [], ["", " "]):
        assert check(f, blank) == (None, []), blank
    value, issues = check(f, "0")
    assert issues == []
    assert value is not None and value == 0
    value, issues = check(f, 0)
    assert issues == [] and value == 0


def test_blank_required_answer_only_reported_on_submit():
    f = make_field(T.INTEGER, required=True)
    assert check(f, "", submit=False) == (None, [])
    assert check(f, "", submit=True) == (None, ["required_no_dk"])
    assert check(f, "0", submit=True) == (0, [])  # zero is an answer
    with_dk = make_field(T.INTEGER, required=True, allow_dont_know=True)
    assert check(with_dk, None, submit=True) == (None, ["required"])


# ------------------------------------------------------------------------------------- "hard to say" on numbers

@pytest.mark.parametrize("type_", [T.INTEGER, T.DECIMAL, T.MONEY, T.PERCENT, T.SCALE])
def test_allow_dont_know_on_numbers(type_):
    assert check(make_field(type_, allow_dont_know=True), "hard_to_say") == (DONT_KNOW, [])
    assert check(make_field(type_, allow_dont_know=True), " hard_to_say ") == (DONT_KNOW, [])
    value, issues = check(make_field(type_), "hard_to_say")
    assert value is None
    assert issues == ["not_integer" if type_ in (T.INTEGER, T.SCALE) else "not_number"]


def test_number_and_dont_know_together_is_an_error():
    f = make_field(T.MONEY, allow_dont_know=True)
    assert check(f, ["5", "hard_to_say"]) == (None, ["number_and_dont_know"])
    assert check(f, ["", "hard_to_say"]) == (DONT_KNOW, [])
    assert check(f, ["5", ""]) == (Decimal("5.00"), [])
    assert check(f, ["5", "6"]) == (None, ["invalid_value"])


# ------------------------------------------------------------------------------------------------ money (EUR)

@pytest.mark.parametrize(("raw", "expected"), [
    ("12 500,50", "12500.50"),
    ("1500,5", "1500.50"),
    ("1500.5", "1500.50"),
    ("1500", "1500.00"),
    ("0", "0.00"),
    ("0,01", "0.01"),
    (",5", "0.50"),
    ("5,", "5.00"),
    ("€ 100", "100.00"),
    ("100 EUR", "100.00"),
    ("100 eur", "100.00"),
    ("12'500", "12500.00"),
    ("999 999 999 999,99", "999999999999.99"),
    (5, "5.00"),
    (5.5, "5.50"),
    (Decimal("4200"), "4200.00"),
    (Decimal("4200.1"), "4200.10"),
    (Decimal("1E+2"), "100.00"),
])
def test_money_valid_always_two_decimals(raw, expected):
    value, issues = check(make_field(T.MONEY), raw)
    assert issues == []
    assert isinstance(value, Decimal)
    assert str(value) == expected  # exactly two places: 1500,5 is stored as 1500.50
    assert value.as_tuple().exponent == -2


@pytest.mark.parametrize(("raw", "code"), [
    ("1.500,5", "ambiguous_number"),  # a point and a comma: thousands separator or decimal? We do not guess
    ("1,500.5", "ambiguous_number"),
    ("12.500,00", "ambiguous_number"),
    ("12,345", "too_many_decimals"),  # three decimals is not EUR (and maybe meant 12 345)
    ("0,001", "too_many_decimals"),
    (Decimal("1.005"), "too_many_decimals"),
    (0.1 + 0.2, "too_many_decimals"),
    ("-1", "below_min"),  # money is never negative unless the field says so
    ("−0,01", "below_min"),
    ("1000000000000", "not_number"),
    ("1e5", "not_number"),
    ("abc", "not_number"),
    ("12 EUR 50", "not_number"),
    ("hard_to_say", "not_number"),
    (float("nan"), "not_number"),
    (float("inf"), "not_number"),
    (float("-inf"), "not_number"),
    (Decimal("NaN"), "not_number"),
    (True, "not_number"),
    ({"eur": 5}, "not_number"),
])
def test_money_invalid(raw, code):
    assert check(make_field(T.MONEY), raw) == (None, [code])


def test_money_field_min_overrides_default():
    f = make_field(T.MONEY, min=-1000)
    assert check(f, "-10,5") == (Decimal("-10.50"), [])
    assert check(f, "-1000,01") == (None, ["below_min"])


# ---------------------------------------------------------------------------------------- decimal, percent

@pytest.mark.parametrize(("raw", "expected"), [
    ("50", Decimal("50")), ("50%", Decimal("50")), ("50 %", Decimal("50")), ("0", Decimal("0")),
    ("100", Decimal("100")), ("33,33", Decimal("33.33")), ("12.5", Decimal("12.5")),
])
def test_percent_valid(raw, expected):
    value, issues = check(make_field(T.PERCENT), raw)
    assert issues == []
    assert value == expected and isinstance(value, Decimal)


@pytest.mark.parametrize(("raw", "code"), [
    ("100,01", "above_max"), ("150", "above_max"), ("-0,01", "below_min"), ("33,333", "too_many_decimals"),
    ("abc", "not_number"),
])
def test_percent_invalid(raw, code):
    assert check(make_field(T.PERCENT), raw) == (None, [code])


def test_percent_field_may_widen_the_range():
    assert check(make_field(T.PERCENT, max=200), "150") == (Decimal("150"), [])


def test_decimal_four_places_and_field_range():
    f = make_field(T.DECIMAL, min=0, max=1)
    assert check(f, "0,2") == (Decimal("0.2"), [])
    assert check(f, "0,1234") == (Decimal("0.1234"), [])
    assert check(f, "0,12345") == (None, ["too_many_decimals"])
    assert check(f, "1,5") == (None, ["above_max"])
    assert check(f, "-0,1") == (None, ["below_min"])
    assert check(make_field(T.DECIMAL), "-3") == (Decimal("-3"), [])  # no default bounds for plain decimals


def test_too_many_decimals_message_says_how_many():
    result = one(make_field(T.MONEY), "1,005")
    assert "2" in result.issues[0].en and "2" in result.issues[0].lv
    result = one(make_field(T.DECIMAL), "1,00005")
    assert "4" in result.issues[0].en


# ---------------------------------------------------------------------------------------------- choices

@pytest.mark.parametrize(("raw", "expected"), [("yes", "yes"), ("no", "no"), ("hard_to_say", "hard_to_say"),
                                               (" no ", "no"), (["yes"], "yes")])
def test_yes_no_dk_valid(raw, expected):
    assert check(make_field(T.YES_NO_DK), raw) == (expected, [])


@pytest.mark.parametrize("raw", ["Yes", "jā", "maybe", 1, True, 0, {"yes": 1}])
def test_yes_no_dk_invalid(raw):
    assert check(make_field(T.YES_NO_DK), raw) == (None, ["invalid_choice"])


def test_yes_no_dk_gets_its_three_codes():
    f = make_field(T.YES_NO_DK)
    assert [c.code for c in f.choices] == ["yes", "no", "hard_to_say"]
    assert f.choice("no").lv == "Nē" and f.choice("no").en == "No"


def test_single_choice():
    f = make_field(T.SINGLE_CHOICE)
    assert check(f, "a") == ("a", [])
    assert check(f, " b ") == ("b", [])
    assert check(f, ["a"]) == ("a", [])  # one value in a list (some clients send every field as a list)
    assert check(f, "c") == (None, ["invalid_choice"])
    assert check(f, "A") == (None, ["invalid_choice"])
    assert check(f, ["a", "b"]) == (None, ["invalid_value"])
    assert check(f, 1) == (None, ["invalid_choice"])


@pytest.mark.parametrize(("raw", "expected"), [
    (["b", "a"], ["a", "b"]),  # definition order, whatever order the client sent
    ("a", ["a"]),
    (("a",), ["a"]),
    ({"b"}, ["b"]),
    (["a", "a", " b "], ["a", "b"]),
    (["a", ""], ["a"]),
    (["hard_to_say"], ["hard_to_say"]),
])
def test_multi_choice_valid(raw, expected):
    assert check(make_field(T.MULTI_CHOICE), raw) == (expected, [])


@pytest.mark.parametrize(("raw", "code"), [
    (["a", "hard_to_say"], "dont_know_exclusive"),
    (["hard_to_say", "b", "a"], "dont_know_exclusive"),
    (["z"], "invalid_choice"),
    (["a", "z"], "invalid_choice"),
    (["a", 1], "invalid_choice"),
    ({"a": True}, "invalid_choice"),
    (5, "invalid_choice"),
])
def test_multi_choice_invalid(raw, code):
    assert check(make_field(T.MULTI_CHOICE), raw) == (None, [code])


def test_multi_choice_blank():
    assert check(make_field(T.MULTI_CHOICE), []) == (None, [])
    assert check(make_field(T.MULTI_CHOICE, required=True), [" "], submit=True) == (None, ["required"])


# ------------------------------------------------------------------------------------------------- scale

def scale(**kw) -> Field:
    return make_field(T.SCALE, min=0, max=10, **kw)


@pytest.mark.parametrize(("raw", "expected"), [("0", 0), ("10", 10), (" 7 ", 7), (5, 5), (5.0, 5)])
def test_scale_valid(raw, expected):
    assert check(scale(allow_dont_know=True), raw) == (expected, [])


@pytest.mark.parametrize(("raw", "code"), [("11", "above_max"), ("-1", "below_min"), ("5,5", "not_integer"),
                                           ("hard to say", "not_integer"), ("x", "not_integer")])
def test_scale_invalid(raw, code):
    assert check(scale(allow_dont_know=True), raw) == (None, [code])


def test_scale_hard_to_say_only_where_offered():
    assert check(scale(allow_dont_know=True), "hard_to_say") == (DONT_KNOW, [])
    assert check(scale(), "hard_to_say") == (None, ["not_integer"])
    assert check(scale(required=True, allow_dont_know=True), "", submit=True) == (None, ["required"])


# -------------------------------------------------------------------------------------------------- texts

def test_text_collapses_whitespace_and_strips():
    assert check(make_field(T.TEXT), "  Cēsu   novads \n dome\t") == ("Cēsu novads dome", [])
    assert check(make_field(T.TEXT), ["  a  "]) == ("a", [])


def test_text_drops_control_characters_no_spreadsheet_can_hold():
    # pasted from another program; the Excel round trip could not carry them (found by the history round trip)
    assert check(make_field(T.LONG_TEXT), "Mērķis\x06\x17 ir\n\x10") == ("Mērķis ir", [])
    assert check(make_field(T.LONG_TEXT), "a\tb\nc") == ("a\tb\nc", [])  # tab and line ends are text
    assert check(make_field(T.TEXT), "\x10\x1f ") == (None, [])  # nothing but control characters: blank


def test_text_length_limit_default_300_after_collapsing():
    f = make_field(T.TEXT)
    assert check(f, "x" * 300) == ("x" * 300, [])
    assert check(f, "x" * 301) == (None, ["too_long"])
    assert check(f, "a" + " " * 1000 + "b") == ("a b", [])
    result = one(f, "ž" * 301)
    assert "301" in result.issues[0].en and "300" in result.issues[0].en
    assert "301" in result.issues[0].lv and "300" in result.issues[0].lv


def test_text_field_max_length():
    f = make_field(T.TEXT, max_length=5)
    assert check(f, "abcde") == ("abcde", [])
    assert check(f, "abcdef") == (None, ["too_long"])


@pytest.mark.parametrize("raw", [5, 5.5, True, {"a": "b"}, "a\x00b"])
def test_text_rejects_non_text(raw):
    assert check(make_field(T.TEXT), raw) == (None, ["invalid_value"])


def test_long_text_keeps_lines_and_normalises_line_endings():
    f = make_field(T.LONG_TEXT)
    assert check(f, "  Pirmā rinda\r\n\r\n  otrā   rinda  \n") == ("Pirmā rinda\n\n  otrā   rinda", [])
    assert check(f, "x" * 5000)[1] == []
    assert check(f, "x" * 5001) == (None, ["too_long"])


def test_long_text_line_endings_are_normalised_once_and_for_all():
    # a second pass must not change the text again (old Mac "\r" and "\r\r\n" from some exports)
    f = make_field(T.LONG_TEXT)
    first, _ = check(f, "a\r\r\nb\rc")
    second, _ = check(f, first)
    assert first == second
    assert "\r" not in first


@pytest.mark.parametrize("raw", ["https://www.cesis.lv/remigracija", "http://cesis.lv", "HTTPS://WWW.CESIS.LV",
                                 "https://www.cesis.lv/lv/atgriezies?id=5#top"])
def test_url_valid(raw):
    assert check(make_field(T.URL), raw) == (raw, [])


@pytest.mark.parametrize("raw", ["www.cesis.lv", "cesis.lv", "ftp://cesis.lv", "http://localhost", "https://",
                                 "https://a.lv/x y", "javascript:alert(1)", "mailto:a@b.lv"])
def test_url_invalid(raw):
    assert check(make_field(T.URL), raw) == (None, ["invalid_url"])


def test_url_length_limit():
    long_url = "https://cesis.lv/" + "a" * 1984
    assert len(long_url) == 2001
    assert check(make_field(T.URL), long_url) == (None, ["too_long"])
    assert check(make_field(T.URL), long_url[:-1])[1] == []


@pytest.mark.parametrize(("raw", "expected"), [("ilze.berzina@cesis.lv", "ilze.berzina@cesis.lv"),
                                               (" a@b.lv ", "a@b.lv"), ("a+b@sub.example.com", "a+b@sub.example.com")])
def test_email_valid(raw, expected):
    assert check(make_field(T.EMAIL), raw) == (expected, [])


@pytest.mark.parametrize("raw", ["ilze@cesis", "a b@c.lv", "a@b.c", "@cesis.lv", "ilze.cesis.lv", "a@@b.lv",
                                 "a@b.lv."])
def test_email_invalid(raw):
    assert check(make_field(T.EMAIL), raw) == (None, ["invalid_email"])


@pytest.mark.parametrize("raw", ["+371 26 123 456", "26123456", "+37126123456", "(371) 26-123-456", "264.12.345"])
def test_phone_valid(raw):
    assert check(make_field(T.PHONE), raw) == (raw, [])


@pytest.mark.parametrize("raw", ["2612345", "+371 2612 abc", "tel. 26123456", "26123456 ext", "++"])
def test_phone_invalid(raw):
    assert check(make_field(T.PHONE), raw) == (None, ["invalid_phone"])


# --------------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize(("raw", "expected"), [
    ("15.06.2026", dt.date(2026, 6, 15)),
    ("5.6.2026", dt.date(2026, 6, 5)),
    ("15.06.2026.", dt.date(2026, 6, 15)),  # Latvian style may end with a point
    (" 15.06.2026 ", dt.date(2026, 6, 15)),
    ("2026-06-15", dt.date(2026, 6, 15)),
    ("2026-6-5", dt.date(2026, 6, 5)),
    ("01.01.1990", dt.date(1990, 1, 1)),
    ("31.12.2100", dt.date(2100, 12, 31)),
    ("29.02.2024", dt.date(2024, 2, 29)),
    (dt.date(2026, 1, 1), dt.date(2026, 1, 1)),
    (dt.datetime(2026, 1, 1, 23, 59), dt.date(2026, 1, 1)),
])
def test_date_valid(raw, expected):
    value, issues = check(make_field(T.DATE), raw)
    assert issues == []
    assert value == expected and type(value) is dt.date


@pytest.mark.parametrize("raw", ["31.02.2026", "29.02.2025", "2026/06/15", "15.06.26", "15-06-2026", "06/15/2026",
                                 "2026-13-01", "00.01.2026", 20260101, 1.5, "rīt", "15.06.2026 12:00"])
def test_date_invalid(raw):
    assert check(make_field(T.DATE), raw) == (None, ["invalid_date"])


@pytest.mark.parametrize("raw", ["31.12.1989", "01.01.2101", "0001-01-01", dt.date(1900, 1, 1), "01.01.9999"])
def test_date_out_of_range(raw):
    result = one(make_field(T.DATE), raw)
    assert [i.code for i in result.issues] == ["date_out_of_range"]
    assert "01.01.1990" in result.issues[0].lv and "31.12.2100" in result.issues[0].lv
    assert "1990-01-01" in result.issues[0].en and "2100-12-31" in result.issues[0].en


# -------------------------------------------------------------------------------------------------- groups

ROW_FIELDS = (
    Field("name", T.TEXT, Text("Nosaukums", "Name"), required=True),
    Field("amount", T.MONEY, Text("Summa", "Amount")),
    Field("online", T.YES_NO_DK, Text("Tiešsaistē", "Online")),
    Field("country", T.TEXT, Text("Valsts", "Country"), show_if=Condition("online", frozenset({"no"}))),
)


def group(**kw) -> Field:
    kw.setdefault("fields", ROW_FIELDS)
    return make_field(T.GROUP, key="g", label=Text("Aktivitātes", "Activities"), **kw)


def test_group_rows_typed_and_blank_rows_dropped():
    result = one(group(), [{"name": ""}, {"name": " Salidojums ", "amount": "1 500,5"}, {}, {"amount": "  "},
                           {"name": "Nometne", "online": "yes"}])
    assert result.issues == []
    assert result.values["g"] == [
        {"name": "Salidojums", "amount": Decimal("1500.50"), "online": None, "country": None},
        {"name": "Nometne", "amount": None, "online": "yes", "country": None},
    ]


def test_group_issue_paths_use_the_index_after_blank_rows_are_dropped():
    result = one(group(), [{}, {"name": "A", "amount": "x"}])
    assert [(i.path, i.code) for i in result.issues] == [("g[0].amount", "not_number")]
    assert result.values["g"] == [{"name": "A", "amount": None, "online": None, "country": None}]


def test_group_keeps_uid_of_rows():
    result = one(group(), [{"_uid": "r-1", "name": "A"}, {"_uid": "", "name": "B"}, {"_uid": 5, "name": "C"},
                           {"_uid": "r-4"}])
    rows = result.values["g"]
    assert [r.get("_uid") for r in rows] == ["r-1", None, None]  # only non-empty strings; a uid alone is no row
    assert "_uid" not in rows[1]


def test_group_condition_inside_a_row():
    result = one(group(), [{"name": "A", "online": "no", "country": "Īrija"},
                           {"name": "B", "online": "yes", "country": "Īrija"}])
    assert [r["country"] for r in result.values["g"]] == ["Īrija", None]


def test_group_answer_that_does_not_apply_is_not_checked():
    f = group(fields=ROW_FIELDS[:3] + (Field("country", T.URL, Text("Saite", "Link"),
                                             show_if=Condition("online", frozenset({"no"}))),))
    result = one(f, [{"name": "A", "online": "yes", "country": "not a url"}])
    assert result.issues == []
    result = one(f, [{"name": "A", "online": "no", "country": "not a url"}])
    assert [(i.path, i.code) for i in result.issues] == [("g[0].country", "invalid_url")]


def test_group_row_with_only_answers_that_do_not_apply_is_blank():
    # "country" is asked only for non-online activities: a row with nothing else is an empty row, not a record
    result = one(group(), [{"country": "Īrija"}, {"name": "B"}], submit=True)
    assert result.values["g"] == [{"name": "B", "amount": None, "online": None, "country": None}]
    assert result.issues == []


def test_group_min_rows_only_on_submit():
    f = group(min_rows=1)
    assert [(i.path, i.code) for i in one(f, [], submit=True).issues] == [("g", "min_rows")]
    assert [(i.path, i.code) for i in one(f, [{}, {"name": " "}], submit=True).issues] == [("g", "min_rows")]
    draft = one(f, [])
    assert draft.issues == [] and draft.can_save_draft
    assert one(f, [{"name": "A"}], submit=True).issues == []


def test_group_max_rows_also_in_a_draft():
    f = group(max_rows=2)
    assert one(f, [{"name": "A"}, {"name": "B"}]).issues == []
    result = one(f, [{"name": "A"}, {"name": "B"}, {}, {"name": "C"}])
    assert [(i.path, i.code) for i in result.issues] == [("g", "max_rows")]
    assert not result.can_save_draft
    assert "2" in result.issues[0].en


def test_group_required_child_on_submit():
    result = one(group(), [{"amount": "5"}], submit=True)
    assert [(i.path, i.code) for i in result.issues] == [("g[0].name", "required_no_dk")]
    assert one(group(), [{"amount": "5"}]).issues == []


def test_group_rows_as_a_numbered_mapping():
    raw = {"1": {"name": "Otrā"}, "0": {"name": "Pirmā"}, "10": {"name": "Vienpadsmitā"}, "2": {"name": "Trešā"}}
    result = one(group(), raw)
    assert [r["name"] for r in result.values["g"]] == ["Pirmā", "Otrā", "Trešā", "Vienpadsmitā"]


@pytest.mark.parametrize("key", ["²", "٣", "x", pytest.param("9" * 5000, id="9*5000"), "-1"])
def test_group_mapping_with_odd_keys_never_crashes(key):
    result = one(group(), {key: {"name": "A"}, "0": {"name": "B"}})
    assert sorted(r["name"] for r in result.values["g"]) == ["A", "B"]


@pytest.mark.parametrize("raw", ["abc", 5, 5.5, True])
def test_group_not_a_list(raw):
    result = one(group(), raw)
    assert result.values["g"] == []
    assert [(i.path, i.code) for i in result.issues] == [("g", "invalid_value")]


def test_group_ignores_rows_that_are_not_mappings():
    result = one(group(), ["row", 5, None, {"name": "A"}])
    assert result.issues == []
    assert [r["name"] for r in result.values["g"]] == ["A"]


def test_group_none_is_no_rows():
    assert one(group(), None).values["g"] == []


# -------------------------------------------------------------------------------------------- the whole form

def test_unknown_keys_are_ignored_and_every_field_has_a_value():
    d = mini(make_field(T.INTEGER, key="n"), make_field(T.TEXT, key="t"), group())
    result = validate(d, {"n": "3", "nonsense": "x", "__class__": 1})
    assert result.values == {"n": 3, "t": None, "g": []}
    assert result.issues == []


@pytest.mark.parametrize("answers", [None, [], "answers", 5])
def test_answers_that_are_not_a_mapping(answers):
    d = mini(make_field(T.INTEGER, key="n", required=True))
    result = validate(d, answers, submit=True)
    assert result.values == {"n": None}
    assert [(i.path, i.code) for i in result.issues] == [("n", "required_no_dk")]


def test_top_level_condition_with_multi_choice_controller():
    ctrl = make_field(T.MULTI_CHOICE, key="ctrl")
    dep = make_field(T.TEXT, key="dep", show_if=Condition("ctrl", frozenset({"b"})))
    d = mini(ctrl, dep)
    assert validate(d, {"ctrl": ["a", "b"], "dep": "x"}).values["dep"] == "x"
    assert validate(d, {"ctrl": ["a"], "dep": "x"}).values["dep"] is None
    assert validate(d, {"dep": "x"}).values["dep"] is None


def test_parse_is_independent_of_choice_label_language():
    # codes, never labels, are the answers
    f = make_field(T.SINGLE_CHOICE, choices=ABC)
    assert check(f, "Letter A") == (None, ["invalid_choice"])
    assert check(f, "A burts") == (None, ["invalid_choice"])
