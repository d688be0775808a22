"""Declarative building blocks of a yearly return definition.

A *definition* (one per reporting year) is a tuple of sections; a section is a tuple of fields; a field of type
``group`` has its own fields and repeats (one row per grant programme, activity, contact person…).

Every field has a stable snake_case ``key``: the same key is used in the database, the codebook, the Excel
column and the API. Where the 2022 municipal survey asked the question, the key and the choice codes are the
ones of ``survey-baseline.json`` (``survey_key`` records that link explicitly).

This module is pure: standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable, Iterator


class FieldType(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"  # EUR, two decimals
    PERCENT = "percent"  # 0–100 unless the field says otherwise
    YES_NO_DK = "yes_no_dk"  # codes yes / no / hard_to_say
    SINGLE_CHOICE = "single_choice"
    MULTI_CHOICE = "multi_choice"
    SCALE = "scale"  # integer scale, e.g. 0–10, optionally with "hard to say"
    TEXT = "text"
    LONG_TEXT = "long_text"
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    DATE = "date"
    GROUP = "group"  # repeating group with its own fields


NUMERIC_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.MONEY, FieldType.PERCENT})
CHOICE_TYPES = frozenset({FieldType.YES_NO_DK, FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE})
TEXT_TYPES = frozenset(
    {FieldType.TEXT, FieldType.LONG_TEXT, FieldType.URL, FieldType.EMAIL, FieldType.PHONE}
)

#: The code of the "don't know" answer. The 2022 survey used "grūti pateikt" (hard to say).
DONT_KNOW = "hard_to_say"

_KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Text:
    """A user-facing text in Latvian and English."""

    lv: str
    en: str

    def get(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv


@dataclass(frozen=True)
class Choice:
    code: str
    lv: str
    en: str

    def label(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv


@dataclass(frozen=True)
class Condition:
    """The field applies only when another field's answer is one of ``codes``.

    ``key`` names a field in the same scope (top level, or the same group row).
    """

    key: str
    codes: frozenset[str]

    def holds(self, answers: dict[str, Any]) -> bool:
        value = answers.get(self.key)
        if isinstance(value, (list, tuple, set, frozenset)):
            return any(v in self.codes for v in value)
        return value in self.codes


@dataclass(frozen=True)
class Field:
    key: str
    type: FieldType
    label: Text
    help: Text | None = None
    unit: Text | None = None
    choices: tuple[Choice, ...] = ()
    required: bool = False  # on submit; a draft may leave it empty
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    allow_dont_know: bool = False  # scales and numbers: offer "hard to say"
    show_if: Condition | None = None
    fields: tuple["Field", ...] = ()  # for GROUP
    min_rows: int = 0
    max_rows: int = 50
    survey_key: str | None = None  # the key in survey-baseline.json, when comparable with 2017/2022
    is_personal: bool = False  # personal data: never in research exports
    warn_growth_factor: float | None = None  # warn when the value is this many times last year's

    def __post_init__(self) -> None:
        if not _KEY_RE.match(self.key):
            raise ValueError(f"field key {self.key!r} is not snake_case")
        if self.type in (FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE) and not self.choices:
            raise ValueError(f"choice field {self.key!r} has no choices")
        if self.type == FieldType.GROUP and not self.fields:
            raise ValueError(f"group {self.key!r} has no fields")
        if self.type == FieldType.YES_NO_DK and not self.choices:
            object.__setattr__(self, "choices", YES_NO_DK_CHOICES)
        codes = [c.code for c in self.choices]
        if len(codes) != len(set(codes)):
            raise ValueError(f"field {self.key!r} has duplicate choice codes")

    def choice(self, code: str) -> Choice | None:
        for c in self.choices:
            if c.code == code:
                return c
        return None

    def choice_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.choices)

    @property
    def is_group(self) -> bool:
        return self.type == FieldType.GROUP

    def child(self, key: str) -> "Field":
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


YES_NO_DK_CHOICES = (
    Choice("yes", "Jā", "Yes"),
    Choice("no", "Nē", "No"),
    Choice(DONT_KNOW, "Grūti pateikt", "Hard to say"),
)


@dataclass(frozen=True)
class Section:
    key: str
    title: Text
    intro: Text | None = None
    fields: tuple[Field, ...] = ()

    def __post_init__(self) -> None:
        if not _KEY_RE.match(self.key):
            raise ValueError(f"section key {self.key!r} is not snake_case")


#: A cross-field rule: (answers of the whole return, previous year's answers or None) → issues.
Rule = Callable[[dict[str, Any], "dict[str, Any] | None"], "list[Any]"]


@dataclass(frozen=True)
class ReturnDefinition:
    """The yearly return of one reporting year."""

    year: int
    version: str
    title: Text
    sections: tuple[Section, ...]
    rules: tuple[Rule, ...] = field(default=())
    #: answers that describe the reporting year itself (flows: money spent, people counted, events held);
    #: "start from last year" does not copy them. ``group`` means the whole group, ``group.field`` one column.
    per_year: frozenset[str] = field(default=frozenset())
    #: past years loaded from other sources (e.g. the 2022 survey): a gate question (``show_if``) that has no
    #: answer was not asked then, so the answers it gates are kept rather than dropped as "does not apply"
    gates_may_be_unasked: bool = False

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for section in self.sections:
            for f in section.fields:
                if f.key in seen:
                    raise ValueError(f"duplicate field key {f.key!r} in definition {self.year}")
                seen.add(f.key)
        object.__setattr__(self, "_fields", {f.key: f for s in self.sections for f in s.fields})
        object.__setattr__(
            self, "_section_of", {f.key: s.key for s in self.sections for f in s.fields}
        )

    def field(self, key: str) -> Field:
        return self._fields[key]  # type: ignore[attr-defined]

    def has_field(self, key: str) -> bool:
        return key in self._fields  # type: ignore[attr-defined]

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)

    def section_of(self, field_key: str) -> str:
        """The section key that holds a top-level field (or the group of a ``group[i].field`` path)."""
        return self._section_of[path_root(field_key)]  # type: ignore[attr-defined]

    def iter_fields(self) -> Iterator[Field]:
        for s in self.sections:
            yield from s.fields

    def carries_over(self, key: str, child: str | None = None) -> bool:
        """Whether "start from last year" copies this answer."""
        return key not in self.per_year and (child is None or f"{key}.{child}" not in self.per_year)

    def field_count(self) -> int:
        """Number of answerable items, counting each group's fields once."""
        return sum(len(f.fields) if f.is_group else 1 for f in self.iter_fields())


def path_root(path: str) -> str:
    """``grant_programmes[2].name`` → ``grant_programmes``; ``topicality`` → ``topicality``."""
    return path.split("[", 1)[0].split(".", 1)[0]


def row_path(group_key: str, index: int, field_key: str | None = None) -> str:
    base = f"{group_key}[{index}]"
    return f"{base}.{field_key}" if field_key else base
