#!/usr/bin/env python
"""How fast are the pages of the yearly return? Render and save of every section, and the submission check.

Builds the application on a temporary SQLite database (and, when ``DATABASE_URL`` is set, also on that
PostgreSQL database, inside a private schema that is dropped afterwards), runs the migrations, loads the
registry and the reporting periods, creates an editor and a realistically sized 2026 return (every section
answered, 8 grant programmes, 15 diaspora activities, 3 contact persons, 5 budget lines, 3 documents), signs
in with the Flask test client and measures with ``time.perf_counter``:

(a) GET of every section page; (b) POST of every section with the values the page shows (as a browser would
send them), ``action=save`` and the page's ``base_version``; (c) GET of the submission check page.

Each measurement: ``--warmup`` rounds (default 3) that are not counted, then ``--runs`` rounds (default 50).
The goal is under 100 ms per request. The saves post unchanged values, so the return does not change between
rounds (the script checks this: a save that changes something would be a round-trip bug).

Usage::

    .venv/bin/python benchmarks/bench_return_form.py                 # SQLite
    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/bench_return_form.py              # SQLite, then PostgreSQL
    .venv/bin/python benchmarks/bench_return_form.py --with-previous  # + a submitted 2025 return
    .venv/bin/python benchmarks/bench_return_form.py --profile 10     # + cProfile of 10 full-form rounds

Not a pytest test; it always exits 0 unless the set-up itself fails.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import logging
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

from werkzeug.datastructures import MultiDict

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

YEAR = 2026
SLUG = "cesu-novads"
PASSWORD = "benchmark password 123"
GOAL_MS = 100.0


# ----------------------------------------------------------------------------------------------- the data

def realistic_answers() -> dict[str, Any]:
    """Every section answered; repeating groups of a busy municipality."""
    from tests.factories import complete_answers

    answers = complete_answers(YEAR)
    kinds = ["startup_grant", "innovation", "social_enterprise", "youth_ideas", "project_cofinancing",
             "remigrant_business"]
    answers["grant_programmes"] = [{
        "name": f"Cēsu novada atbalsta programma Nr. {i + 1}", "kind": kinds[i % len(kinds)],
        "target_group": "jaunie uzņēmēji un remigranti", "eligibility": "open_to_all" if i % 3 else "remigrants_only",
        "max_grant_eur": str(3000 + 500 * i), "total_fund_eur": str(20000 + 5000 * i), "cofinancing_pct": "10",
        "applications_received": 20 + i, "applications_evaluated": 15 + i, "applications_supported": 5 + i // 2,
        "remigrant_extra_points": "yes" if i % 2 else "no", "jobs_created": 3 + i, "firms_operating_after_1y": 2 + i // 3,
    } for i in range(8)]
    activity_types = ["visit_abroad", "online_meeting", "reunion", "camp", "newsletter", "social_media_group"]
    countries = ["Īrija", "Vācija", "Norvēģija", "Lielbritānija", "Zviedrija"]
    answers["diaspora_activities"] = [{
        "activity_type": activity_types[i % len(activity_types)], "activity_date": f"2026-{1 + i % 12:02d}-{10 + i:02d}",
        "is_online": "yes" if i % 2 else "no", "country": countries[i % len(countries)], "participants": 10 + 3 * i,
        "activity_note": f"Tikšanās ar diasporas pārstāvjiem ({i + 1})",
    } for i in range(15)]
    answers["contact_persons"] = [{
        "name": name, "position": position, "fte_share": share, "email": email, "phone": phone,
        "languages": langs, "is_public": "yes",
    } for name, position, share, email, phone, langs in [
        ("Ilze Bērziņa", "Attīstības nodaļas vadītāja", "0,2", "ilze.berzina@cesis.lv", "+371 26000001", ["lv", "en"]),
        ("Jānis Ozols", "Remigrācijas koordinators", "1", "janis.ozols@cesis.lv", "+371 26000002", ["lv", "en", "ru"]),
        ("Anna Kalniņa", "Uzņēmējdarbības speciāliste", "0,5", "anna.kalnina@cesis.lv", "+371 26000003", ["lv", "de"]),
    ]]
    sources = ["own_budget", "varam", "eu_eea", "leader", "other"]
    answers["budget_lines"] = [{
        "source": sources[i], "planned_eur": str(5000 * (i + 1)), "spent_eur": str(4000 * (i + 1)),
        "purpose": f"Budžeta pozīcija {i + 1}",
    } for i in range(5)]
    answers["published_documents"] = [{
        "document_title": f"Dokuments {i + 1}", "document_url": f"https://www.cesis.lv/dokumenti/{i + 1}",
    } for i in range(3)]
    answers.update({
        "respondent_phone": "+371 64161800", "predecessor_units_note": "Apvienotā novada pārvaldes.",
        "measures_5y_types": ["business_start_support", "housing_support", "website_information"],
        "support_offered_to_remigrants": "Konsultācijas, granti, mājokļi speciālistiem.",
        "job_partners": ["esi_lv", "nva_eures"], "cooperation_partners": ["nva", "liaa", "ngos"],
        "joint_activities": "Kopīgi pasākumi ar Vidzemes plānošanas reģionu.",
    })
    return answers


# ------------------------------------------------------------------------------------- the form, as posted

class _FormParser(HTMLParser):
    """The successful controls of ``<form class="return-form">`` (what a browser sends), in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.fields: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and "return-form" in a.get("class", "").split():
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.fields.append((self._textarea, text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self.in_form = False


def form_fields(html: str) -> list[tuple[str, str]]:
    parser = _FormParser()
    parser.feed(html)
    return parser.fields


def base_version(fields: list[tuple[str, str]]) -> int:
    return int(dict(fields)["base_version"])


# ------------------------------------------------------------------------------------------------ the set-up

@dataclass
class Target:
    label: str
    url: str  # SQLAlchemy URL
    engine_options: dict[str, Any] = field(default_factory=dict)
    cleanup: Callable[[], None] | None = None


def sqlite_target(tmp: str) -> Target:
    return Target("SQLite", f"sqlite:///{tmp}/bench.sqlite3")


def postgres_target(url: str) -> Target:
    """A private schema in the given database (nothing else there is touched); dropped at the end."""
    import sqlalchemy as sa

    from monitor.config import normalise_database_url

    url = normalise_database_url(url)
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))

    def cleanup() -> None:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    return Target("PostgreSQL", url, {"pool_pre_ping": True, "connect_args": {"options": f"-csearch_path={schema}"}},
                  cleanup)


