"""The scheduled jobs, as data: (id, trigger, operation). ``scheduler.runner`` runs each in the wrapper; the
operations themselves are named functions in ``monitor.jobs.operations`` (this package only says which runs when).

Every operation is idempotent: running a job twice gives the same result (a report with unchanged inputs is not
compiled again, a reminder or a completeness snapshot is not queued or stored twice).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Job:
    id: str
    trigger: str  # "interval" | "cron" (APScheduler trigger names)
    trigger_args: dict[str, Any] = field(default_factory=dict)
    operation: str = ""  # "module:function", called inside the application context
    description: str = ""

    def function(self) -> Callable[[], Any]:
        module, _, name = self.operation.partition(":")
        return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


JOBS: tuple[Job, ...] = (
    Job("compile_requests", "interval", {"seconds": 10}, "monitor.jobs.operations:process_compile_requests",
        "Compile the reports that someone asked for with “compile now”."),
    Job("export_builds", "interval", {"seconds": 5}, "monitor.excel.builds:process_export_builds",
        "Build the research downloads that someone asked for and that are not stored yet."),
    Job("send_mail", "interval", {"seconds": 60}, "monitor.jobs.operations:send_mail",
        "Send queued e-mail; retry failed messages when their time comes."),
    Job("compile_changed", "interval", {"minutes": 10}, "monitor.jobs.operations:compile_open_years",
        "Recompile a year's report when its approved returns changed (unchanged inputs compile nothing)."),
    Job("compile_nightly", "cron", {"hour": 2, "minute": 15}, "monitor.jobs.operations:compile_open_years",
        "Nightly compilation of every open reporting year."),
    Job("deadline_reminders", "cron", {"hour": 8, "minute": 0}, "monitor.jobs.operations:queue_reminders",
        "Queue deadline reminders to municipalities that have not submitted."),
    Job("completeness_snapshot", "cron", {"hour": 23, "minute": 45},
        "monitor.jobs.operations:take_completeness_snapshot",
        "Store the day's completeness counts per reporting year."),
    Job("revalidate_drafts", "cron", {"hour": 3, "minute": 0}, "monitor.jobs.operations:revalidate_drafts",
        "Re-validate draft returns whose form definition changed."),
    Job("backup_nightly", "cron", {"hour": 1, "minute": 30}, "monitor.jobs.operations:back_up_database",
        "Back up the database into MONITOR_BACKUP_DIR; keep 7 daily and 4 weekly backups."),
)

#: a fast job list for tests of the process itself (``MONITOR_SCHEDULER_JOBS=test``)
TEST_JOBS: tuple[Job, ...] = (
    Job("tick", "interval", {"seconds": 2}, "monitor.jobs.operations:tick", "Records that it ran (tests)."),
    Job("compile_requests", "interval", {"seconds": 2}, "monitor.jobs.operations:process_compile_requests", ""),
    Job("export_builds", "interval", {"seconds": 2}, "monitor.excel.builds:process_export_builds", ""),
)


def job_list(name: str | None) -> tuple[Job, ...]:
    return TEST_JOBS if name == "test" else JOBS
