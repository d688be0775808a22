"""Everything on the report pages in the reader's language (issue 11): words instead of internal codes outside the
"about this figure" blocks, every report string translated, region names in the reader's language, and the codes
a citing researcher needs inside "about this figure"."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from tests.factories import complete_answers, make_return

ROOT = Path(__file__).resolve().parents[2]
PO_FILE = ROOT / "monitor" / "translations" / "lv" / "LC_MESSAGES" / "messages.po"
REPORT_SOURCES = [*sorted((ROOT / "monitor" / "templates" / "reporting").glob("*.html")),
                  ROOT / "monitor" / "reporting" / "charts.py", ROOT / "monitor" / "reporting" / "presentation.py",
                  ROOT / "monitor" / "reporting" / "views.py"]
TOPICALITY = "remigration_promotion_topicality.very_or_rather_topical"
ABOUT = re.compile(r'<details class="about-figure">.*?</details>', re.S)
STATUSES = ("not_started", "draft", "submitted", "returned", "resubmitted", "approved")
COMPUTATIONS = ("share", "count", "mean", "median", "sd", "mode", "min", "max", "sum", "sum_eur", "crosstab")
NOT_ENGLISH_WORDS = ("crosstab", "sum_eur", "sd")  # computation codes that are no English word either
LATVIAN_WORDS = {"no", "un", "ir", "par", "uz", "ar", "nav", "kopā"}  # codes that are also Latvian words
HEX = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12,}\b")
#: English words that have no business in the text of a Latvian page
ENGLISH = ("the", "and", "of", "with", "is", "not", "for", "from", "this", "that", "only", "read", "care", "share",
           "note", "base", "seed", "report", "line", "compared", "municipalities", "region", "planning", "survey",
           "shown", "change", "approved", "values", "value", "question", "answered", "counted", "topical",
           "yes", "data", "computation", "previous", "year", "about")


def _visible(html: str, *, about: bool = False) -> str:
    """The text a reader sees (tags and attributes removed); outside the about-figure blocks unless ``about``."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = "\n".join(ABOUT.findall(html)) if about else ABOUT.sub(" ", html)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _word(token: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w.-])" + re.escape(token) + r"(?![\w-])")


def _around(text: str, token: str) -> str:
    found = _word(token).search(text) or re.search(re.escape(token), text)
    return " ".join(text[max(0, found.start() - 60):found.end() + 30].split()) if found else ""


@pytest.fixture
def report(app, users):
    """A 2026 report with approved returns in all five regions (varied answers) and a 2025 year before it."""
    from monitor.extensions import db
    from monitor.reporting.models import ReportSnapshot
    from monitor.reporting.operations import compile_snapshot, load_reference_data

    places = [("cesu-novads", {}), ("liepaja", {"remigration_promotion_topicality": "very_topical",
                                                "support_programmes_needed": "very_necessary"}),
              ("siguldas-novads", {"remigration_promotion_topicality": "hard_to_say",
                                   "housing_shortage_topicality": "very_topical"}),
              ("bauskas-novads", {"remigration_promotion_topicality": "rather_not_topical",
                                  "plans_measures_next_5y": "no"}),
              ("balvu-novads", {"state_support_sufficiency_score": 2, "eu_state_grant_uptake_score": 3}),
              ("valmieras-novads", {"state_support_sufficiency_score": 9, "eu_state_grant_uptake_score": 6})]
    for slug, changes in places:
        make_return(app, slug, 2026, {**complete_answers(), **changes}, actor_id=users["admin"].id,
                    status="approved")
    make_return(app, "cesu-novads", 2025, complete_answers(2025), actor_id=users["admin"].id, status="approved")
    with app.app_context():
        load_reference_data()
        compile_snapshot(2025)
        snapshot, _new = compile_snapshot(2026)
        db.session.commit()
        return db.session.get(ReportSnapshot, snapshot.id).payload


@pytest.fixture
def readers(app, users, login_as):
    """A Latvian and an English researcher, signed in."""
    from tests.conftest import login, make_user

    english = make_user(app, "researcher-en@test.lv", "researcher", locale="en")
    return {"lv": login_as("researcher"), "en": login(app.test_client(), english)}