def build_app(target: Target, instance_dir: str) -> Any:
    from flask_migrate import upgrade

    from monitor import create_app
    from monitor.cli import ensure_periods
    from monitor.extensions import db
    from monitor.registry.operations import load_registry

    config = {  # as tests/conftest.py test_config: cheapest hashing, no CSRF, no rate limits, plain-http cookies
        "TESTING": True, "SECRET_KEY": "bench-secret", "WTF_CSRF_ENABLED": False, "ARGON2_PROFILE": "CHEAPEST",
        "RATELIMIT_ENABLED": False, "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
        "SQLALCHEMY_DATABASE_URI": target.url,
    }
    if target.engine_options:
        config["SQLALCHEMY_ENGINE_OPTIONS"] = target.engine_options
    app = create_app(config)
    with app.app_context():
        logging.disable(logging.INFO)  # Alembic's env.py configures its own INFO logging
        try:
            upgrade(directory=str(ROOT / "migrations"))
        finally:
            logging.disable(logging.NOTSET)
        load_registry()
        ensure_periods()
        db.session.commit()
    return app


def create_editor_and_return(app: Any, with_previous: bool = False) -> None:
    from sqlalchemy import select

    from monitor.auth.models import Role
    from monitor.auth.operations import create_user
    from monitor.extensions import db
    from monitor.registry.models import Municipality
    from tests.factories import make_return

    with app.app_context():
        municipality = db.session.scalar(select(Municipality).where(Municipality.slug == SLUG))
        user = create_user(email="bench.editor@cesis.lv", name="Bench Editor", password=PASSWORD, role=Role.EDITOR,
                           municipality=municipality, region=None, locale="lv")
        db.session.commit()
        user_id = user.id
    if with_previous:  # last year's submitted return: every page then also loads it for year-on-year checks
        from forms import get_definition

        keys = {f.key for f in get_definition(YEAR - 1).iter_fields()}
        last_year = {k: v for k, v in realistic_answers().items() if k in keys}
        make_return(app, SLUG, YEAR - 1, last_year, actor_id=user_id, status="submitted")
    make_return(app, SLUG, YEAR, realistic_answers(), actor_id=user_id)


