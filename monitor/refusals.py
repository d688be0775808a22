"""The one refusal of every operation: an account change, a workflow transition, an upload or a deadline.

Below every area, so that auth, returns, review and excel refuse the same way and every view shows it the same way.
"""

from __future__ import annotations


class OperationRefused(Exception):
    """An operation is not allowed now; ``lv``/``en`` say why, in words the person who tried understands."""

    def __init__(self, code: str, lv: str, en: str, *, wait_seconds: int = 0) -> None:
        super().__init__(code)
        self.code, self.lv, self.en = code, lv, en
        self.wait_seconds = wait_seconds  # > 0: refused because of too many failures; try again after that

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.lv
