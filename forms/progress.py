"""How complete a return is, per section: what the overview page and the review desk show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .schema import ReturnDefinition
from .validation import Severity, ValidationResult, validate


@dataclass(frozen=True)
class SectionProgress:
    key: str
    answered: int  # required questions that have an answer
    required: int  # required questions that apply (conditions considered)
    errors: int  # errors other than missing answers
    warnings: int

    @property
    def is_complete(self) -> bool:
        return self.answered == self.required and self.errors == 0

    @property
    def percent(self) -> int:
        return 100 if self.required == 0 else round(100 * self.answered / self.required)


def section_progress(
    definition: ReturnDefinition, answers: Mapping[str, Any], previous: Mapping[str, Any] | None = None
) -> list[SectionProgress]:
    """Progress of every section, from one submit-mode validation of the whole return."""
    return progress_of(definition, validate(definition, answers, submit=True, previous=previous))


def progress_of(definition: ReturnDefinition, result: ValidationResult) -> list[SectionProgress]:
    """Progress of every section from a submit-mode ``validate`` result (so a caller validates only once)."""
    missing: dict[str, set[str]] = {}  # paths of missing answers
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    for issue in result.issues:
        if not issue.path:
            continue
        section = definition.section_of(issue.path)
        if issue.severity == Severity.WARNING:
            warnings[section] = warnings.get(section, 0) + 1
        elif issue.is_missing_answer:
            missing.setdefault(section, set()).add(issue.path)
        else:
            errors[section] = errors.get(section, 0) + 1
    out = []
    for section in definition.sections:
        asked: set[str] = set()  # required questions (and groups that need rows) that apply
        for f in section.fields:
            if f.show_if is not None and not f.show_if.holds(result.values):
                continue
            if f.min_rows if f.is_group else f.required:
                asked.add(f.key)
        gaps = missing.get(section.key, set())
        # a missing answer elsewhere (a required column of a group row, or an answer that a rule asks for, such as
        # the reasons when no measures are planned) is one more required question, without an answer
        required = len(asked) + len(gaps - asked)
        out.append(SectionProgress(section.key, len(asked - gaps), required, errors.get(section.key, 0),
                                   warnings.get(section.key, 0)))
    return out