def quiet_logging() -> None:
    for name in ("alembic", "alembic.runtime.migration", "werkzeug"):
        logging.getLogger(name).setLevel(logging.WARNING)


# ------------------------------------------------------------------------------------------- the measurement

@dataclass
class Results:
    label: str
    render: dict[str, list[float]]
    save: dict[str, list[float]]
    render_total: list[float]
    save_total: list[float]
    submit: list[float]
    overview: list[float]
    page_sizes: dict[str, int]
    notes: list[str]


def measure(app: Any, runs: int, warmup: int, label: str) -> Results:
    from forms import get_definition

    keys = [s.key for s in get_definition(YEAR).sections]
    client = app.test_client()
    response = client.post("/login", data={"email": "bench.editor@cesis.lv", "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    base = f"/returns/{SLUG}/{YEAR}"

    render = {k: [] for k in keys}
    save = {k: [] for k in keys}
    render_total: list[float] = []
    save_total: list[float] = []
    submit: list[float] = []
    overview: list[float] = []
    sizes: dict[str, int] = {}
    notes: list[str] = []
    versions: dict[str, int] = {}
    posted: dict[str, list[tuple[str, str]]] = {}  # what the page showed in the previous round

    for round_no in range(warmup + runs):
        counted = round_no >= warmup
        r_sum = s_sum = 0.0
        for key in keys:
            url = f"{base}/sections/{key}"
            t0 = time.perf_counter()
            response = client.get(url)
            html = response.get_data(as_text=True)
            elapsed = time.perf_counter() - t0
            assert response.status_code == 200, (key, response.status_code)
            sizes[key] = len(response.data)
            fields = form_fields(html)
            version = base_version(fields)
            shown = [(n, v) for n, v in fields if n != "csrf_token"]  # the token is re-signed every second
            if key in posted and shown != posted[key]:
                changed = sorted({n for n, v in set(shown) ^ set(posted[key])})
                notes.append(f"{key}: the form shows different values after saving it unchanged: {changed[:5]}")
            posted[key] = shown
            if counted:
                render[key].append(elapsed)
                r_sum += elapsed
            data = MultiDict([*fields, ("action", "save")])
            t0 = time.perf_counter()
            response = client.post(url, data=data)
            elapsed = time.perf_counter() - t0
            if response.status_code != 302:
                raise SystemExit(f"saving {key} failed with {response.status_code}: "
                                 f"{response.get_data(as_text=True)[:2000]}")
            if counted:
                save[key].append(elapsed)
                s_sum += elapsed
            if key in versions and versions[key] != version:
                notes.append(f"{key}: saving unchanged values changed the return (version {versions[key]} → {version})")
            versions[key] = version
        t0 = time.perf_counter()
        response = client.get(f"{base}/submit")
        response.get_data()
        elapsed = time.perf_counter() - t0
        assert response.status_code == 200, response.status_code
        sizes["(submit check)"] = len(response.data)
        t1 = time.perf_counter()
        response = client.get(base)
        response.get_data()
        elapsed_overview = time.perf_counter() - t1
        assert response.status_code == 200
        if counted:
            render_total.append(r_sum)
            save_total.append(s_sum)
            submit.append(elapsed)
            overview.append(elapsed_overview)
    # is the stored return still the one we made (nothing changed by unchanged saves)?
    final = base_version(form_fields(client.get(f"{base}/sections/{keys[0]}").get_data(as_text=True)))
    if final != 1 + 1:  # version 1 at start, +1 for make_return's write
        notes.append(f"the return's version is {final} after {warmup + runs} rounds of unchanged saves (expected 2)")
    return Results(label, render, save, render_total, save_total, submit, overview, sizes, sorted(set(notes)))


def ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))] * 1000


