"""Pure validation of yearly-return answers.

``validate(definition, answers, submit=..., previous=...)`` takes answers as they come from anywhere (raw
strings from the web form or an Excel cell, or already typed values from the database), and returns the typed
values plus a list of issues. It never raises for bad input: any input either validates or yields messages.

Typed values:
- integer → ``int``; decimal, money, percent → ``Decimal``; date → ``datetime.date``
- yes/no/don't know and single choice → the choice code; multi choice → list of codes in definition order
- scale → ``int``, or ``DONT_KNOW`` where offered; numbers with ``allow_dont_know`` may also be ``DONT_KNOW``
- text types → stripped ``str`` without control characters (tab and line ends kept); a blank answer → ``None``
- group → list of row dicts (rows that are entirely blank are dropped)
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Iterable, Mapping

from .fieldtypes import FIELD_TYPES, Invalid, is_blank
from .messages import render
from .schema import DONT_KNOW, Field, FieldType, ReturnDefinition, row_path


class Severity(StrEnum):
    ERROR = "error"  # blocks submission (and saving, unless it is only a missing answer)
    WARNING = "warning"  # does not block; asks for a comment


@dataclass(frozen=True)
class Issue:
    path: str  # "field_key", "group_key[2].field_key", or "group_key" for the group as a whole
    code: str
    severity: Severity
    lv: str
    en: str

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv

    @property
    def blocks_draft(self) -> bool:
        """Missing answers are fine in a draft; wrong ones are not saved."""
        return self.severity == Severity.ERROR and not self.is_missing_answer

    @property
    def is_missing_answer(self) -> bool:
        """Something still to be filled in (not something wrong): reported on submission only."""
        return is_missing_answer(self.code)


#: issue codes that mean "still to be answered"; rules that ask for an answer use ``needs_<field>`` too
DRAFT_TOLERATED = frozenset({"required", "required_no_dk", "min_rows", "one_of_required"})


def is_missing_answer(code: str) -> bool:
    return code in DRAFT_TOLERATED or code.startswith("needs_")


@dataclass
class ValidationResult:
    values: dict[str, Any]
    issues: list[Issue] = field(default_factory=list)
    #: answers the input carried that are not in ``values`` because their question does not apply (its gate
    #: question has another answer): code ``not_applicable``, never an error — callers that must not lose input
    #: silently (uploads, imports) list them
    not_kept: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == Severity.WARNING]

    @property
    def can_save_draft(self) -> bool:
        return not any(i.blocks_draft for i in self.issues)

    @property
    def can_submit(self) -> bool:
        return not self.errors

    def as_draft(self) -> "ValidationResult":
        """The same result as a draft validation would give: without the answers still to be filled in."""
        return ValidationResult(values=self.values, issues=[i for i in self.issues if not i.is_missing_answer],
                                not_kept=self.not_kept)

    def for_path(self, path: str) -> list[Issue]:
        return [i for i in self.issues if i.path == path]


# --------------------------------------------------------------------------------------------------- parsing

def parse_value(f: Field, raw: Any) -> Any:
    """Parse one answer of a non-group field. Returns the typed value, or ``None`` for a blank answer.

    Raises ``forms.fieldtypes.Invalid`` for bad input; use :func:`validate` for messages. The steps every
    type shares are here (blank, one value of a list, "hard to say"); the rest is the type's ``parse``.
    """
    if is_blank(raw):
        return None
    t = f.type
    if t != FieldType.MULTI_CHOICE and isinstance(raw, (list, tuple)):
        # a web form may send a number together with the "hard to say" box
        filled = [r for r in raw if not is_blank(r)]
        if len(filled) > 1 and any(isinstance(r, str) and r.strip() == DONT_KNOW for r in filled):
            raise Invalid("number_and_dont_know")
        if len(filled) != 1:
            raise Invalid("invalid_value")
        raw = filled[0]
    if f.allow_dont_know and isinstance(raw, str) and raw.strip() == DONT_KNOW:
        return DONT_KNOW
    return FIELD_TYPES[t].parse(f, raw)


# ------------------------------------------------------------------------------------------------ messages

def format_number(value: Any, locale: str) -> str:
    """Plain, locale-aware number text for messages (forms is stdlib-only, so no Babel here)."""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y") if locale == "lv" else value.isoformat()
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        dec = Decimal(str(value))
        sign = "-" if dec < 0 else ""
        dec = abs(dec)
        whole = int(dec)
        frac = dec - whole
        text = f"{whole:,}".replace(",", "\u00a0" if locale == "lv" else ",")
        if frac:
            digits = format(frac.normalize(), "f").split(".", 1)[1]
            text += ("," if locale == "lv" else ".") + digits
        return sign + text
    return str(value)


def field_caption(f: Field, locale: str, row: tuple[Field, int] | None = None) -> str:
    """The label a message uses: ``Group, row 2 — Field`` for group rows."""
    label = f.label.get(locale)
    if row is None:
        return label
    group, index = row
    word = "ieraksts" if locale == "lv" else "entry"
    return f"{group.label.get(locale)}, {index + 1}. {word} — {label}" if locale == "lv" else (
        f"{group.label.get(locale)}, {word} {index + 1} — {label}")


def make_issue(
    path: str,
    code: str,
    f: Field,
    *,
    row: tuple[Field, int] | None = None,
    severity: Severity = Severity.ERROR,
    **values: Any,
) -> Issue:
    by_locale = {}
    for loc in ("lv", "en"):
        shown = {k: format_number(v, loc) for k, v in values.items()}
        by_locale[loc] = {"field": field_caption(f, loc, row), **shown}
    lv, en = render(code, by_locale)
    return Issue(path=path, code=code, severity=severity, lv=lv, en=en)


def custom_issue(path: str, code: str, lv: str, en: str, severity: Severity = Severity.ERROR) -> Issue:
    """An issue from a cross-field rule, with its own wording (the rule names the fields)."""
    return Issue(path=path, code=code, severity=severity, lv=lv, en=en)


# ---------------------------------------------------------------------------------------------- validation

def _applies(f: Field, scope: Mapping[str, Any], unasked_gates: bool = False) -> bool:
    """Whether ``f`` applies given the (typed) answers of its scope. With ``unasked_gates`` (past years'
    definitions) a gate without an answer was not asked, so what it gates applies."""
    if f.show_if is None:
        return True
    if unasked_gates and is_blank(scope.get(f.show_if.key)):
        return True
    return f.show_if.holds(dict(scope))


def _has_value(value: Any) -> bool:
    return value is not None and value != []


def _not_kept_issue(path: str, f: Field, gate: Field, given: Any, row: tuple[Field, int] | None) -> Issue:
    """``not_applicable``: the answer to ``f`` is dropped because ``gate`` (answered ``given``) rules it out."""
    assert f.show_if is not None
    by_locale = {}
    for loc in ("lv", "en"):
        def word(code: Any) -> str:
            if code is None:
                return "nav atbildes" if loc == "lv" else "no answer"
            choice = gate.choice(code) if isinstance(code, str) else None
            return f"«{choice.label(loc)}»" if loc == "lv" and choice else (
                f"“{choice.label(loc)}”" if choice else str(code))
        wanted = [c.code for c in gate.choices if c.code in f.show_if.codes] or sorted(f.show_if.codes)
        given_codes = given if isinstance(given, list) else [given]
        by_locale[loc] = {"field": field_caption(f, loc, row), "gate": gate.label.get(loc),
                          "codes": (" vai " if loc == "lv" else " or ").join(word(c) for c in wanted),
                          "given": ", ".join(word(c) for c in given_codes)}
    lv, en = render("not_applicable", by_locale)
    return Issue(path=path, code="not_applicable", severity=Severity.WARNING, lv=lv, en=en)


def _validate_scalar(
    f: Field, raw: Any, path: str, submit: bool, issues: list[Issue], row: tuple[Field, int] | None
) -> Any:
    try:
        value = parse_value(f, raw)
    except Invalid as bad:
        issues.append(make_issue(path, bad.code, f, row=row, **bad.values))
        return None
    except Exception:  # noqa: BLE001 - the contract is "never raise for input"; report it at the field
        issues.append(make_issue(path, "invalid_value", f, row=row))
        return None
    if value is None and f.required and submit:
        dk = f.allow_dont_know or DONT_KNOW in f.choice_codes()
        issues.append(make_issue(path, "required" if dk else "required_no_dk", f, row=row))
    return value


def _row_number(key: Any) -> int:
    """The position of a row sent as ``{"0": {...}, "1": {...}}``; keys that are not numbers sort first."""
    text = str(key)
    if not text.isdecimal():  # not isdigit(): "²" is a digit that int() refuses
        return 0
    try:
        return int(text)
    except ValueError:  # more digits than int() converts
        return 0


def _as_rows(raw: Any) -> list[Mapping[str, Any]]:
    if raw is None:
        return []
    if isinstance(raw, Mapping):  # {"0": {...}, "1": {...}} from some clients
        raw = [raw[k] for k in sorted(raw, key=_row_number)]
    if not isinstance(raw, (list, tuple)):
        raise Invalid("invalid_value")
    return [r for r in raw if isinstance(r, Mapping)]


def _validate_group(
    g: Field, raw: Any, submit: bool, issues: list[Issue], not_kept: list[Issue] | None = None,
    unasked_gates: bool = False,
) -> list[dict[str, Any]]:
    try:
        rows = _as_rows(raw)
    except Invalid:
        issues.append(make_issue(g.key, "invalid_value", g))
        return []
    typed_rows: list[dict[str, Any]] = []
    for raw_row in rows:
        if all(is_blank(raw_row.get(c.key)) for c in g.fields):
            continue  # an empty row left over from "add a row"
        index = len(typed_rows)
        # parse first (conditions inside the row look at typed values), then drop what does not apply
        typed: dict[str, Any] = {}
        row_issues: list[Issue] = []
        for child in g.fields:
            typed[child.key] = _validate_scalar(
                child, raw_row.get(child.key), row_path(g.key, index, child.key), submit, row_issues, (g, index)
            )
        applying = {child.key for child in g.fields if _applies(child, typed, unasked_gates)}
        if not_kept is not None:  # answers typed into questions that do not apply in this row
            for child in g.fields:
                if child.key in applying or is_blank(raw_row.get(child.key)):
                    continue
                assert child.show_if is not None
                not_kept.append(_not_kept_issue(row_path(g.key, index, child.key), child,
                                                g.child(child.show_if.key), typed.get(child.show_if.key), (g, index)))
        if all(is_blank(raw_row.get(key)) for key in applying):
            continue  # only answers to questions that do not apply: an empty row too
        for child in g.fields:
            if child.key not in applying:
                typed[child.key] = None
                row_issues = [i for i in row_issues if i.path != row_path(g.key, index, child.key)]
        issues.extend(row_issues)
        uid = raw_row.get("_uid")
        if isinstance(uid, str) and uid:
            typed["_uid"] = uid
        typed_rows.append(typed)
    if submit and len(typed_rows) < g.min_rows:
        issues.append(make_issue(g.key, "min_rows", g, min_rows=g.min_rows))
    if len(typed_rows) > g.max_rows:
        issues.append(make_issue(g.key, "max_rows", g, max_rows=g.max_rows))
    return typed_rows


_SMALLEST_PREVIOUS = Decimal("0.01")


def _growth_warnings(
    definition: ReturnDefinition, values: dict[str, Any], previous: Mapping[str, Any] | None
) -> list[Issue]:
    if not previous:
        return []
    out = []
    for f in definition.iter_fields():
        if f.warn_growth_factor is None:
            continue
        now, before = values.get(f.key), previous.get(f.key)
        if not isinstance(now, (int, Decimal)) or not isinstance(before, (int, Decimal)):
            continue
        # NaN (PostgreSQL NUMERIC has it) cannot be compared; less than a cent is nothing to compare with (and the
        # ratio would outgrow the decimal precision)
        if not Decimal(before).is_finite() or before < _SMALLEST_PREVIOUS:
            continue
        ratio = Decimal(now) / Decimal(before)
        if ratio >= Decimal(str(f.warn_growth_factor)):
            out.append(make_issue(
                f.key, "growth", f, severity=Severity.WARNING,
                value=now, previous=before, factor=ratio.quantize(Decimal("0.1")),
            ))
    return out


def validate(
    definition: ReturnDefinition,
    answers: Mapping[str, Any],
    *,
    submit: bool = False,
    previous: Mapping[str, Any] | None = None,
) -> ValidationResult:
    """Validate a whole return.

    ``answers`` maps field keys to raw or typed values (a group key to a list of row mappings); keys that the
    definition does not know are ignored. ``submit`` adds the checks that only apply on submission (required
    answers, minimum rows). ``previous`` is last year's typed answers, for year-on-year warnings.
    """
    issues: list[Issue] = []
    not_kept: list[Issue] = []
    values: dict[str, Any] = {}
    unasked = definition.gates_may_be_unasked
    if not isinstance(answers, Mapping):
        answers = {}
    for f in definition.iter_fields():
        if f.is_group:
            values[f.key] = _validate_group(f, answers.get(f.key), submit, issues, not_kept, unasked)
        else:
            values[f.key] = _validate_scalar(f, answers.get(f.key), f.key, submit, issues, None)
    # conditional questions: an answer to a question that does not apply is neither checked nor kept (and is
    # listed in ``not_kept``, so that no caller loses it silently)
    for f in definition.iter_fields():
        if not _applies(f, values, unasked):
            if _has_value(values[f.key]) or not is_blank(answers.get(f.key)):
                assert f.show_if is not None
                not_kept.append(_not_kept_issue(f.key, f, definition.field(f.show_if.key),
                                                values.get(f.show_if.key), None))
            values[f.key] = [] if f.is_group else None
            issues = [i for i in issues if _root(i.path) != f.key]
            not_kept = [i for i in not_kept if _root(i.path) != f.key or i.path == f.key]
    for rule in definition.rules:
        try:
            issues.extend(rule(values, dict(previous) if previous else None))
        except Exception as exc:  # noqa: BLE001 - a rule bug must not hide the other messages
            issues.append(custom_issue(
                "", "rule_failed",
                f"Iekšēja pārbaudes kļūda ({type(exc).__name__}). Lūdzu, ziņojiet administratoram.",
                f"Internal validation error ({type(exc).__name__}). Please tell the administrator.",
            ))
    issues.extend(_growth_warnings(definition, values, previous))
    if not submit:
        issues = [i for i in issues if not i.is_missing_answer]
    return ValidationResult(values=values, issues=_ordered(definition, issues), not_kept=not_kept)


def _root(path: str) -> str:
    return path.split("[", 1)[0].split(".", 1)[0]


_ROW_PATH = re.compile(r"[^\[]*\[([0-9]{1,9})\]\.?(.*)")


def _ordered(definition: ReturnDefinition, issues: Iterable[Issue]) -> list[Issue]:
    """Issues in the order of the form (the error summary reads top to bottom), errors before warnings."""
    order = {f.key: n for n, f in enumerate(definition.iter_fields())}
    columns = {f.key: {c.key: n for n, c in enumerate(f.fields)} for f in definition.iter_fields() if f.is_group}

    def key(issue: Issue) -> tuple[int, int, int, int, str]:
        root = _root(issue.path)
        row = _ROW_PATH.fullmatch(issue.path)  # group rows by number, their fields in the form's order
        row_index, column = (int(row[1]), columns.get(root, {}).get(row[2], -1)) if row else (-1, -1)
        return (0 if issue.severity == Severity.ERROR else 1, order.get(root, -1), row_index, column, issue.path)

    seen: set[tuple[str, str]] = set()
    unique = []
    for i in sorted(issues, key=key):
        if (i.path, i.code) not in seen:
            seen.add((i.path, i.code))
            unique.append(i)
    return unique
