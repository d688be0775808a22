#!/usr/bin/env python
"""How fast is the researchers' benchmark workbook, how much memory does it take, and what does it cost over
plain openpyxl?

Workloads (each: 10 reporting years of the 2026 definition, the Indicators sheet from 10 compiled reports):

(a) the real register: 43 municipalities × 10 years — goal **under 2 s**;
(b) a synthetic register: 5,000 units × 10 years (50,000 Data rows) — goal **under 60 s**, memory bounded.

Every field is answered with a plausible typed value (codes, lists of codes, ints, Decimals, dates, texts, a few
"hard to say"), groups have several rows (2 documents, 3 budget lines, 3 grant programmes, 4 diaspora activities,
2 contact persons). Answers come from a pool of 200 generated returns, cycled, so that generating them costs
nothing during the timing and ``units`` is a true generator.

The baseline writes exactly the same cells with plain openpyxl write-only mode: the same sheets, the same values
(rows flattened before the clock starts), no number formats, no styles, no safety helper, no charts, no filters.
The ratio ours/baseline is the cost of the formats, the safety helper and the row building (goal ≤ 1.3×).

Each case runs in a fresh subprocess, which reports its own peak RSS (``resource.getrusage``): a flat RSS from
(a) to (b) shows that memory does not grow with the number of units, and the CPU time of its own runs (a busy machine
moves the wall time more than the CPU time). Output goes to a temporary file.

Usage::

    .venv/bin/python benchmarks/bench_excel.py                  # both workloads, 3 runs each, + CSV zip
    .venv/bin/python benchmarks/bench_excel.py --units 1000 --runs 1
    .venv/bin/python benchmarks/bench_excel.py --small-only     # only 43 × 10 (ours, plain openpyxl, CSV zip)
    .venv/bin/python benchmarks/bench_excel.py --profile small  # cProfile of one workbook instead

Not a pytest test; it always exits 0 unless something raises.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook  # noqa: E402

from forms import DONT_KNOW, get_definition  # noqa: E402
from forms.schema import Field, FieldType  # noqa: E402
from reports import UnitRecord, compile_report, load_reference  # noqa: E402
from reports.excel.benchmark import (  # noqa: E402
    Flattener, indicator_rows, readme_lines, write_benchmark_csv, write_benchmark_workbook,
)
from reports.excel.codebook import CODEBOOK_COLUMNS, codebook_rows  # noqa: E402
from reports.excel.model import ExportUnit, WorkbookInfo  # noqa: E402
from reports.records import REGION_SLUGS  # noqa: E402

DATA = ROOT / "monitor" / "data"
FIRST_YEAR, YEARS, POOL = 2017, 10, 200
GROUP_ROWS = {"published_documents": 2, "budget_lines": 3, "grant_programmes": 3, "diaspora_activities": 4,
              "contact_persons": 2}
WORDS = ("atbalsts", "remigrācija", "uzņēmējdarbība", "dzīvoklis", "diaspora", "konsultācija", "programma",
         "pašvaldība", "ģimenes", "skola", "darba vietas", "informācija", "granti", "Cēsis", "Rēzekne")


# ----------------------------------------------------------------------------------------------- the data

def _text(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return ("- " + text) if rng.random() < 0.05 else text.capitalize() + "."


def answer(field: Field, rng: random.Random, year: int) -> Any:
    """A plausible typed answer (as ``forms.validate`` returns it) for any field type but groups."""
    kind = field.type
    dont_know = field.allow_dont_know and rng.random() < 0.05
    if kind in (FieldType.YES_NO_DK, FieldType.SINGLE_CHOICE):
        return rng.choice(field.choices).code
    if kind == FieldType.MULTI_CHOICE:
        return [c.code for c in rng.sample(field.choices, rng.randint(1, min(3, len(field.choices))))]
    if dont_know:
        return DONT_KNOW
    if kind == FieldType.INTEGER:
        return rng.choice((0, 1, 2, 3, 5, 8, 12, rng.randint(0, 400)))
    if kind == FieldType.SCALE:
        return rng.randint(int(field.min or 0), int(field.max or 10))
    if kind == FieldType.MONEY:
        return Decimal(rng.randint(0, 5_000_000)) / 100
    if kind == FieldType.PERCENT:
        return Decimal(rng.randint(0, 1000)) / 10
    if kind == FieldType.DECIMAL:
        return Decimal(rng.randint(0, int((field.max or 10) * 100))) / 100
    if kind == FieldType.DATE:
        return dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
    if kind == FieldType.URL:
        return f"https://www.{rng.choice(('cesis', 'rezekne', 'talsi'))}.lv/remigracija/{rng.randint(1, 999)}"
    if kind == FieldType.EMAIL:
        return f"persona{rng.randint(1, 999)}@pasvaldiba.lv"
    if kind == FieldType.PHONE:
        return f"+371 2{rng.randint(0, 9_999_999):07d}"
    return _text(rng, 40 if kind == FieldType.LONG_TEXT else 4)


def returns_pool(year: int, seed: int = 1) -> list[dict[str, Any]]:
    """``POOL`` complete returns of the 2026 definition (every field answered, groups with several rows)."""
    rng, definition = random.Random(seed), get_definition(2026)
    pool = []
    for _ in range(POOL):
        values: dict[str, Any] = {}
        for field in definition.iter_fields():
            if field.is_group:
                values[field.key] = [{"_uid": uuid.UUID(int=rng.getrandbits(128)).hex,
                                      **{c.key: answer(c, rng, year) for c in field.fields}}
                                     for _ in range(GROUP_ROWS.get(field.key, 2))]
            else:
                values[field.key] = answer(field, rng, year)
        pool.append(values)
    return pool


def demo_pool() -> list[dict[str, Any]]:
    """Realistic density: the demo's complete 2025 returns (built from the municipalities' real programmes and the
    2022 survey facts), as typed answers — many questions blank or "no", groups as long as the real ones."""
    from types import SimpleNamespace

    from forms import validate
    from monitor.demo_data import build_dataset

    data = json.loads((DATA / "municipalities.json").read_text(encoding="utf-8"))
    municipalities = [SimpleNamespace(**{**m, "region": SimpleNamespace(slug=m["region"])})
                      for m in data["municipalities"]]
    definition = get_definition(2025)
    return [validate(definition, r.answers).values for r in build_dataset(municipalities) if r.status == "submitted"]


def register(size: int) -> list[tuple[str, str, str, str]]:
    """(slug, name, region slug, region name): the real 43, or ``size`` synthetic units over the five regions."""
    data = json.loads((DATA / "municipalities.json").read_text(encoding="utf-8"))
    regions = {r["slug"]: r["name_lv"] for r in data["regions"]}
    if size == 43:
        return [(m["slug"], m.get("name_lv") or m["slug"], m["region"], regions[m["region"]])
                for m in data["municipalities"]]
    return [(f"unit-{i:05d}", f"Vienība {i}", REGION_SLUGS[i % 5], regions[REGION_SLUGS[i % 5]]) for i in range(size)]


def units(size: int, pool: list[dict[str, Any]]) -> Iterator[ExportUnit]:
    """A generator: year by year, every unit of the register."""
    members = register(size)
    index = 0
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        for slug, name, region, region_name in members:
            yield ExportUnit(slug, name, region, region_name, year, "approved", pool[index % len(pool)])
            index += 1


def compiled_reports() -> dict[int, dict]:
    """10 yearly reports of the 43 municipalities (the Indicators sheet does not grow with the register)."""
    reference = load_reference(json.loads((DATA / "survey-baseline.json").read_text(encoding="utf-8")))
    pool, members = returns_pool(2026, seed=7), register(43)
    reports, previous = {}, []
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        records = [UnitRecord(m[0], m[2], year, pool[i], "approved") for i, m in enumerate(members)]
        report = compile_report(year, records, reference=reference, previous=previous).to_dict()
        report.pop("units"), report.pop("tables")
        reports[year], previous = report, records
    return reports


def setup(data: str = "dense") -> dict[str, Any]:
    years = tuple(range(FIRST_YEAR, FIRST_YEAR + YEARS))
    info = WorkbookInfo(generated_at=dt.datetime.now(dt.timezone.utc), years=years, statuses=("approved",),
                        snapshots={y: f"snapshot {y}" for y in years}, sources=("2017 BISS — v1", "2022 — v1"))
    return {"definitions": {2025: get_definition(2025), 2026: get_definition(2026)},
            "pool": demo_pool() if data == "demo" else returns_pool(2026), "reports": compiled_reports(), "info": info}


# ---------------------------------------------------------------------------------------------- the cases

def ours(size: int, ctx: dict[str, Any], out: Any, *, csv: bool = False) -> dict[str, int]:
    write = write_benchmark_csv if csv else write_benchmark_workbook
    return write(out, definitions=ctx["definitions"], units=units(size, ctx["pool"]), reports=ctx["reports"],
                 info=ctx["info"])


def baseline_rows(ctx: dict[str, Any]) -> dict[str, Any]:
    """Everything the baseline writes, flattened before the clock starts (the same values as ours)."""
    flat = Flattener(ctx["definitions"], ctx["info"])
    pooled = [flat.rows(ExportUnit("", "", "", "", 2026, "", values)) for values in ctx["pool"]]
    return {
        "flat": flat,
        "data": [row[6:] for row, _ in pooled],
        "groups": [[[r[3:] for r in rows] for rows in groups] for _, groups in pooled],
        "codebook": [list(r.values()) for r in codebook_rows(ctx["definitions"])],
        "indicators": [values for values, _ in indicator_rows(ctx["reports"], "lv")],
        "readme": readme_lines(ctx["info"], {}),
    }


def baseline(size: int, ctx: dict[str, Any], out: Any, rows: dict[str, Any]) -> None:
    """The same cells with plain openpyxl write-only: no formats, no styles, no helpers."""
    flat = rows["flat"]
    wb = Workbook(write_only=True)
    readme, codebook, data = wb.create_sheet("README"), wb.create_sheet("Codebook"), wb.create_sheet("Data")
    groups = [wb.create_sheet(g.sheet) for g in flat.plan.groups]
    indicators, charts = wb.create_sheet("Indicators"), wb.create_sheet("Charts")
    codebook.append(CODEBOOK_COLUMNS)
    for line in rows["codebook"]:
        codebook.append(line)
    data.append(flat.data_header())
    for ws, group in zip(groups, flat.plan.groups):
        ws.append(flat.group_header(group))
    pool_data, pool_groups, index = rows["data"], rows["groups"], 0
    for unit in units(size, ctx["pool"]):
        slot = index % len(pool_data)
        data.append([unit.unit, unit.name, unit.region, unit.region_name, unit.year, unit.status, *pool_data[slot]])
        for ws, group_rows in zip(groups, pool_groups[slot]):
            for number, row in enumerate(group_rows, 1):
                ws.append([unit.unit, unit.year, number, *row])
        index += 1
    for line in rows["indicators"]:
        indicators.append(line)
    for line in rows["readme"]:
        readme.append(line)
    charts.append(["indicator"])
    wb.save(out)


def run_case(case: str, size: int, runs: int, data: str) -> dict[str, Any]:
    """Runs in the child process: median seconds (wall and this process's CPU), output MB, peak RSS MiB."""
    ctx = setup(data)
    rows = baseline_rows(ctx) if case == "baseline" else None
    times, cpu, size_mb, counts = [], [], 0.0, {}
    for _ in range(runs):
        with tempfile.TemporaryFile() as out:
            started, started_cpu = time.perf_counter(), time.process_time()
            if case == "baseline":
                baseline(size, ctx, out, rows)  # type: ignore[arg-type]
            else:
                counts = ours(size, ctx, out, csv=case == "csv")
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
            size_mb = out.tell() / 1e6
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"median": statistics.median(times), "runs": times, "cpu": statistics.median(cpu), "mb": size_mb,
            "rss": rss, "data_rows": counts.get("Data", counts.get("data.csv", 0))}


