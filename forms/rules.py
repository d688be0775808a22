"""Reusable cross-field rules. Each factory returns a ``Rule``: (typed answers, last year's answers) → issues.

Rules only look at typed values (``validate`` has parsed them already) and treat ``None`` and ``DONT_KNOW`` as
"no number", so a half-filled draft never trips a rule by accident.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from .schema import DONT_KNOW, Field, Rule, Text, row_path
from .validation import Issue, Severity, custom_issue, format_number


def _num(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None or value == DONT_KNOW:
        return None
    if isinstance(value, (int, Decimal)):
        number = Decimal(value)
        return number if number.is_finite() else None  # NaN and infinity are no figures (and NaN cannot be compared)
    return None


def _row_word(locale: str, index: int) -> str:
    return f"{index + 1}. ieraksts" if locale == "lv" else f"entry {index + 1}"


def ordered_counts(group: Field, keys: Sequence[str]) -> Rule:
    """In every row of ``group``: keys[0] ≥ keys[1] ≥ … (e.g. received ≥ evaluated ≥ supported).

    Each figure is compared with the nearest earlier one that is known, so a blank in the middle does not hide
    "supported > received".
    """
    fields = [group.child(k) for k in keys]

    def rule(values: dict[str, Any], _previous: dict[str, Any] | None) -> list[Issue]:
        issues = []
        for index, row in enumerate(values.get(group.key) or []):
            known = [f for f in fields if _num(row.get(f.key)) is not None]
            for bigger, smaller in zip(known, known[1:]):
                a, b = _num(row.get(bigger.key)), _num(row.get(smaller.key))
                if a is not None and b is not None and b > a:
                    issues.append(custom_issue(
                        row_path(group.key, index, smaller.key), f"not_more_than_{bigger.key}",
                        f"{group.label.lv}, {_row_word('lv', index)}: «{smaller.label.lv}» ({format_number(b, 'lv')}) "
                        f"nevar būt vairāk nekā «{bigger.label.lv}» ({format_number(a, 'lv')}). Izlabojiet vienu no "
                        f"skaitļiem.",
                        f"{group.label.en}, {_row_word('en', index)}: “{smaller.label.en}” ({format_number(b, 'en')}) "
                        f"cannot be more than “{bigger.label.en}” ({format_number(a, 'en')}). Correct one of the "
                        f"figures.",
                    ))
        return issues

    return rule


def not_more_than(smaller: Field, bigger: Field) -> Rule:
    """Top-level fields: ``smaller`` ≤ ``bigger`` (e.g. vacant flats ≤ all municipal flats)."""

    def rule(values: dict[str, Any], _previous: dict[str, Any] | None) -> list[Issue]:
        a, b = _num(values.get(bigger.key)), _num(values.get(smaller.key))
        if a is None or b is None or b <= a:
            return []
        return [custom_issue(
            smaller.key, f"not_more_than_{bigger.key}",
            f"«{smaller.label.lv}» ({format_number(b, 'lv')}) nevar būt vairāk nekā «{bigger.label.lv}» "
            f"({format_number(a, 'lv')}). Izlabojiet vienu no skaitļiem.",
            f"“{smaller.label.en}” ({format_number(b, 'en')}) cannot be more than “{bigger.label.en}” "
            f"({format_number(a, 'en')}). Correct one of the figures.",
        )]

    return rule


def one_of_required(group: Field, keys: Sequence[str]) -> Rule:
    """Every row of ``group`` needs at least one of ``keys`` (e.g. a contact person needs e-mail or phone)."""
    fields = [group.child(k) for k in keys]

    def rule(values: dict[str, Any], _previous: dict[str, Any] | None) -> list[Issue]:
        issues = []
        for index, row in enumerate(values.get(group.key) or []):
            if all(row.get(f.key) in (None, "") for f in fields):
                lv_names = " vai ".join(f"«{f.label.lv}»" for f in fields)
                en_names = " or ".join(f"“{f.label.en}”" for f in fields)
                issues.append(custom_issue(
                    row_path(group.key, index, fields[0].key), "one_of_required",
                    f"{group.label.lv}, {_row_word('lv', index)}: norādiet {lv_names}, lai ar šo personu varētu "
                    f"sazināties.",
                    f"{group.label.en}, {_row_word('en', index)}: give {en_names} so that this person can be "
                    f"reached.",
                ))
        return issues

    return rule


def row_needs(group: Field, needed: str, when_any_of: Sequence[str], why: Text) -> Rule:
    """In every row of ``group`` where any of ``when_any_of`` has a value, ``needed`` must have one too.

    ``why`` completes the sentence (e.g. "amounts spent must say where the money came from").
    """
    target = group.child(needed)
    triggers = [group.child(k) for k in when_any_of]

    def rule(values: dict[str, Any], _previous: dict[str, Any] | None) -> list[Issue]:
        issues = []
        for index, row in enumerate(values.get(group.key) or []):
            if row.get(target.key) is None and any(row.get(t.key) is not None for t in triggers):
                issues.append(custom_issue(
                    row_path(group.key, index, target.key), f"needs_{target.key}",
                    f"{group.label.lv}, {_row_word('lv', index)}: aizpildiet «{target.label.lv}» — {why.lv}.",
                    f"{group.label.en}, {_row_word('en', index)}: fill in “{target.label.en}” — {why.en}.",
                ))
        return issues

    return rule


def required_when(target: Field, when: Field, codes: frozenset[str], why: Text) -> Rule:
    """``target`` must be answered (on any save that reaches submission) when ``when`` is one of ``codes``.

    Reported as a missing answer ("required"), so a draft may still be saved without it.
    """

    def rule(values: dict[str, Any], _previous: dict[str, Any] | None) -> list[Issue]:
        if values.get(when.key) not in codes or values.get(target.key) not in (None, [], ""):
            return []
        return [Issue(
            path=target.key, code="required", severity=Severity.ERROR,
            lv=f"«{target.label.lv}»: {why.lv}",
            en=f"“{target.label.en}”: {why.en}",
        )]

    return rule


def group_sum_growth(group: Field, key: str, factor: float) -> Rule:
    """Warn when the sum of ``key`` over the rows of ``group`` is ``factor`` times last year's sum or more."""
    child = group.child(key)

    def total(rows: Any) -> Decimal | None:
        nums = [_num(r.get(key)) for r in rows or [] if isinstance(r, dict)]
        nums = [n for n in nums if n is not None]
        return sum(nums, Decimal(0)) if nums else None

    def rule(values: dict[str, Any], previous: dict[str, Any] | None) -> list[Issue]:
        if not previous:
            return []
        now, before = total(values.get(group.key)), total(previous.get(group.key))
        if now is None or before is None or before < Decimal("0.01") or now / before < Decimal(str(factor)):
            return []
        ratio = (now / before).quantize(Decimal("0.1"))
        return [custom_issue(
            group.key, f"growth_{key}",
            f"{group.label.lv}: «{child.label.lv}» kopā ir {format_number(now, 'lv')} EUR — {format_number(ratio, 'lv')} "
            f"reizes vairāk nekā pērn ({format_number(before, 'lv')} EUR). Pārbaudiet summas; ja tās ir pareizas, "
            f"īsi paskaidrojiet komentārā.",
            f"{group.label.en}: “{child.label.en}” totals EUR {format_number(now, 'en')} — {format_number(ratio, 'en')} "
            f"times last year's (EUR {format_number(before, 'en')}). Check the amounts; if they are right, explain "
            f"briefly in a comment.",
            severity=Severity.WARNING,
        )]

    return rule
