"""Between the HTML form and ``forms``: collect raw input, turn typed values into input text and display text.

HTML names: ``f.<key>`` for a question; ``g.<group>.<row>.<key>`` for a cell of a repeating group, with
``g.<group>.<row>._uid`` and ``g.<group>.rows``. Element ids: ``f-<key>`` and ``g-<group>-<row>-<key>``;
an issue's path maps to the id of the input it concerns (:func:`anchor`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any, Mapping

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext as _

from forms import DONT_KNOW, Field, FieldType, ReturnDefinition, Section
from forms.fieldtypes import FIELD_TYPES

_ROW_RE = re.compile(r"^(?P<group>[a-z0-9_]+)\[(?P<row>\d+)\](?:\.(?P<field>[a-z0-9_]+))?$")
MAX_POSTED_ROWS = 60


def anchor(path: str) -> str:
    m = _ROW_RE.match(path)
    if m and m["field"]:
        return f"g-{m['group']}-{m['row']}-{m['field']}"
    if m:
        return f"g-{m['group']}-{m['row']}"
    return f"f-{path}" if path else "main"


def collect_section(section: Section, form: Mapping[str, Any]) -> dict[str, Any]:
    """Raw answers of one section from a posted form (a werkzeug MultiDict).

    Every question is present (an unticked choice is not sent by browsers and means "no answer"); a repeating
    group is present only when the form sent its row counter.
    """
    raw: dict[str, Any] = {}
    for f in section.fields:
        if f.is_group:
            if f"g.{f.key}.rows" in form:  # a post without the group leaves its rows as they are
                raw[f.key] = collect_rows(f, form)
        elif f.type == FieldType.MULTI_CHOICE:
            raw[f.key] = form.getlist(f"f.{f.key}")
        else:
            raw[f.key] = _single(form.getlist(f"f.{f.key}"))
    return raw


def _single(values: list[str]) -> Any:
    """One posted value; a number sent together with the "hard to say" box stays a list for ``forms`` to judge."""
    filled = [v for v in values if v.strip()]
    if len(filled) > 1:
        return filled
    return filled[0] if filled else (values[0] if values else None)


class BadForm(ValueError):
    """The posted form was not produced by our page (a tampered or truncated request): answer 400."""


def collect_rows(group: Field, form: Mapping[str, Any]) -> list[dict[str, Any]]:
    counter = form.get(f"g.{group.key}.rows", "")
    # the page always sends the row count; anything else must not be read as "no rows" (that would delete them)
    if not counter.isdigit() or int(counter) > min(group.max_rows + 1, MAX_POSTED_ROWS):
        raise BadForm(f"g.{group.key}.rows")
    rows = []
    for i in range(int(counter)):
        prefix = f"g.{group.key}.{i}."
        row: dict[str, Any] = {"_uid": form.get(prefix + "_uid") or None}
        for child in group.fields:
            name = prefix + child.key
            row[child.key] = form.getlist(name) if child.type == FieldType.MULTI_CHOICE else _single(form.getlist(name))
        rows.append(row)
    return rows


def input_text(f: Field, value: Any, locale: str) -> str:
    """The text an input shows for a stored value (raw strings from a failed save are shown as typed)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal):
        text = format(value, "f")
        fixed = FIELD_TYPES[f.type].fixed_places  # money: 2 decimals, ",00" left out when typing
        if "." in text and not fixed:
            text = text.rstrip("0").rstrip(".")
        if fixed and text.endswith(".00"):
            text = text[:-3]
        return text.replace(".", ",") if locale == "lv" else text
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def selected_codes(value: Any) -> set[str]:
    if value is None:
        return set()
    if isinstance(value, (list, tuple, set)):
        return {str(v) for v in value}
    return {str(value)}


def display(f: Field, value: Any, locale: str) -> str:
    """A stored value as a person reads it (history, read-only pages, review)."""
    if value is None or value == [] or value == "":
        return "—"
    if value == DONT_KNOW:
        return _("Hard to say")
    spec = FIELD_TYPES[f.type]  # the pattern and unit of a number come from the field-type table
    if spec.column == "code_value":
        choice = f.choice(str(value))
        return choice.label(locale) if choice else str(value)
    if spec.column == "codes":
        labels = []
        for code in value:
            choice = f.choice(code)
            labels.append(choice.label(locale) if choice else str(code))
        return "; ".join(labels)
    if spec.column == "int_value":
        return format_decimal(int(value), locale=locale)
    if spec.column == "num_value":
        text = format_decimal(Decimal(value), format=spec.display_pattern, locale=locale)
        return f"{text} {spec.unit}" if spec.unit else text
    if spec.column == "date_value":
        if isinstance(value, str):
            value = dt.date.fromisoformat(value)
        return format_date(value, format="dd.MM.yyyy" if locale == "lv" else "medium", locale=locale)
    return str(value)


def display_logged(definition: ReturnDefinition, path: str, stored: str | None, locale: str) -> str:
    """A change-log value (canonical JSON text) for the history page."""
    if stored is None:
        return "—"
    value = json.loads(stored)
    f = field_for_path(definition, path)
    if f is None:
        return stored
    if f.is_group:  # a whole row that was removed
        parts = [display(c, _typed(c, value.get(c.key)), locale) for c in f.fields if value.get(c.key) not in (None, [])]
        return ", ".join(parts) or "—"
    return display(f, _typed(f, value), locale)


def _typed(f: Field, value: Any) -> Any:
    if value is None or value == DONT_KNOW:
        return value
    if FIELD_TYPES[f.type].column == "num_value":
        return Decimal(str(value))
    if f.type == FieldType.DATE and isinstance(value, str):
        return dt.date.fromisoformat(value)
    return value


def field_for_path(definition: ReturnDefinition, path: str) -> Field | None:
    m = _ROW_RE.match(path)
    try:
        if m:
            group = definition.field(m["group"])
            return group.child(m["field"]) if m["field"] else group
        return definition.field(path)
    except KeyError:
        return None


def path_label(definition: ReturnDefinition, path: str, locale: str) -> str:
    """``Grant programmes, entry 2 — Name`` for a path."""
    m = _ROW_RE.match(path)
    f = field_for_path(definition, path)
    if f is None:
        return path
    if m:
        group = definition.field(m["group"])
        row = int(m["row"]) + 1
        where = f"{group.label.get(locale)}, " + (f"{row}. ieraksts" if locale == "lv" else f"entry {row}")
        return f"{where} — {f.label.get(locale)}" if m["field"] else where
    return f.label.get(locale)


def without_blank_rows(section: Section, raw: dict[str, Any]) -> dict[str, Any]:
    """Drop rows the user left (or made) entirely empty before validating, so that the row numbers in messages
    and links are the row numbers on the page."""
    out = dict(raw)
    for f in section.fields:
        if f.is_group and isinstance(out.get(f.key), list):
            out[f.key] = [r for r in out[f.key]
                          if any(_filled(v) for k, v in r.items() if k != "_uid")]
    return out


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_filled(v) for v in value)
    return value is not None
