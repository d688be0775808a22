#!/usr/bin/env python
"""How fast is ``reports.compile_report``, and how much memory does it take?

Two workloads, each a run of 10 reporting years where every year is compiled against the reference figures
(2017 and 2022) and the previous year's returns (from the second year on):

(a) the real register: 43 municipalities × 10 years — goal **under 1 s** in total;
(b) a synthetic register: 5,000 units × 10 years — goal **under 30 s** in total and **under 1 GB** peak memory.

Answers are random but typed as ``forms.validate`` returns them (codes, lists of codes, ints, Decimals, "hard to
say", blanks, budget rows). Each year's records are generated before the clock starts and dropped after the year,
so at most two years of records are alive. Timing runs without tracemalloc (it slows Python down); a second,
separate pass measures the peak of traced Python memory; the process's maximum RSS is printed as well. Then
cProfile shows where the time of one large compile goes.

Usage::

    .venv/bin/python benchmarks/bench_reports.py                    # both workloads, profile, memory
    .venv/bin/python benchmarks/bench_reports.py --units 1000       # a smaller synthetic register
    .venv/bin/python benchmarks/bench_reports.py --no-memory --no-profile

Not a pytest test; it always exits 0 unless something raises.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import random
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reports import UnitRecord, compile_report, load_reference  # noqa: E402
from reports.catalogue import INDICATORS  # noqa: E402
from reports.labels import codes  # noqa: E402
from reports.records import REGION_SLUGS  # noqa: E402

DK = "hard_to_say"
FIRST_YEAR = 2017
YEARS = 10
DATA = ROOT / "monitor" / "data"


# ----------------------------------------------------------------------------------------------- the data

def _fields() -> tuple[list[str], list[str], list[str]]:
    """(single-choice fields, multi-choice fields, count fields) the catalogue reads."""
    single, multi, counts = set(), set(), set()
    for item in INDICATORS:
        field = item.fields[0]
        if item.column is not None:
            continue
        if field == "measures_5y_types" or field == "reasons_no_remigration_measures":
            multi.add(field)
        elif item.computation.value in ("share", "count", "crosstab") and item.value_range is None:
            single.update(item.fields)
        else:
            counts.add(field)
    return sorted(single), sorted(multi), sorted(counts)


SINGLE, MULTI, NUMBERS = _fields()
SCORES = {"state_support_sufficiency_score", "eu_state_grant_uptake_score"}
MONEY = {"remigration_benefits_eur", "ngo_grants_total_eur"}
SOURCES = ("own_budget", "varam", "eu_eea", "leader", "other")


def answers(rng: random.Random) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in SINGLE:
        options = codes(field)
        values[field] = None if rng.random() < 0.03 else rng.choice(options)
    for field in MULTI:
        options = codes(field, with_dont_know=False)
        roll = rng.random()
        values[field] = None if roll < 0.1 else [DK] if roll < 0.15 else rng.sample(options, rng.randint(1, 4))
    for field in NUMBERS:
        roll = rng.random()
        if roll < 0.05:
            values[field] = DK
        elif field in SCORES:
            values[field] = rng.randint(0, 10)
        elif field in MONEY:
            values[field] = Decimal(rng.randint(0, 5_000_000)) / 100
        else:
            values[field] = rng.choice((0, 0, 1, 2, 3, 4, 5, 8, 12, rng.randint(0, 400)))
    values["budget_lines"] = [
        {"source": source, "planned_eur": Decimal(rng.randint(0, 2_000_000)) / 100,
         "spent_eur": DK if rng.random() < 0.05 else Decimal(rng.randint(0, 2_000_000)) / 100}
        for source in rng.sample(SOURCES, rng.randint(0, 3))]
    values["grant_programmes"] = [{"total_fund_eur": Decimal(rng.randint(0, 10_000_000)) / 100}
                                  for _ in range(rng.randint(0, 3))]
    return values


def register(size: int) -> list[tuple[str, str]]:
    """(unit slug, region slug): the real 43, or ``size`` synthetic units spread over the five regions."""
    if size == 43:
        data = json.loads((DATA / "municipalities.json").read_text(encoding="utf-8"))
        return [(m["slug"], m["region"]) for m in data["municipalities"]]
    return [(f"unit-{i:05d}", REGION_SLUGS[i % 5]) for i in range(size)]


def year_records(units: list[tuple[str, str]], year: int, seed: int) -> list[UnitRecord]:
    rng = random.Random(seed * 10_000 + year)
    statuses = ("approved",) * 18 + ("submitted", "draft")
    return [UnitRecord(unit, region, year, answers(rng), rng.choice(statuses)) for unit, region in units]


# ------------------------------------------------------------------------------------------------ running

def run(size: int, reference: list, *, to_dict: bool, seed: int = 1, json_size: bool = False) -> dict[str, float]:
    """Compile ``YEARS`` years; returns seconds spent compiling and serialising (generation excluded), and the
    mean size of one year's ``json.dumps(report.to_dict())`` in MB when ``json_size``."""
    units = register(size)
    compile_s = dict_s = size_mb = 0.0
    previous: list[UnitRecord] = []
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        records = year_records(units, year, seed)
        started = time.perf_counter()
        report = compile_report(year, records, reference=reference, previous=previous)
        compile_s += time.perf_counter() - started
        if to_dict:
            started = time.perf_counter()
            data = report.to_dict()
            dict_s += time.perf_counter() - started
            if json_size:
                size_mb += len(json.dumps(data, ensure_ascii=False).encode("utf-8")) / 1e6 / YEARS
            del data
        del report
        previous = records
        gc.collect()
    return {"compile": compile_s, "to_dict": dict_s, "json_mb": size_mb}