def report(res: Results, runs: int, warmup: int) -> None:
    print(f"\n=== {res.label}: median of {runs} runs after {warmup} warm-ups (p90 in brackets), milliseconds")
    print(f"{'section':<22}{'render (GET)':>20}{'save (POST)':>20}{'page KiB':>10}")
    for key in res.render:
        print(f"{key:<22}{ms(res.render[key]):>11.1f} [{p90(res.render[key]):>6.1f}]"
              f"{ms(res.save[key]):>11.1f} [{p90(res.save[key]):>6.1f}]{res.page_sizes[key] / 1024:>10.1f}")
    print("-" * 72)
    print(f"{'full form (15 sect.)':<22}{ms(res.render_total):>11.1f} [{p90(res.render_total):>6.1f}]"
          f"{ms(res.save_total):>11.1f} [{p90(res.save_total):>6.1f}]")
    print(f"{'submit check (GET)':<22}{ms(res.submit):>11.1f} [{p90(res.submit):>6.1f}]{'':>20}"
          f"{res.page_sizes['(submit check)'] / 1024:>10.1f}")
    print(f"{'overview (GET)':<22}{ms(res.overview):>11.1f} [{p90(res.overview):>6.1f}]")
    worst_render = max(res.render, key=lambda k: ms(res.render[k]))
    worst_save = max(res.save, key=lambda k: ms(res.save[k]))
    per_request = [ms(res.render[worst_render]), ms(res.save[worst_save]), ms(res.submit)]
    verdict = "MET" if all(v < GOAL_MS for v in per_request) else "NOT MET"
    full_verdict = "also" if ms(res.render_total) < GOAL_MS and ms(res.save_total) < GOAL_MS else "not"
    print(f"SUMMARY {res.label}: goal <{GOAL_MS:.0f} ms per request {verdict} — slowest section render "
          f"{ms(res.render[worst_render]):.1f} ms ({worst_render}), slowest section save "
          f"{ms(res.save[worst_save]):.1f} ms ({worst_save}), submit check {ms(res.submit):.1f} ms; full form "
          f"render {ms(res.render_total):.1f} ms / save {ms(res.save_total):.1f} ms ({full_verdict} under "
          f"{GOAL_MS:.0f} ms)")
    for note in res.notes:
        print(f"NOTE: {note}")


def profile(app: Any, rounds: int, label: str, top: int, args_sort: str = "cumulative") -> None:
    """cProfile of ``rounds`` full-form renders and saves plus submit checks (what dominates?)."""
    from forms import get_definition

    keys = [s.key for s in get_definition(YEAR).sections]
    client = app.test_client()
    client.post("/login", data={"email": "bench.editor@cesis.lv", "password": PASSWORD})
    base = f"/returns/{SLUG}/{YEAR}"
    pages = {k: form_fields(client.get(f"{base}/sections/{k}").get_data(as_text=True)) for k in keys}
    for kind in ("render", "save", "submit"):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(rounds):
            if kind == "submit":
                client.get(f"{base}/submit").get_data()
                continue
            for key in keys:
                if kind == "render":
                    client.get(f"{base}/sections/{key}").get_data()
                else:
                    client.post(f"{base}/sections/{key}", data=MultiDict([*pages[key], ("action", "save")]))
        profiler.disable()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        shares = _by_package(stats)
        stats.strip_dirs().sort_stats(args_sort).print_stats(top)
        print(f"\n--- cProfile {label}: {kind}, {rounds} rounds ({'1 page' if kind == 'submit' else '15 sections'} "
              f"per round), sorted by {args_sort} time")
        text = out.getvalue()
        total = re.search(r"([\d.]+) seconds", text)
        per = float(total.group(1)) / rounds * 1000 if total else 0.0
        print(f"(profiled total {total.group(1) if total else '?'} s, {per:.0f} ms per round incl. profiler overhead)")
        whole = sum(shares.values()) or 1.0
        print("own time by package: " + ", ".join(
            f"{name} {100 * t / whole:.0f}%" for name, t in sorted(shares.items(), key=lambda kv: -kv[1]) if t / whole >= 0.01))
        print(text[max(0, text.find("   ncalls")):].strip())


