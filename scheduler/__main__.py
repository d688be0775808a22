"""``python -m scheduler``: the scheduler process (see README). ``--list`` shows the jobs; ``--once JOB`` runs one
job now in the wrapper (no lease) and exits."""

from __future__ import annotations

import argparse
import logging
import sys

from monitor import create_app

from .jobs import job_list
from .runner import run_forever, run_job


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scheduler", description=__doc__)
    parser.add_argument("--list", action="store_true", help="list the jobs and exit")
    parser.add_argument("--once", metavar="JOB", help="run one job now and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    app = create_app()
    jobs = job_list(app.config.get("SCHEDULER_JOBS"))
    if args.list:
        for job in jobs:
            print(f"{job.id:<24} {job.trigger:<9} {job.trigger_args}  {job.description}")
        return 0
    if args.once:
        job = next((j for j in jobs if j.id == args.once), None)
        if job is None:
            print(f"no job {args.once!r}; see --list", file=sys.stderr)
            return 2
        run = run_job(app, job)
        print(f"{job.id}: {run.outcome if run else 'not run'}")
        return 0 if run and run.outcome in ("ok", "idle") else 1
    run_forever(app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
