"""How complete a return is, per section: what the overview page and the review desk show."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .schema import ReturnDefinition
from .validation import DRAFT_TOLERATED, Severity, validate


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
    result = validate(definition, answers, submit=True, previous=previous)
    missing: dict[str, int] = {}
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    for issue in result.issues:
        if not issue.path:
            continue
        section = definition.section_of(issue.path)
        if issue.severity == Severity.WARNING:
            warnings[section] = warnings.get(section, 0) + 1
        elif issue.code in DRAFT_TOLERATED:
            missing[section] = missing.get(section, 0) + 1
        else:
            errors[section] = errors.get(section, 0) + 1
    out = []
    for section in definition.sections:
        required = 0
        for f in section.fields:
            if f.show_if is not None and not f.show_if.holds(result.values):
                continue
            if f.is_group:
                required += 1 if f.min_rows else 0
            elif f.required:
                required += 1
        # a required question with an answer counts once; a missing one is one "required" issue
        gaps = min(missing.get(section.key, 0), required) if required else 0
        out.append(SectionProgress(section.key, required - gaps, required, errors.get(section.key, 0),
                                   warnings.get(section.key, 0)))
    return out