_PACKAGES = (  # (label, path fragment) in order of precedence
    ("templates", ".html"), ("monitor app code", "/monitor/"), ("forms (validation)", "/forms/"),
    ("SQLAlchemy", "/sqlalchemy/"), ("psycopg", "/psycopg"), ("Jinja2 runtime", "/jinja2/"), ("Werkzeug", "/werkzeug/"),
    ("Flask + extensions", "/flask"), ("MarkupSafe", "/markupsafe/"), ("Babel", "/babel/"),
    ("json", "/json/"), ("sqlite3", "sqlite3"),
)


def _by_package(stats: pstats.Stats) -> dict[str, float]:
    """Own (tottime) seconds per package: which layer spends the time."""
    shares: dict[str, float] = {}
    for (filename, _line, func), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename + func
        label = next((name for name, frag in _PACKAGES if frag in where), "other (builtins, stdlib)")
        if label == "other (builtins, stdlib)" and "sqlite3" in func:
            label = "sqlite3"
        shares[label] = shares.get(label, 0.0) + tottime
    return shares


def run(target: Target, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="monitor-bench-instance-") as instance_dir:
        os.environ["MONITOR_INSTANCE_PATH"] = instance_dir  # no instance/config.py of the working copy
        try:
            t0 = time.perf_counter()
            app = build_app(target, instance_dir)
            create_editor_and_return(app, args.with_previous)
            if args.with_previous:
                target.label += f" + {YEAR - 1} return"
            print(f"\n[{target.label}] set-up (migrations, registry, periods, return) "
                  f"{time.perf_counter() - t0:.1f} s; database {target.url.split('@')[-1]}")
            results = measure(app, args.runs, args.warmup, target.label)
            report(results, args.runs, args.warmup)
            if args.profile:
                profile(app, args.profile, target.label, args.top, args.sort)
        finally:
            try:
                from monitor.extensions import db

                with app.app_context():  # type: ignore[possibly-undefined]
                    db.engine.dispose()
            except Exception:  # noqa: BLE001 - the app may not exist if the set-up failed
                pass
            if target.cleanup:
                target.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profile", type=int, default=0, metavar="ROUNDS",
                        help="also cProfile this many rounds of full-form render/save and submit check")
    parser.add_argument("--top", type=int, default=30, help="rows of each profile to print")
    parser.add_argument("--sort", default="cumulative", choices=["cumulative", "tottime"], help="profile order")
    parser.add_argument("--with-previous", action="store_true",
                        help=f"also store a submitted {YEAR - 1} return (year-on-year checks load it on every page)")
    parser.add_argument("--sqlite-only", action="store_true", help="ignore DATABASE_URL")
    args = parser.parse_args(argv)
    quiet_logging()
    database_url = os.environ.pop("DATABASE_URL", "")  # the app must not pick it up for the SQLite run
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}; {os.cpu_count()} CPUs, load average {load}; {args.runs} runs after "
          f"{args.warmup} warm-ups; goal <{GOAL_MS:.0f} ms per request")
    with tempfile.TemporaryDirectory(prefix="monitor-bench-") as tmp:
        run(sqlite_target(tmp), args)
    if database_url and not args.sqlite_only:
        run(postgres_target(database_url), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
