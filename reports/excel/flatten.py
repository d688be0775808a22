"""One ``ExportUnit`` → its Data row and its group-sheet rows (shared by the workbook and the CSV zip): codes or
labels, multi-choice joined into one text, personal fields left out (see ``codebook.layout``)."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Mapping, Sequence

from forms.schema import DONT_KNOW, Field, FieldType, ReturnDefinition

from .codebook import DATA_ID_COLUMNS, GROUP_ID_COLUMNS, GroupSheet, Layout, layout
from .formats import FORMAT_OF_TYPE
from .model import ExportUnit, WorkbookInfo

Converter = Callable[[Any], Any] | None  # None: the value is written as it is


def _converter(field: Field, info: WorkbookInfo) -> Converter:
    """Typed answer → the value the exports write (codes or labels; multi-choice joined into one text)."""
    if field.type == FieldType.MULTI_CHOICE:
        if info.use_labels:
            labels = {c.code: c.label(info.locale) for c in field.choices}
            return lambda v: "; ".join(labels.get(c, c) for c in _listed(v))
        return lambda v: ";".join(_listed(v))
    if not info.use_labels or not (field.choices or field.allow_dont_know):
        return None
    labels = {c.code: c.label(info.locale) for c in field.choices}
    labels.setdefault(DONT_KNOW, "Hard to say" if info.locale == "en" else "Grūti pateikt")
    return lambda v: labels.get(v, v) if type(v) is str else v


def _listed(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else [str(v) for v in value]


class Flattener:
    """Builds the rows of the Data sheet and the group sheets for one unit at a time (shared by both writers)."""

    def __init__(self, definitions: Mapping[int, ReturnDefinition], info: WorkbookInfo) -> None:
        self.definitions, self.info = definitions, info
        self.plan: Layout = layout(definitions)
        self._years: dict[int, tuple[list[tuple[str, Converter]], list[list[tuple[str, Converter]]]]] = {}

    def data_header(self) -> list[str]:
        return [key for key, _ in DATA_ID_COLUMNS] + [v.key for v in self.plan.columns]

    def data_formats(self) -> list[str | None]:
        return [None] * len(DATA_ID_COLUMNS) + [FORMAT_OF_TYPE.get(v.field.type) for v in self.plan.columns]

    @staticmethod
    def group_header(group: GroupSheet) -> list[str]:
        return [key for key, _ in GROUP_ID_COLUMNS] + [v.key for v in group.children]

    @staticmethod
    def group_formats(group: GroupSheet) -> list[str | None]:
        return [None] * len(GROUP_ID_COLUMNS) + [FORMAT_OF_TYPE.get(v.field.type) for v in group.children]

    def rows(self, unit: ExportUnit) -> tuple[list[Any], list[list[list[Any]]]]:
        """(the Data row, per group sheet in ``plan.groups`` order its rows)."""
        top, groups = self._converters(unit.year)
        values = unit.values
        data: list[Any] = [unit.unit, unit.name, unit.region, unit.region_name, unit.year, unit.status]
        data += _convert(values, top)
        group_rows = []
        for group, children in zip(self.plan.groups, groups):
            answered = values.get(group.key) or ()
            # a row id would follow a person from year to year where the group held personal data
            keep_id = not any(c.is_personal for c in group.field.fields)
            # a row whose every exported cell is empty (it held personal data only) says nothing and would not
            # import back as a row: it is left out, and the rows are numbered without it
            converted = [(row, _convert(row, children)) for row in answered]
            kept = [(row, cells) for row, cells in converted if any(c is not None and c != "" for c in cells)]
            group_rows.append([[unit.unit, unit.year, number, row.get("_uid") if keep_id else None, *cells]
                               for number, (row, cells) in enumerate(kept, 1)])
        return data, group_rows

    def _converters(self, year: int) -> tuple[list[tuple[str, Converter]], list[list[tuple[str, Converter]]]]:
        found = self._years.get(year)
        if found is None:
            definition = self.definitions.get(year)
            top = [(v.key, _converter(_field_in(definition, v.key) or v.field, self.info)) for v in self.plan.columns]
            groups = [[(v.key, _converter(_field_in(definition, g.key, v.key) or v.field, self.info))
                       for v in g.children] for g in self.plan.groups]
            found = self._years[year] = (top, groups)
        return found


def _field_in(definition: ReturnDefinition | None, key: str, child: str | None = None) -> Field | None:
    """The field as the unit's own year defines it (``None`` when that year has no such field)."""
    if definition is None or not definition.has_field(key):
        return None
    field = definition.field(key)
    if child is None:
        return None if field.is_group else field
    return next((f for f in field.fields if f.key == child), None) if field.is_group else None


def _convert(values: Mapping[str, Any], converters: list[tuple[str, Converter]]) -> list[Any]:
    out = []
    for key, convert in converters:
        value = values.get(key)
        out.append(value if value is None or convert is None else convert(value))
    return out


def stream_units(flat: Flattener, units: Iterable[ExportUnit], data: Any, groups: Sequence[Any]) -> None:
    """The one pass over ``units``: each unit's rows go to the Data sink and the group sinks."""
    for unit in units:
        row, group_rows = flat.rows(unit)
        data.append(row)
        for sink, rows in zip(groups, group_rows):
            for group_row in rows:
                sink.append(group_row)

