"""How long to wait after "too many attempts", in words, from the same number as the ``Retry-After`` header."""

from __future__ import annotations

import math
import time

from flask_babel import gettext as _, ngettext

from .extensions import limiter


def wait_message(seconds: int | None) -> str:
    """"Please wait N seconds/minutes/hours before you try again", rounded up; a vaguer sentence without a number."""
    if seconds is None or seconds <= 0:
        return _("Please wait a little before you try again.")
    if seconds < 60:
        return ngettext("Please wait %(num)d second before you try again.",
                        "Please wait %(num)d seconds before you try again.", seconds)
    minutes = math.ceil(seconds / 60)
    if minutes <= 90:
        return ngettext("Please wait %(num)d minute before you try again.",
                        "Please wait %(num)d minutes before you try again.", minutes)
    return ngettext("Please wait %(num)d hour before you try again.",
                    "Please wait %(num)d hours before you try again.", math.ceil(minutes / 60))


def rate_limit_wait_seconds() -> int | None:
    """The seconds until the rate limit this request broke resets, computed as Flask-Limiter computes
    ``Retry-After`` (None outside a rate-limited request)."""
    limit = limiter.current_limit
    if limit is None:
        return None
    return max(0, int(limit.reset_at - time.time()))
