"""Small, hand-made definitions for the forms tests (pure: no Flask, no database)."""

from __future__ import annotations

from typing import Any, Iterable, Iterator

from forms import Choice, Field, FieldType, ReturnDefinition, Section, Text, ValidationResult, validate

LV = "Lauka nosaukums"
EN = "Field label"
LABEL = Text(LV, EN)
ABC = (Choice("a", "A burts", "Letter A"), Choice("b", "B burts", "Letter B"), Choice("hard_to_say", "Grūti pateikt",
                                                                                         "Hard to say"))


def make_field(type_: FieldType, key: str = "x", **kw: Any) -> Field:
    if type_ in (FieldType.SINGLE_CHOICE, FieldType.MULTI_CHOICE):
        kw.setdefault("choices", ABC)
    if type_ == FieldType.GROUP:
        kw.setdefault("fields", (Field("name", FieldType.TEXT, Text("Nosaukums", "Name")),))
    kw.setdefault("label", LABEL)
    return Field(key, type_, **kw)


def mini(*fields: Field, sections: Iterable[Section] = (), rules: tuple = (), per_year: frozenset[str] = frozenset()
         ) -> ReturnDefinition:
    """A definition with one section ``s`` holding ``fields`` (plus any extra ``sections``)."""
    all_sections = ((Section("s", Text("Sadaļa", "Section"), None, tuple(fields)),) if fields else ()) + tuple(sections)
    return ReturnDefinition(2000, "test.1", Text("Tests", "Test"), all_sections, rules=rules, per_year=per_year)


def check(f: Field, raw: Any, *, submit: bool = False) -> tuple[Any, list[str]]:
    """Validate ``raw`` as the only answer of a one-field definition: (typed value, issue codes)."""
    result = validate(mini(f), {f.key: raw}, submit=submit)
    return result.values[f.key], [i.code for i in result.issues]


def one(f: Field, raw: Any, *, submit: bool = False) -> ValidationResult:
    return validate(mini(f), {f.key: raw}, submit=submit)


def codes(result: ValidationResult) -> list[tuple[str, str]]:
    return [(i.path, i.code) for i in result.issues]


def all_fields(definition: ReturnDefinition) -> Iterator[tuple[Field | None, Field]]:
    """(group or None, field) for every top-level field and every group child."""
    for f in definition.iter_fields():
        yield None, f
        for child in f.fields:
            yield f, child


def is_blank_text(raw: str) -> bool:
    """What ``forms.validate`` takes for a blank answer: nothing but white space and control characters (which
    are dropped from text: no spreadsheet can hold them)."""
    import re

    return re.sub(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", raw).strip() == ""
