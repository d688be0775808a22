"""The one table of field types: complete, and what a type stores comes back as parsing gives it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from forms import Choice, Field, FieldType, Text
from forms.fieldtypes import FIELD_TYPES, Invalid
from forms.validation import parse_value

LABEL = Text("Jautājums", "Question")
CHOICES = (Choice("a", "A", "A"), Choice("b", "B", "B"))
#: a raw answer of each type and its typed value
SAMPLES = {
    FieldType.INTEGER: ("1 200", 1200), FieldType.SCALE: ("7", 7), FieldType.DECIMAL: ("2,50", Decimal("2.50")),
    FieldType.MONEY: ("1500", Decimal("1500.00")), FieldType.PERCENT: ("12,5 %", Decimal("12.5")),
    FieldType.YES_NO_DK: ("a", "a"), FieldType.SINGLE_CHOICE: (" b ", "b"),
    FieldType.MULTI_CHOICE: (["b", "a"], ["a", "b"]),
    FieldType.DATE: ("02.11.2026", dt.date(2026, 11, 2)), FieldType.TEXT: ("  two   words ", "two words"),
    FieldType.LONG_TEXT: ("line\r\nnext", "line\nnext"), FieldType.URL: ("https://cesis.lv", "https://cesis.lv"),
    FieldType.EMAIL: ("a@cesis.lv", "a@cesis.lv"), FieldType.PHONE: ("+371 2000 0000", "+371 2000 0000"),
}


def field(t: FieldType) -> Field:
    return Field("q", t, LABEL, choices=CHOICES if t in (FieldType.YES_NO_DK, FieldType.SINGLE_CHOICE,
                                                          FieldType.MULTI_CHOICE) else ())


def test_every_type_has_one_entry():
    assert set(FIELD_TYPES) == set(FieldType)
    assert all(spec.type == t for t, spec in FIELD_TYPES.items())
    assert set(SAMPLES) == set(FieldType) - {FieldType.GROUP}  # the samples below cover every answer type


@pytest.mark.parametrize("t", sorted(SAMPLES), ids=str)
def test_parse_store_and_read_back(t):
    raw, typed = SAMPLES[t]
    value = parse_value(field(t), raw)
    assert value == typed and type(value) is type(typed)
    spec = FIELD_TYPES[t]
    (column, stored), = spec.encode(value).items()
    assert column == spec.column
    back = spec.decode(Decimal(stored).quantize(Decimal("0.0001")) if column == "num_value" else stored)
    assert back == typed and type(back) is type(typed)  # a NUMERIC(18, 4) column gives 4 places back: not kept
    if column == "num_value":  # money keeps its 2 decimals; other numbers lose trailing zeros
        assert str(back) == ("1500.00" if t == FieldType.MONEY else str(typed.normalize()))


def test_a_group_is_no_single_answer():
    assert FIELD_TYPES[FieldType.GROUP].column is None
    group = Field("g", FieldType.GROUP, LABEL, fields=(field(FieldType.TEXT),))
    with pytest.raises(Invalid):
        FIELD_TYPES[FieldType.GROUP].parse(group, "x")
