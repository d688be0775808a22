"""The template's shape, shared by the writer and the reader: sheet names, the words of the interface, one
line per question (and per option of a multi-choice question), sheet titles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from forms import Choice, Field, FieldType, ReturnDefinition, Section


META_SHEET, LISTS_SHEET = "_meta", "_lists"
MAGIC = "remigration-monitor/municipality-template"
# a template is small: a few hundred rows at most (the longest table has 50 rows), well under 1 MiB unpacked
TEMPLATE_MAX_ROWS, TEMPLATE_MAX_COLUMNS, TEMPLATE_MAX_UNCOMPRESSED = 1000, 200, 10 * 1024 * 1024
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_YES = frozenset({"jā", "ja", "yes", "y", "x", "1", "true"})
_NO = frozenset({"nē", "ne", "no", "n", "0", "false"})

_UI: dict[str, tuple[str, str]] = {
    "instructions": ("Norādījumi", "Instructions"),
    "key": ("Kods", "Key"), "question": ("Jautājums", "Question"), "answer": ("Atbilde", "Answer"),
    "notes": ("Piezīmes", "Notes"), "uid": ("ID (nemainīt)", "ID (do not change)"),
    "table": (" (tabula)", " (table)"), "yes": ("Jā", "Yes"), "no": ("Nē", "No"),
    "dk": ("Grūti pateikt", "Hard to say"), "or": (" vai ", " or "),
    "required": ("Obligāta atbilde.", "Required."),
    "dk_allowed": ("Var atbildēt «Grūti pateikt».", "“Hard to say” is allowed."),
    "unit": ("Mērvienība: {}.", "Unit: {}."),
    "only_if": ("Atbildiet tikai tad, ja «{}» ir {}.", "Answer only if “{}” is {}."),
    "see_sheet": ("Aizpildiet lapā «{}».", "Fill in on the sheet “{}”."),
    "pick": ("Izvēlieties no saraksta.", "Choose from the list."),
    "multi": ("Vairākas atbildes: zemāk pie katra atbilstošā varianta izvēlieties «Jā».",
              "Multiple answers: choose “Yes” at each option that applies, below."),
    "multi_cell": ("Vairākas atbildes: atdaliet ar semikolu (;). Varianti: {}.",
                   "Multiple answers: separate them with a semicolon (;). Options: {}."),
    "range": ("No {} līdz {}.", "From {} to {}."), "min": ("Ne mazāk kā {}.", "At least {}."),
    "max": ("Ne vairāk kā {}.", "At most {}."), "max_length": ("Līdz {} rakstzīmēm.", "Up to {} characters."),
    "entry": ("{}, {}. ieraksts", "{}, entry {}"),
}

def ui(name: str, locale: str) -> str:
    return _UI[name][1 if locale == "en" else 0]


# --------------------------------------------------------------------------------------------- layout

@dataclass(frozen=True)
class Line:
    """One row of a section sheet: what column A holds, and what the row is for."""

    key: str
    field: Field
    kind: str  # "field" | "question" (a multi-choice question, answered on the option rows) | "option" | "group"
    choice: Choice | None = None


def section_lines(section: Section) -> list[Line]:
    lines: list[Line] = []
    for f in section.fields:
        if f.is_group:
            lines.append(Line(f.key, f, "group"))
        elif f.type == FieldType.MULTI_CHOICE:
            lines.append(Line(f.key, f, "question"))
            lines.extend(Line(f"{f.key}={c.code}", f, "option", c) for c in f.choices)
        else:
            lines.append(Line(f.key, f, "field"))
    return lines


def sheet_titles(definition: ReturnDefinition, locale: str) -> dict[str, str]:
    """Section key and group key → sheet title (unique, at most 31 characters, no characters Excel refuses)."""
    used = {name.casefold() for name in (META_SHEET, LISTS_SHEET, ui("instructions", locale), "history")}
    titles: dict[str, str] = {}
    for section in definition.sections:
        titles[section.key] = _unique(section.title.get(locale), used)
        for g in (f for f in section.fields if f.is_group):
            label = g.label.get(locale)
            taken = _clean(label).casefold() in used
            titles[g.key] = _unique(label + ui("table", locale) if taken else label, used)
    return titles


def _clean(text: str) -> str:
    return " ".join(_BAD_TITLE.sub(" ", text).split()).strip("'")[:31].strip() or "Sheet"


def _unique(text: str, used: set[str]) -> str:
    base, title, n = _clean(text), _clean(text), 1
    while title.casefold() in used:
        n += 1
        suffix = f" ({n})"
        title = base[:31 - len(suffix)].rstrip() + suffix
    used.add(title.casefold())
    return title
