"""The backup file's manifest and the rules about it — pure: no database, no files, no Flask.

A backup file is an uncompressed tar holding two members: ``manifest.json`` (this) and the dump (SQLite: the
database file copied with the online backup API, gzipped; PostgreSQL: ``pg_dump --format=custom``, compressed by
pg_dump itself). The manifest states when and from what the dump was made, the schema (Alembic) revision, the row
count of every table, and the dump's size and SHA-256, so a file can be checked before it is trusted.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Mapping, Sequence

FORMAT = "remigration-monitor-backup/1"
MANIFEST_NAME = "manifest.json"
ENGINES = ("sqlite", "postgresql")
_NAME = re.compile(r"^monitor-backup-(\d{8}T\d{6})Z(?:-\d+)?\.tar$")


class BackupError(Exception):
    """A backup cannot be made, read, trusted or restored; the message says why (for the operator)."""


@dataclass(frozen=True)
class Manifest:
    created_at: str  # ISO 8601, UTC
    engine: str  # "sqlite" | "postgresql"
    schema_revision: str | None  # alembic_version of the dumped database (None: never migrated)
    row_counts: dict[str, int]  # every table of the database, alembic_version included
    dump_name: str  # the tar member holding the dump
    dump_sha256: str
    dump_size: int
    tool: str = ""  # what made the dump (SQLite version / pg_dump version)
    format: str = FORMAT
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise BackupError(f"the manifest is not valid JSON ({exc})") from exc
        if not isinstance(raw, dict) or raw.get("format") != FORMAT:
            raise BackupError(f"not a backup of this service (manifest format is not {FORMAT!r})")
        problems = []
        for key, kind in (("created_at", str), ("engine", str), ("dump_name", str), ("dump_sha256", str),
                          ("dump_size", int), ("row_counts", dict)):
            if not isinstance(raw.get(key), kind):
                problems.append(key)
        if raw.get("schema_revision") is not None and not isinstance(raw.get("schema_revision"), str):
            problems.append("schema_revision")
        counts = raw.get("row_counts") if isinstance(raw.get("row_counts"), dict) else {}
        if any(not isinstance(n, int) or isinstance(n, bool) or n < 0 for n in counts.values()):
            problems.append("row_counts")
        if raw.get("engine") not in ENGINES:
            problems.append("engine")
        if problems:
            raise BackupError("the manifest is incomplete or wrong: " + ", ".join(sorted(set(problems))))
        known = {k: raw[k] for k in cls.__dataclass_fields__ if k in raw}
        return cls(**known)


def count_differences(expected: Mapping[str, int], actual: Mapping[str, int]) -> list[str]:
    """Tables whose row count differs, is missing or is extra, as readable lines (empty: all the same)."""
    out = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual:
            out.append(f"{table}: missing (expected {expected[table]} rows)")
        elif table not in expected:
            out.append(f"{table}: not in the backup ({actual[table]} rows)")
        elif expected[table] != actual[table]:
            out.append(f"{table}: {actual[table]} rows, expected {expected[table]}")
    return out


def backup_file_name(at: dt.datetime, attempt: int = 0) -> str:
    """``monitor-backup-20261201T013000Z.tar`` (UTC); ``-2``, ``-3``… when a name is taken."""
    stamp = at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return f"monitor-backup-{stamp}Z{f'-{attempt}' if attempt else ''}.tar"


def backup_time(name: str) -> dt.datetime | None:
    """The UTC time in a backup file's name, or None for any other file (which retention never touches)."""
    match = _NAME.match(name)
    if match is None:
        return None
    return dt.datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=dt.UTC)


def revision_relation(backup: str | None, history: Sequence[str]) -> str:
    """Where the backup's schema revision stands against the code's: ``history`` lists the code's revisions from
    its head back to the first. → "same", "older" (the code can upgrade it) or "newer" (unknown to this code:
    made by a later version — refused, since this code cannot know that schema)."""
    if history and backup == history[0]:
        return "same"
    if backup is None or backup in history:
        return "older"
    return "newer"
