"""Small constructors that keep the yearly definitions readable."""

from __future__ import annotations

from typing import Any

from ..schema import DONT_KNOW, Choice, Condition, Field, FieldType, Text
from .survey_questions import SURVEY_QUESTIONS

EUR = Text("EUR", "EUR")
PERSONS = Text("personas", "persons")
PCT = Text("%", "%")


def t(lv: str, en: str) -> Text:
    return Text(lv, en)


def when(key: str, *codes: str) -> Condition:
    return Condition(key, frozenset(codes))


def survey(key: str, *, label: Text | None = None, required: bool = True, **kw: Any) -> Field:
    """A question of the 2022 survey, with its key, wording and codes (comparable with 2017/2022)."""
    question, choices = SURVEY_QUESTIONS[key]
    codes = {c.code for c in choices}
    kind = FieldType.YES_NO_DK if codes == {"yes", "no", DONT_KNOW} else FieldType.SINGLE_CHOICE
    if kind == FieldType.YES_NO_DK:
        choices = ()
    return Field(key, kind, label or question, choices=choices, required=required, survey_key=key, **kw)


def survey_multi(key: str, *, extra: tuple[Choice, ...] = (), **kw: Any) -> Field:
    question, choices = SURVEY_QUESTIONS[key]
    return Field(key, FieldType.MULTI_CHOICE, kw.pop("label", question), choices=choices + extra,
                 survey_key=key, **kw)


def yn(key: str, lv: str, en: str, *, required: bool = True, **kw: Any) -> Field:
    return Field(key, FieldType.YES_NO_DK, Text(lv, en), required=required, **kw)


def choice(key: str, lv: str, en: str, choices: tuple[Choice, ...], **kw: Any) -> Field:
    return Field(key, FieldType.SINGLE_CHOICE, Text(lv, en), choices=choices, **kw)


def multi(key: str, lv: str, en: str, choices: tuple[Choice, ...], **kw: Any) -> Field:
    return Field(key, FieldType.MULTI_CHOICE, Text(lv, en), choices=choices, **kw)


def count(key: str, lv: str, en: str, *, unit: Text | None = None, **kw: Any) -> Field:
    """A non-negative whole number; "hard to say" is allowed unless the caller says otherwise."""
    kw.setdefault("allow_dont_know", True)
    kw.setdefault("min", 0)
    return Field(key, FieldType.INTEGER, Text(lv, en), unit=unit, **kw)


def money(key: str, lv: str, en: str, **kw: Any) -> Field:
    kw.setdefault("allow_dont_know", True)
    return Field(key, FieldType.MONEY, Text(lv, en), unit=EUR, **kw)


def percent(key: str, lv: str, en: str, **kw: Any) -> Field:
    return Field(key, FieldType.PERCENT, Text(lv, en), unit=PCT, **kw)


def text(key: str, lv: str, en: str, **kw: Any) -> Field:
    return Field(key, FieldType.TEXT, Text(lv, en), **kw)


def long_text(key: str, lv: str, en: str, **kw: Any) -> Field:
    return Field(key, FieldType.LONG_TEXT, Text(lv, en), **kw)


def url(key: str, lv: str, en: str, **kw: Any) -> Field:
    return Field(key, FieldType.URL, Text(lv, en), **kw)


def url_if_yes(key: str, of: str, lv: str, en: str) -> Field:
    return Field(key, FieldType.URL, Text(lv, en), show_if=when(of, "yes"),
                 help=Text("Tīmekļa adrese, kur tas publicēts.", "The web address where it is published."))


def help_(lv: str, en: str) -> Text:
    return Text(lv, en)
