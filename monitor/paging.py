"""One page of a long list (the audit log, a return's history of changes): server-side, reached by plain links
with ``?page=N`` (templates/_pager.html), no JavaScript. A page number out of range shows the nearest page."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from .extensions import db


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    pages: int  # at least 1, also for an empty list
    total: int
    per_page: int
    rows: list[Any]

    @property
    def first(self) -> int:
        """The position (1-based) of the first row on the page."""
        return (self.number - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)


def page_of(rows: Select[Any], count: Select[Any], number: int, per_page: int) -> Page:
    """Page ``number`` of ``rows`` (an ordered query); ``count`` counts all of them (a plain count is cheaper than
    counting the joined row query)."""
    total = db.session.scalar(count) or 0
    pages = max(1, math.ceil(total / per_page))
    number = min(max(number, 1), pages)
    found = db.session.execute(rows.limit(per_page).offset((number - 1) * per_page)).all()
    return Page(number, pages, total, per_page, list(found))
