"""The variables of one or more yearly return definitions: which columns the research exports have, where they
live (the Data sheet or a group sheet) and what they mean (the Codebook sheet, ``codebook.csv``).

Pure: standard library and ``forms`` only. Personal fields (``Field.is_personal`` in any year) are left out unless
``include_personal``; a group whose fields are all personal has no sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, fields as dataclass_fields
from typing import Mapping

from forms.schema import DONT_KNOW, NUMERIC_TYPES, Field, FieldType, ReturnDefinition, Text

DATA_SHEET = "Data"
#: sheet names the workbook uses besides the group sheets (Excel compares sheet names case-insensitively)
FIXED_SHEETS = ("README", "Codebook", DATA_SHEET, "Indicators", "Charts")
MAX_SHEET_NAME = 31

DATA_ID_COLUMNS: tuple[tuple[str, Text], ...] = (
    ("municipality", Text("Pašvaldības identifikators (slug)", "Municipality identifier (slug)")),
    ("municipality_name", Text("Pašvaldības nosaukums", "Municipality name (Latvian)")),
    ("region", Text("Plānošanas reģiona identifikators", "Planning region identifier")),
    ("region_name", Text("Plānošanas reģions", "Planning region")),
    ("year", Text("Pārskata gads", "Reporting year")),
    ("status", Text("Pārskata statuss", "Status of the return")),
)
GROUP_ID_COLUMNS: tuple[tuple[str, Text], ...] = (
    ("municipality", Text("Pašvaldības identifikators (slug)", "Municipality identifier (slug)")),
    ("year", Text("Pārskata gads", "Reporting year")),
    ("row", Text("Rindas numurs pārskatā (no 1)", "Row number within the return (from 1)")),
    ("row_id", Text("Rindas pastāvīgais identifikators", "Stable identifier of the row")),
)
_DEFAULT_UNITS = {FieldType.MONEY: Text("EUR", "EUR"), FieldType.PERCENT: Text("%", "%")}


@dataclass(frozen=True)
class Variable:
    """One column: the field as the newest definition that has it states it, and the years that ask it."""

    key: str  # the column header: a top-level key, or the child key on a group sheet
    field: Field
    section: str
    years: tuple[int, ...]
    per_year: bool


@dataclass(frozen=True)
class GroupSheet:
    key: str
    sheet: str
    field: Field
    section: str
    years: tuple[int, ...]
    children: tuple[Variable, ...]


@dataclass(frozen=True)
class Layout:
    columns: tuple[Variable, ...]  # the Data sheet's answer columns (after DATA_ID_COLUMNS)
    groups: tuple[GroupSheet, ...]


@dataclass(frozen=True)
class CodebookRow:
    """One line of the codebook (``CODEBOOK_COLUMNS`` order; ``personal`` is never written)."""

    variable: str  # top-level key, or "group.child"
    sheet: str
    section: str
    label_lv: str
    label_en: str
    type: str
    unit_lv: str
    unit_en: str
    codes: str  # "yes = Jā / Yes; no = Nē / No"
    hard_to_say: str
    range: str
    years: str
    survey_key: str
    per_year: str  # "yes" / "no" / "" (identifiers)
    personal: bool = False

    def values(self) -> tuple[str, ...]:
        return tuple(getattr(self, name) for name in CODEBOOK_COLUMNS)


CODEBOOK_COLUMNS = tuple(f.name for f in dataclass_fields(CodebookRow) if f.name != "personal")


def layout(definitions: Mapping[int, ReturnDefinition], *, include_personal: bool = False) -> Layout:
    """Columns of the union of ``definitions``: the newest definition's order, then keys only older years have."""
    newest_first = [definitions[year] for year in sorted(definitions, reverse=True)]
    columns: list[Variable] = []
    groups: list[GroupSheet] = []
    taken = {name.casefold() for name in FIXED_SHEETS}
    for key in _union_keys(newest_first):
        holders = [d for d in newest_first if d.has_field(key)]
        field, section = holders[0].field(key), holders[0].section_of(key)
        if not include_personal and any(d.field(key).is_personal for d in holders):
            continue
        years = tuple(sorted(d.year for d in holders))
        if not field.is_group:
            columns.append(Variable(key, field, section, years, key in holders[0].per_year))
            continue
        children = _children(key, holders, include_personal)
        if children:
            groups.append(GroupSheet(key, _sheet_name(key, taken), field, section, years, children))
    return Layout(tuple(columns), tuple(groups))