def _pages(payload) -> list[str]:
    urls = ["/reports/?year=2026"]
    urls += [f"/reports/2026/indicators/{i['key']}" for i in payload["indicators"]]
    urls += [f"/reports/2026/tables/{t['key']}" for t in payload["tables"]]
    urls += [f"/reports/2026/regions/{r['slug']}" for r in payload["regions"]]
    urls += ["/reports/2026/municipalities/cesu-novads", "/reports/2026/municipalities/liepaja"]
    return urls


def _codes(payload) -> set[str]:
    """Every internal code the payload holds that must not be read outside "about this figure"."""
    codes: set[str] = set()
    for item in payload["indicators"]:
        codes.add(item["key"])
        codes.update(item["fields"])
        codes.update(item["codes"])
        for extra in (item.get("row_filter"), item.get("restrict_to")):
            if extra:
                codes.add(extra[0])
                codes.update(extra[1])
        if item.get("column"):
            codes.add(item["column"])
        value = item["national"]["value"]
        if isinstance(value, dict):  # a crosstab's answer codes
            codes.update(value["rows"])
            codes.update(value["cols"])
        for fig in [item["national"], *item["regions"].values()]:
            for c in fig["comparisons"]:
                codes.add(c["reference_key"])
    for table in payload["tables"]:
        codes.add(table["key"])
        codes.update(c["key"] for c in table["columns"])
        codes.update(r["key"] for r in table["rows"])
        codes.update(table["summary"])
    codes.update({"r_squared", "n_incomplete", "biss_2017", "survey_2022", "mean_score", "percentage_points"})
    return codes


def test_no_internal_code_outside_about_this_figure_in_either_language(report, readers):
    codes = _codes(report)
    # a code that is an ordinary English word ("yes", "other", "total", "n") is only looked for on Latvian pages
    snake = {c for c in codes if "_" in c or "." in c}
    plain = {c for c in codes - snake if len(c) > 1 and not c.isdigit()} - LATVIAN_WORDS
    checked = 0
    problems: list[str] = []
    for url in _pages(report):
        for locale, client in readers.items():
            response = client.get(url)
            assert response.status_code == 200, (url, locale)
            html = response.get_data(as_text=True)
            text = _visible(html)
            found = [c for c in snake if _word(c).search(text)]
            if locale == "lv":
                found += [c for c in plain | set(STATUSES) | set(COMPUTATIONS) if _word(c).search(text)]
            else:
                found += [c for c in NOT_ENGLISH_WORDS + ("not_started",) if _word(c).search(text)]
                found += [c for c in ("Computation: share", "Computation: mean", "(approved)") if c in text]
            found += HEX.findall(text)
            found += re.findall(r"\bL\d{3,5}\b", text)  # seed-report line references
            problems += [f"{url} ({locale}): {c!r} in …{_around(text, c)}…" for c in sorted(set(found))]
            checked += 1
    assert not problems, "internal codes outside 'about this figure':\n" + "\n".join(problems)
    assert checked == 2 * len(_pages(report))


def test_latvian_pages_have_no_english_and_english_pages_have_english_region_names(app, report, readers):
    from monitor.reporting.queries import place_names

    with app.app_context():
        lv_names, en_names = place_names("lv"), place_names("en")
    region_slugs = [r["slug"] for r in report["regions"]]
    assert en_names["riga-region"] == "Riga Planning Region"
    for url in _pages(report):
        lv = _visible(readers["lv"].get(url).get_data(as_text=True))
        en = _visible(readers["en"].get(url).get_data(as_text=True))
        leaks = sorted({w for w in ENGLISH if re.search(rf"(?<!\w){w}(?!\w)", lv, flags=re.I)})
        assert not leaks, f"{url}: English words on the Latvian page: {leaks}"
        for slug in region_slugs:  # Latvian region names never on an English page
            assert lv_names[slug] not in en, f"{url}: {lv_names[slug]!r} on the English page"
    landing = _visible(readers["en"].get("/reports/?year=2026").get_data(as_text=True))
    for slug in region_slugs:
        assert en_names[slug] in landing
    indicator = _visible(readers["en"].get(f"/reports/2026/indicators/{TOPICALITY}").get_data(as_text=True))
    assert "Riga Planning Region" in indicator and "Latgale Planning Region" in indicator
    assert "Par šo rādītāju" in readers["lv"].get(f"/reports/2026/indicators/{TOPICALITY}").get_data(as_text=True)


