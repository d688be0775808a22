"""Yearly return definitions and their pure validation. Standard library only."""

from .definitions import available_years, definition_years, get_definition, history_years
from .schema import DONT_KNOW, Choice, Condition, Field, FieldType, ReturnDefinition, Section, Text
from .validation import Issue, Severity, ValidationResult, validate

__all__ = [
    "DONT_KNOW", "Choice", "Condition", "Field", "FieldType", "Issue", "ReturnDefinition", "Section", "Severity",
    "Text", "ValidationResult", "available_years", "definition_years", "get_definition", "history_years", "validate",
]