def _union_keys(newest_first: list[ReturnDefinition]) -> list[str]:
    seen: dict[str, None] = {}
    for definition in newest_first:
        for f in definition.iter_fields():
            seen.setdefault(f.key, None)
    return list(seen)


def _children(group: str, holders: list[ReturnDefinition], include_personal: bool) -> tuple[Variable, ...]:
    out: dict[str, Variable] = {}
    section = holders[0].section_of(group)
    for definition in holders:
        for child in definition.field(group).fields:
            if child.key in out:
                continue
            owners = [d for d in holders if _child(d, group, child.key) is not None]
            if not include_personal and any(_child(d, group, child.key).is_personal for d in owners):  # type: ignore
                continue
            per_year = group in owners[0].per_year or f"{group}.{child.key}" in owners[0].per_year
            out[child.key] = Variable(child.key, child, section, tuple(sorted(d.year for d in owners)), per_year)
    return tuple(out.values())


def _child(definition: ReturnDefinition, group: str, key: str) -> Field | None:
    for child in definition.field(group).fields:
        if child.key == key:
            return child
    return None


def _sheet_name(key: str, taken: set[str]) -> str:
    """The group key cut to Excel's 31 characters, made unique (case-insensitively) with a "~2", "~3"… suffix."""
    name, number = key[:MAX_SHEET_NAME], 1
    while name.casefold() in taken:
        number += 1
        suffix = f"~{number}"
        name = key[:MAX_SHEET_NAME - len(suffix)] + suffix
    taken.add(name.casefold())
    return name


# ------------------------------------------------------------------------------------------------ codebook

def codebook_rows(definitions: Mapping[int, ReturnDefinition], *, include_personal: bool = False) -> list[CodebookRow]:
    """The codebook: the Data sheet's identifiers and answers, then per group sheet a line for the group, its
    identifiers and its answers (``variable`` = "group.child")."""
    plan = layout(definitions, include_personal=include_personal)
    rows = [_id_row(key, label, DATA_SHEET) for key, label in DATA_ID_COLUMNS]
    rows += [_variable_row(v.key, v, DATA_SHEET) for v in plan.columns]
    for group in plan.groups:
        rows.append(_group_row(group))
        rows += [_id_row(key, label, group.sheet) for key, label in GROUP_ID_COLUMNS]
        rows += [_variable_row(f"{group.key}.{v.key}", v, group.sheet) for v in group.children]
    return rows


def _id_row(key: str, label: Text, sheet: str) -> CodebookRow:
    kind = "integer" if key in ("year", "row") else "text"
    return CodebookRow(key, sheet, "", label.lv, label.en, kind, "", "", "", "", "", "", "", "")


def _group_row(group: GroupSheet) -> CodebookRow:
    f = group.field
    return CodebookRow(
        group.key, group.sheet, group.section, f.label.lv, f.label.en, "group",
        "rindas", "rows", "", "", f"{f.min_rows}–{f.max_rows}", _years(group.years), f.survey_key or "", "",
        f.is_personal,
    )


def _variable_row(name: str, v: Variable, sheet: str) -> CodebookRow:
    f = v.field
    unit = f.unit or _DEFAULT_UNITS.get(f.type) or Text("", "")
    return CodebookRow(
        name, sheet, v.section, f.label.lv, f.label.en, f.type.value, unit.lv, unit.en,
        "; ".join(f"{c.code} = {c.lv} / {c.en}" for c in f.choices), dont_know_text(f), value_range(f),
        _years(v.years), f.survey_key or "", "yes" if v.per_year else "no", f.is_personal,
    )


def dont_know_text(f: Field) -> str:
    """How "hard to say" appears in this column ("" when the question does not offer it)."""
    words = f"{DONT_KNOW} (Grūti pateikt / Hard to say)"
    if f.choice(DONT_KNOW) is not None:
        return f"code {words}"
    if f.allow_dont_know and (f.type in NUMERIC_TYPES or f.type == FieldType.SCALE):
        return f"text {words} in a number column"
    return ""


def value_range(f: Field) -> str:
    low, high = f.min, f.max
    if f.type == FieldType.PERCENT and low is None and high is None:
        low, high = 0, 100
    if low is None and high is None:
        return f"≤ {f.max_length} characters" if f.max_length else ""
    if high is None:
        return f"≥ {_number(low)}"
    if low is None:
        return f"≤ {_number(high)}"
    return f"{_number(low)}–{_number(high)}"


def _number(value: float | None) -> str:
    return str(int(value)) if value is not None and float(value).is_integer() else str(value)


def _years(years: tuple[int, ...]) -> str:
    return ", ".join(str(y) for y in years)
