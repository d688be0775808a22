"""Answer codes and their LV/EN labels, read from ``forms`` (the one source of field keys and codes).

Survey questions come from ``SURVEY_QUESTIONS`` (the 2022 codes the reports compare with); other fields, and the
columns of repeating groups, from the newest yearly definition that has them.
"""

from __future__ import annotations

from functools import cache

from forms import DONT_KNOW, available_years, get_definition
from forms.definitions.survey_questions import SURVEY_QUESTIONS
from forms.schema import Choice, Field

_DK_CHOICE = Choice(DONT_KNOW, "Grūti pateikt", "Hard to say")


@cache
def _field(key: str, column: str | None = None) -> Field | None:
    for year in sorted(available_years(), reverse=True):
        definition = get_definition(year)
        if definition.has_field(key):
            found = definition.field(key)
            if column is None:
                return found
            try:
                return found.child(column)
            except KeyError:
                return None
    return None


@cache
def choices(key: str, column: str | None = None) -> tuple[Choice, ...]:
    """The answer options of a field (or a group column), in form order; ``()`` for fields without codes."""
    if column is None and key in SURVEY_QUESTIONS and SURVEY_QUESTIONS[key][1]:
        return SURVEY_QUESTIONS[key][1]
    found = _field(key, column)
    return found.choices if found is not None else ()


def codes(key: str, column: str | None = None, *, with_dont_know: bool = True) -> tuple[str, ...]:
    """Answer codes in form order; "hard to say" last when the field offers it (or ``with_dont_know`` forces it
    for tables that always show the column)."""
    listed = [c.code for c in choices(key, column)]
    substantive = [c for c in listed if c != DONT_KNOW]
    if with_dont_know and (DONT_KNOW in listed or not listed):
        substantive.append(DONT_KNOW)
    return tuple(substantive)


def label(key: str, code: str, locale: str = "lv", column: str | None = None) -> str:
    """The label of one answer code; the code itself when the form does not know it."""
    for choice in choices(key, column) + (_DK_CHOICE,):
        if choice.code == code:
            return choice.label(locale)
    return code


def question(key: str, locale: str = "lv") -> str:
    """The question wording (2022 survey wording for survey keys), or the key when unknown."""
    if key in SURVEY_QUESTIONS:
        text = SURVEY_QUESTIONS[key][0]
        return text.get(locale)
    found = _field(key)
    return found.label.get(locale) if found is not None else key
