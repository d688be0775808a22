"""Which backups to keep — pure.

Two rules, each applied on its own over the backups from newest to oldest (as restic's ``--keep-daily`` and
``--keep-weekly``): keep the newest backup of each of the ``daily`` most recent days that have a backup, and the
newest of each of the ``weekly`` most recent ISO weeks that have one. A backup kept by either rule stays. Counting
days *with* backups (not calendar days) means a scheduler that stopped for a fortnight never has its last
backups deleted by the next run.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Hashable, Mapping, TypeVar

K = TypeVar("K", bound=Hashable)


def _newest_per_bucket(stamps: Mapping[K, dt.datetime], bucket: Callable[[dt.datetime], Hashable],
                       limit: int) -> set[K]:
    kept: set[K] = set()
    seen: set[Hashable] = set()
    for key, at in sorted(stamps.items(), key=lambda item: item[1], reverse=True):
        b = bucket(at)
        if b in seen:
            continue
        if len(seen) == limit:
            break
        seen.add(b)
        kept.add(key)
    return kept


def backups_to_keep(stamps: Mapping[K, dt.datetime], daily: int = 7, weekly: int = 4) -> set[K]:
    """The keys of ``stamps`` (backup → its local time) to keep; every other backup may be deleted."""
    return (_newest_per_bucket(stamps, lambda at: at.date(), daily)
            | _newest_per_bucket(stamps, lambda at: at.isocalendar()[:2], weekly))