def test_every_report_string_has_a_latvian_translation():
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    with PO_FILE.open("rb") as fp:
        catalog = read_po(fp, locale="lv")
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}
    seen = 0
    for path in REPORT_SOURCES:
        method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
        for _line, message, _comments, _context in extract_from_file(method, str(path), keywords=keywords):
            msgid = message if isinstance(message, str) else message[0]
            entry = catalog.get(msgid)
            assert entry is not None, f"{path.name}: {msgid!r} is not in the Latvian catalogue"
            assert not entry.fuzzy, f"{path.name}: {msgid!r} is fuzzy"
            strings = entry.string if isinstance(entry.string, (list, tuple)) else [entry.string]
            assert all(s.strip() for s in strings), f"{path.name}: {msgid!r} has no Latvian text"
            seen += 1
    assert seen > 100
    assert catalog.get("Previous year").string == "Iepriekšējais gads"
    assert catalog.get("About this figure").string == "Par šo rādītāju"


def test_about_this_figure_holds_the_codes_a_researcher_cites(report, readers):
    item = next(i for i in report["indicators"] if i["key"] == TOPICALITY)
    lines = {c["reference_source_line"] for c in item["national"]["comparisons"] if c["reference_source_line"]}
    assert lines, "the topicality figure is compared with a published figure"
    for locale, client in readers.items():
        html = client.get(f"/reports/2026/indicators/{TOPICALITY}").get_data(as_text=True)
        about = _visible(html, about=True)
        assert ("About this figure" if locale == "en" else "Par šo rādītāju") in about
        assert TOPICALITY in about
        for field in item["fields"]:
            assert field in about
        for code in item["codes"]:  # the categories counted, as codes and as labels
            assert code in about
        assert ("Very topical" if locale == "en" else "Ļoti aktuāl") in about
        assert "share" in about and "denominator=" in about
        assert any(str(line) in about for line in lines)
    # the reference notes in the reader's language
    lv_about = _visible(readers["lv"].get(f"/reports/2026/indicators/{TOPICALITY}").get_data(as_text=True),
                        about=True)
    assert "in English only" not in lv_about and "tikai angliski" not in lv_about
    # a table: its source and summary keys
    scatter = readers["en"].get("/reports/2026/tables/state_support_vs_grant_uptake").get_data(as_text=True)
    about = _visible(scatter, about=True)
    assert "r_squared" in about and "L3503" in about and "state_support_vs_grant_uptake" in about
    assert "Coefficient of determination" in _visible(scatter)


def test_a_snapshot_compiled_before_keeps_reading(app, report, readers):
    """Payloads compiled before notes had two languages: the pages render, the old English notes only inside
    "about this figure", the reasons read back from the English note in the reader's language."""
    import copy

    from sqlalchemy import select

    from monitor.extensions import db
    from monitor.reporting.models import ReportSnapshot

    def strip(obj):
        if isinstance(obj, dict):
            for key in ("reasons", "reference_note_lv", "reference_note_en", "reference_source_line_end",
                        "note_lv", "notes_lv"):
                obj.pop(key, None)
            for value in obj.values():
                strip(value)
        elif isinstance(obj, list):
            for value in obj:
                strip(value)

    with app.app_context():
        snapshot = db.session.scalar(select(ReportSnapshot).where(ReportSnapshot.year == 2026)
                                     .order_by(ReportSnapshot.id.desc()))
        payload = copy.deepcopy(snapshot.payload)
        strip(payload)
        snapshot.payload = payload
        db.session.commit()
    from monitor.reporting import models

    for cache in (getattr(models, "PAYLOADS", None), getattr(models, "SUMMARIES", None)):  # decoded once per process
        if cache is not None:
            cache.clear()
    item = next(i for i in payload["indicators"] if i["key"] == TOPICALITY)
    english_note = next(c["note"] for c in item["national"]["comparisons"] if c["note"])
    html = readers["lv"].get(f"/reports/2026/indicators/{TOPICALITY}").get_data(as_text=True)
    assert "tikai angliski" in _visible(html, about=True)
    tail = english_note[-40:]
    assert tail in unescape(html) and tail not in _visible(html)
    for url in _pages(payload):
        assert readers["lv"].get(url).status_code == 200
        assert readers["en"].get(url).status_code == 200
