"""The pure parts of backups: retention, the manifest, the schema revision rule, file names."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from monitor.backup.manifest import (
    FORMAT, BackupError, Manifest, backup_file_name, backup_time, count_differences, revision_relation,
)
from monitor.backup.retention import backups_to_keep

D = dt.datetime


def nightly(first: dt.date, days: int, hour: int = 1) -> dict[str, dt.datetime]:
    return {f"{first + dt.timedelta(days=i)}": D.combine(first + dt.timedelta(days=i), dt.time(hour, 30))
            for i in range(days)}


def days(*names: str) -> set[str]:
    return set(names)


@pytest.mark.parametrize("stamps, daily, weekly, kept", [
    # nothing yet
    ({}, 7, 4, set()),
    # fewer than 7 days: everything stays
    (nightly(dt.date(2026, 12, 1), 3), 7, 4, days("2026-12-01", "2026-12-02", "2026-12-03")),
    # 8 nightly backups Tue 1.12 – Tue 8.12: the last 7 days; the 8th (1.12) is also the newest of no week
    # (week 49 = 30.11–6.12 keeps 6.12; week 50 keeps 8.12), so it goes
    (nightly(dt.date(2026, 12, 1), 8), 7, 4,
     days("2026-12-02", "2026-12-03", "2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07", "2026-12-08")),
    # 60 nightly backups (2.11 – 31.12): 7 days (25.–31.12) + the newest of the 4 latest ISO weeks, 3 of which
    # are the Sundays 13., 20. and 27.12 (the 4th week, 28.–31.12, is kept by its 31.12 anyway)
    (nightly(dt.date(2026, 11, 2), 60), 7, 4,
     days("2026-12-25", "2026-12-26", "2026-12-27", "2026-12-28", "2026-12-29", "2026-12-30", "2026-12-31",
          "2026-12-13", "2026-12-20")),
    # two backups on one day (a manual one at 14:00): only the newer counts for that day
    ({"night": D(2026, 12, 1, 1, 30), "manual": D(2026, 12, 1, 14, 0), "next": D(2026, 12, 2, 1, 30)}, 7, 4,
     {"manual", "next"}),
    # the scheduler stopped for three weeks: the last backups before the gap are still kept
    ({**nightly(dt.date(2026, 11, 1), 10), "after": D(2026, 12, 1, 1, 30)}, 7, 4,
     {"after", "2026-11-10", "2026-11-09", "2026-11-08", "2026-11-07", "2026-11-06", "2026-11-05",
      "2026-11-01"}),  # 1.11 is a Sunday: the newest of ISO week 44 (26.10–1.11)
    # daily=0, weekly=0: nothing kept
    (nightly(dt.date(2026, 12, 1), 3), 0, 0, set()),
    # weekly only
    (nightly(dt.date(2026, 12, 1), 14), 0, 4, days("2026-12-06", "2026-12-13", "2026-12-14")),
])
def test_backups_to_keep(stamps, daily, weekly, kept):
    assert backups_to_keep(stamps, daily, weekly) == kept


def test_file_names_round_trip_and_other_files_are_ignored():
    at = D(2026, 12, 1, 1, 30, 5, tzinfo=dt.UTC)
    assert backup_file_name(at) == "monitor-backup-20261201T013005Z.tar"
    assert backup_time(backup_file_name(at)) == at
    assert backup_time(backup_file_name(at, 2)) == at
    for other in ("monitor-backup-20261201T013005Z.tar.part", "notes.txt", "monitor-backup-2026.tar"):
        assert backup_time(other) is None


@pytest.mark.parametrize("backup, relation", [
    ("0011_job_runs", "same"),
    ("0009_measure_search", "older"),
    ("0001_initial", "older"),
    (None, "older"),  # a database never migrated
    ("0012_future", "newer"),
    ("0011_job_runs,0012_other_head", "newer"),
])
def test_revision_relation(backup, relation):
    history = ["0011_job_runs", "0009_measure_search", "0008_reference_note_lv", "0001_initial"]
    assert revision_relation(backup, history) == relation


def _manifest(**changes):
    raw = {"format": FORMAT, "created_at": "2026-12-01T01:30:00+00:00", "engine": "sqlite",
           "schema_revision": "0011_job_runs", "row_counts": {"answer": 3, "user_account": 1},
           "dump_name": "database.sqlite3.gz", "dump_sha256": "ab" * 32, "dump_size": 10, "tool": "x"}
    raw.update(changes)
    return json.dumps(raw).encode()


def test_manifest_round_trip():
    manifest = Manifest.from_json(_manifest())
    assert Manifest.from_json(manifest.to_json()) == manifest and manifest.row_counts["answer"] == 3


@pytest.mark.parametrize("data, says", [
    (b"\xff\xfe", "not valid JSON"),
    (b"[]", "not a backup of this service"),
    (_manifest(format="other/1"), "not a backup of this service"),
    (_manifest(engine="mysql"), "engine"),
    (_manifest(row_counts={"answer": -1}), "row_counts"),
    (_manifest(row_counts={"answer": "3"}), "row_counts"),
    (_manifest(dump_size="10"), "dump_size"),
    (_manifest(schema_revision=11), "schema_revision"),
])
def test_a_wrong_manifest_is_refused_with_its_reason(data, says):
    with pytest.raises(BackupError, match=says):
        Manifest.from_json(data)


def test_count_differences():
    assert count_differences({"a": 1, "b": 2}, {"a": 1, "b": 2}) == []
    assert count_differences({"a": 1, "b": 2}, {"a": 0, "c": 5}) == [
        "a: 0 rows, expected 1", "b: missing (expected 2 rows)", "c: not in the backup (5 rows)"]