def child(case: str, size: int, runs: int, data: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, "--child", case, "--units", str(size), "--runs", str(runs),
                           "--data", data],
                          capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
    return json.loads(done.stdout.strip().splitlines()[-1])


def profile(size: int, top: int, data: str) -> str:
    ctx = setup(data)
    profiler = cProfile.Profile()
    profiler.enable()
    ours(size, ctx, io.BytesIO())
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000, help="size of the synthetic register (default 5000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per case (median)")
    parser.add_argument("--no-csv", action="store_true", help="skip the CSV zip")
    parser.add_argument("--small-only", action="store_true", help="only the 43 × 10 workload")
    parser.add_argument("--profile", choices=("small", "large"), help="print a cProfile of one workbook only")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--data", choices=("dense", "demo"), default="dense",
                        help="dense: every question answered (the worst case); demo: the demo's real-looking returns")
    parser.add_argument("--child", choices=("ours", "baseline", "csv"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_case(args.child, args.units, args.runs, args.data)))
        return
    if args.profile:
        print(profile(43 if args.profile == "small" else args.units, args.top, args.data))
        return
    print(f"data: {args.data}")
    print(f"{'case':<34}{'median s':>10}{'runs':>26}{'CPU s':>8}{'MB':>8}{'peak RSS MiB':>14}{'vs baseline':>13}"
          f"{'CPU vs baseline':>17}")
    for size, goal in ((43, 2.0), (args.units, 60.0))[:1 if args.small_only else 2]:
        base = child("baseline", size, args.runs, args.data)
        cases = [("ours", "xlsx"), ("baseline", "plain openpyxl")] + ([] if args.no_csv else [("csv", "CSV zip")])
        for case, label in cases:
            result = base if case == "baseline" else child(case, size, args.runs, args.data)
            ratio = result["median"] / base["median"]
            runs = " ".join(f"{t:.2f}" for t in result["runs"])
            print(f"{f'{size} × {YEARS} {label}':<34}{result['median']:>10.2f}{' ' + runs:>26}{result['cpu']:>8.2f}"
                  f"{result['mb']:>8.1f}{result['rss']:>14.0f}{ratio:>12.2f}×{result['cpu'] / base['cpu']:>16.2f}×")
            if case == "ours":
                verdict = "OK" if result["median"] < goal else "OVER"
                print(f"  → xlsx goal < {goal:.0f} s: {verdict}; ratio goal ≤ 1.3×: "
                      f"{'OK' if ratio <= 1.3 else 'OVER'} ({result['data_rows']} Data rows)")


if __name__ == "__main__":
    main()