def traced_peak(size: int, reference: list) -> float:
    """Peak traced Python memory (MiB) over the whole run, serialisation included."""
    gc.collect()
    tracemalloc.start()
    try:
        run(size, reference, to_dict=True)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def profile(size: int, reference: list, top: int) -> str:
    units = register(size)
    previous = year_records(units, FIRST_YEAR, 1)
    records = year_records(units, FIRST_YEAR + 1, 1)
    profiler = cProfile.Profile()
    profiler.enable()
    report = compile_report(FIRST_YEAR + 1, records, reference=reference, previous=previous)
    report.to_dict()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000, help="size of the synthetic register (default 5000)")
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument("--no-profile", action="store_true", help="skip cProfile")
    parser.add_argument("--top", type=int, default=20, help="cProfile rows to print")
    args = parser.parse_args()
    reference = load_reference(json.loads((DATA / "survey-baseline.json").read_text(encoding="utf-8")))
    print(f"catalogue: {len(INDICATORS)} indicators; reference: {len(reference)} figures; {YEARS} years each")

    small = run(43, reference, to_dict=True, json_size=True)
    print(f"43 municipalities × {YEARS} years: compile {small['compile']:.3f} s (goal < 1 s) → "
          f"{'OK' if small['compile'] < 1 else 'OVER'}; to_dict {small['to_dict']:.3f} s; "
          f"JSON {small['json_mb']:.1f} MB a year")

    large = run(args.units, reference, to_dict=True)
    print(f"{args.units} units × {YEARS} years: compile {large['compile']:.2f} s (goal < 30 s) → "
          f"{'OK' if large['compile'] < 30 else 'OVER'}; to_dict {large['to_dict']:.2f} s more "
          f"({large['compile'] + large['to_dict']:.2f} s together)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"max RSS of the process so far: {rss:.0f} MiB (goal: < 1024 MiB) → {'OK' if rss < 1024 else 'OVER'}")

    if not args.no_memory:
        peak = traced_peak(args.units, reference)
        print(f"peak traced Python memory, {args.units} × {YEARS} with to_dict: {peak:.0f} MiB")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"max RSS after the traced pass: {rss:.0f} MiB")

    if not args.no_profile:
        print(f"\ncProfile: one year of {args.units} units (compile with previous year + to_dict), by own time")
        print(profile(args.units, reference, args.top))


if __name__ == "__main__":
    main()
