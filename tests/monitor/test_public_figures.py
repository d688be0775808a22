"""Public comparative figures (issue 12, part 3): the latest report compiled from approved returns only, in both
languages, without login; people counts of 1–2 only as "fewer than 3" (tables, SVG titles, series, map); the map
colours only approved municipalities and links to no researcher page; caching like the profiles."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.factories import compile_year as _compile
from tests.factories import complete_answers, make_return

PERSONS = "returnees_persons.sum"
CHILDREN = "returnees_children.sum"
TOPICALITY = "remigration_promotion_topicality.very_or_rather_topical"
VIDZEME = "vidzeme-region"


def _answers(persons: int, children: int) -> dict:
    answers = complete_answers()
    answers.update(returnees_persons=persons, returnees_children=children, returnees_families=min(persons, 1))
    return answers



@pytest.fixture
def figures(app, users):
    """2025: Cēsis approved with 1 returnee. 2026: Cēsis (Vidzeme) approved with 2 returnees and 0 children,
    Liepāja (Kurzeme) approved with 25 and 9, Valmiera (Vidzeme) submitted with 7 — then a later compilation of
    2026 that also counts submitted returns, which the public must not see."""
    editor, other, admin = users["editor"].id, users["editor_other"].id, users["admin"].id
    make_return(app, "cesu-novads", 2025, _answers(1, 0), actor_id=editor, status="approved")
    make_return(app, "cesu-novads", 2026, _answers(2, 0), actor_id=editor, status="approved")
    make_return(app, "liepaja", 2026, _answers(25, 9), actor_id=other, status="approved")
    make_return(app, "valmieras-novads", 2026, _answers(7, 4), actor_id=admin, status="submitted")
    ids = {"2025": _compile(app, 2025), "2026": _compile(app, 2026)}
    ids["2026-submitted"] = _compile(app, 2026, frozenset({"approved", "submitted"}))
    assert ids["2026-submitted"] > ids["2026"]
    return ids


def _get(client, url: str, locale: str | None = None, status: int = 200) -> str:
    if locale:
        client.post("/public/language", data={"locale": locale})
    response = client.get(url)
    assert response.status_code == status, url
    return response.get_data(as_text=True)


def _visible(page: str) -> str:
    """The page's text as a reader sees it (SVG titles and texts included), without tags or entities."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", page))


def _links(page: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<a [^>]*href="([^"]+)"', page)]


def _shown_numbers(page: str) -> list[str]:
    """Every value a chart or the map states: the text of SVG ``<title>``s after the last ": " and of chart value
    labels, up to the base "(n = …)" — what a people count of 1–2 must never be."""
    found = []
    for tip in re.findall(r"<title>(.*?)</title>", page, re.S):
        tip = unescape(tip)
        if ": " in tip:
            found.append(tip.rsplit(": ", 1)[1].split(" (n", 1)[0].strip())
    for label in re.findall(r'class="chart-value">(.*?)</text>', page, re.S):
        found.append(unescape(label).split(" (n", 1)[0].strip())
    return found


def _cell(page: str, unit: str) -> str:
    """The value cell of a municipality's row in the map's data table."""
    row = re.search(rf'<tr data-unit="{unit}">(.*?)</tr>', page, re.S)
    assert row, unit
    return _visible(re.findall(r"<td>(.*?)</td>", row.group(1), re.S)[0]).strip()


def _symbol(page: str, unit: str) -> str:
    """The map symbol (circle or square, with its title) of a municipality."""
    found = re.search(rf'<(circle|rect)[^>]*data-unit="{unit}"[^>]*>.*?</\1>', page, re.S)
    assert found, unit
    return found.group(0)


# ---------------------------------------------------------------------------------------- which report

def test_anonymous_visitors_see_the_latest_approved_only_report(app, client, figures):
    page = _get(client, "/figures", "en")
    assert "<h1>Comparative figures 2026</h1>" in page
    assert "2 of 43 municipalities counted" in page and "3 of 43" not in page  # not the compilation with submitted
    assert "Valmiera" in page.split('class="coverage"', 1)[1].split("</p>", 1)[0]  # named as not counted
    assert "Submitted" not in _visible(page) and "Draft" not in _visible(page)  # no return states on public pages
    # the year selector offers the years with an approved-only compilation
    assert re.search(r'<option value="2026" selected>2026 — 2 counted', page)
    assert '<option value="2025">2025 — 1 counted' in page
    assert "<h1>Comparative figures 2025</h1>" in _get(client, "/figures?year=2025")


def test_the_reform_caveat_and_the_small_base_rule_are_stated_once(app, client, figures):
    from markupsafe import escape

    from reports.caveats import REFORM_2021

    for url in ("/figures", f"/figures/2026/indicators/{TOPICALITY}", f"/figures/2026/regions/{VIDZEME}"):
        page = _get(client, url, "lv" if url == "/figures" else None)
        assert page.count(str(escape(REFORM_2021.lv))) == 1, url
        assert page.count('id="caveat-reform_2021"') == 1 and 'href="#caveat-reform_2021"' in page, url
        assert page.count("Mazas bāzes") == 1, url


def test_a_year_compiled_only_with_submitted_returns_has_no_public_figures(app, client, users):
    make_return(app, "cesu-novads", 2026, _answers(5, 1), actor_id=users["editor"].id, status="submitted")
    _compile(app, 2026, frozenset({"approved", "submitted"}))
    page = _get(client, "/figures", "en")
    assert "No figures from approved returns have been published yet." in page
    assert _get(client, "/figures?year=2026", status=404).count("No figures from approved returns") == 1
    _get(client, f"/figures/2026/indicators/{PERSONS}", status=404)
    _get(client, f"/figures/2026/regions/{VIDZEME}", status=404)


def test_unknown_year_indicator_or_region_answers_404(app, client, figures):
    for url in ("/figures?year=1999", "/figures/1999/indicators/" + PERSONS, "/figures/2026/indicators/no_such.key",
                f"/figures/2026/indicators/{PERSONS}?region=atlantis", "/figures/2026/regions/atlantis",
                "/figures/2024/regions/" + VIDZEME):
        assert client.get(url).status_code == 404, url
    crosstab = next(k for k in _keys(app, figures["2026"], crosstab=True))
    assert client.get(f"/figures/2026/indicators/{crosstab}").status_code == 404  # labels only as codes: not public


def _keys(app, snapshot_id: int, crosstab: bool = False) -> list[str]:
    from monitor.extensions import db
    from monitor.reporting.models import ReportSnapshot

    with app.app_context():
        payload = db.session.get(ReportSnapshot, snapshot_id).payload
    return [i["key"] for i in payload["indicators"] if (i["computation"] == "crosstab") == crosstab]


# ------------------------------------------------------------------------------------------- disclosure

def test_public_value_withholds_people_counts_of_one_and_two_only():
    from monitor.public.disclosure import public_value

    persons, share = {"unit": "persons"}, {"unit": "percent"}
    assert public_value(persons, {"value": 0, "n": 3}) == (0, False)
    assert public_value(persons, {"value": "1", "n": 1}) == (None, True)
    assert public_value(persons, {"value": 2, "n": 4}) == (None, True)
    assert public_value(persons, {"value": "3", "n": 4}) == ("3", False)
    assert public_value(persons, {"value": "924", "n": 18}) == ("924", False)
    assert public_value(persons, {"value": None, "n": 0}) == (None, False)  # no data stays no data
    assert public_value(persons, {"value": "2", "n": 0}) == (None, False)
    assert public_value(persons, None) == (None, False)
    assert public_value(persons, {"value": "2"}) == (None, True)  # a comparison's reference, without a base
    assert public_value(share, {"value": "2", "n": 40}) == ("2", False)  # 2 % of municipalities is no person


def test_people_counts_of_one_or_two_appear_only_as_fewer_than_three(app, client, figures):
    national = _get(client, f"/figures/2026/indicators/{PERSONS}", "lv")
    regional = _get(client, f"/figures/2026/indicators/{PERSONS}?region={VIDZEME}")
    for page in (national, regional):
        numbers = _shown_numbers(page)
        assert numbers and not {"1", "2"} & set(numbers), numbers
        assert "mazāk nekā 3" in page
        # the map: Cēsis (2) withheld, in its own legend class; Liepāja (25) with its number
        cesis = _symbol(page, "cesu-novads")
        assert "map-withheld" in cesis and "Cēsu novads: mazāk nekā 3 (n = 1)" in unescape(cesis)
        assert _cell(page, "cesu-novads") == "mazāk nekā 3"
        assert "legend-withheld" in page
    assert "25" in _cell(national, "liepaja") and "Liepājas valstspilsēta: 25" in unescape(national)
    # the bar of Vidzeme (2) is no bar, only the words; the nation (27) is a bar with its number
    assert re.search(r'class="chart-note chart-nodata">mazāk nekā 3 \(n = 1\)</text>', national)
    assert "27 (n = 2)" in national
    table = national[national.index("<tbody>"):national.index("</tbody>")]
    vidzeme_row = re.search(r"Vidzemes plānošanas reģions</a></th><td>(.*?)</td>", table, re.S).group(1)
    value = _visible(vidzeme_row.split('<span class="small-base', 1)[0])  # (the warning states the base, n = 1)
    assert value.strip() == "mazāk nekā 3"
    # the series of Vidzeme: 2025 (1) and 2026 (2), both withheld, in the table and on the chart
    series = regional[regional.index('id="series"'):]
    series = series[:series.index("</section>")]
    rows = re.findall(r'<th scope="row">(\d{4})</th>\s*<td>.*?</td>\s*<td>(.*?)</td>', series, re.S)
    returns = {year: _visible(value.split('<span class="small-base', 1)[0]).strip() for year, value in rows
               if year in ("2025", "2026")}
    assert returns == {"2025": "mazāk nekā 3", "2026": "mazāk nekā 3"}
    assert series.count('class="chart-note chart-nodata">mazāk nekā 3</text>') == 2
    # the region page and the landing page
    region = _get(client, f"/figures/2026/regions/{VIDZEME}")
    row = re.search(rf'indicators/{re.escape(PERSONS)}\?region={VIDZEME}">.*?</tr>', region, re.S).group(0)
    assert "mazāk nekā 3 (n = 1)" in row and "27 (n = 2)" in row


def test_a_previous_years_people_count_of_one_is_withheld_in_the_comparisons(app, client, figures):
    region = _get(client, f"/figures/2026/regions/{VIDZEME}", "en")
    row = re.search(rf'indicators/{re.escape(PERSONS)}\?region={VIDZEME}">.*?</tr>', region, re.S).group(0)
    comparisons = _visible(row.split('class="comparisons', 1)[1]) if 'class="comparisons' in row else ""
    assert "2025" in comparisons and "fewer than 3" in comparisons
    assert not re.search(r"2025\s*:\s*1\b", comparisons)


def test_zero_and_three_or_more_people_are_shown_as_numbers(app, client, figures):
    page = _get(client, f"/figures/2026/indicators/{CHILDREN}", "en")
    table = page[page.index("<tbody>"):page.index("</tbody>")]
    assert re.search(r"Vidzeme[^<]*</a></th><td>0", table)  # 0 children in Vidzeme is shown as 0
    assert re.search(r"<th scope=\"row\">Latvia</th><td>9", table)
    assert _cell(page, "cesu-novads") == "0" and _cell(page, "liepaja") == "9"
    assert "fewer than 3" not in _visible(table)


# ------------------------------------------------------------------------------------------------- map

def test_the_public_map_colours_only_approved_municipalities_and_links_nowhere(app, client, figures):
    page = _get(client, f"/figures/2026/indicators/{TOPICALITY}", "en")
    svg = page[page.index('class="chart map"'):]
    svg = svg[:svg.index("</svg>")]
    coloured = set(re.findall(r'data-unit="([^"]+)" class="map-unit"', svg))
    assert coloured == {"cesu-novads", "liepaja"}  # Valmiera's return is only submitted
    assert "map-nodata" in _symbol(page, "valmieras-novads")
    assert "<a " not in svg
    assert _cell(page, "valmieras-novads") == "no counted return"
    # a unit the snapshot holds with another state (as a compilation counting submitted returns would) is no data
    _set_unit_status(app, figures["2026"], "liepaja", "submitted")
    page = _get(client, f"/figures/2026/indicators/{TOPICALITY}")
    assert "map-nodata" in _symbol(page, "liepaja") and _cell(page, "liepaja") == "no counted return"


def _set_unit_status(app, snapshot_id: int, unit: str, status: str) -> None:
    import copy

    from monitor.extensions import db
    from monitor.reporting.models import ReportSnapshot

    with app.app_context():
        snapshot = db.session.get(ReportSnapshot, snapshot_id)
        payload = copy.deepcopy(snapshot.payload)
        next(u for u in payload["units"] if u["unit"] == unit)["status"] = status
        snapshot.payload = payload
        db.session.commit()


def test_the_map_shows_only_units_whose_return_is_approved():
    from monitor.public.figures import approved_units

    payload = {"units": [{"unit": "a", "status": "approved"}, {"unit": "b", "status": "submitted"},
                         {"unit": "c", "status": "resubmitted"}]}
    assert [u["unit"] for u in approved_units(payload)] == ["a"]


def test_no_public_figures_page_links_to_the_researchers_pages(app, client, figures):
    pages = {"/figures": _get(client, "/figures")}
    pages["/"] = _get(client, "/")
    queue = [link for link in _links(pages["/figures"]) if link.startswith("/figures/")]
    queue = [q for q in queue if "/regions/" in q] + [q for q in queue if "/indicators/" in q][:12]
    queue += [f"/figures/2026/indicators/{PERSONS}?region={VIDZEME}", f"/figures/2026/indicators/{TOPICALITY}"]
    for url in queue:
        if url.split("#")[0] not in pages:
            pages[url.split("#")[0]] = _get(client, url.split("#")[0])
    assert len(pages) > 15
    assert any("/figures" in link for link in _links(pages["/"]))  # the home page leads to the figures
    checked: dict[str, int] = {}
    for url, body in pages.items():
        # the researchers' pages and JSON are behind a login; the public open-data API (/api/v1/) may be linked
        assert "/reports/" not in body and "/api/reports" not in body, url
        for link in _links(body):
            target = link.split("#", 1)[0]
            if target.startswith("/figures") and target not in checked:
                checked[target] = client.get(target).status_code
                assert checked[target] == 200, (url, link)


# --------------------------------------------------------------------------------------------- caching

def test_cache_headers_etag_and_304_and_no_session(app, client, figures):
    for url in ("/figures", f"/figures/2026/indicators/{PERSONS}", f"/figures/2026/regions/{VIDZEME}"):
        fresh = app.test_client()
        first = fresh.get(url)
        assert first.status_code == 200
        assert first.headers["Cache-Control"] == "public, max-age=300"
        assert "Cookie" in first.headers["Vary"]
        assert "Set-Cookie" not in first.headers, url
        etag = first.headers["ETag"]
        assert etag.startswith('W/"')
        again = fresh.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
        assert "Set-Cookie" not in again.headers
        fresh.post("/public/language", data={"locale": "en"})
        english = fresh.get(url, headers={"If-None-Match": etag})
        assert english.status_code == 200 and english.headers["ETag"] != etag
    # a new approved-only compilation changes the tag
    etag = app.test_client().get("/figures").headers["ETag"]
    make_return(app, "talsu-novads", 2026, _answers(4, 1), actor_id=figures and _admin(app), status="approved")
    _compile(app, 2026)
    assert app.test_client().get("/figures").headers["ETag"] != etag


def _admin(app) -> int:
    from sqlalchemy import select

    from monitor.auth.models import Role, User
    from monitor.extensions import db

    with app.app_context():
        return db.session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1))


# ------------------------------------------------------------------------------------------- languages

def _pages(client) -> list[str]:
    return ["/figures", f"/figures/2026/indicators/{PERSONS}", f"/figures/2026/indicators/{TOPICALITY}",
            f"/figures/2026/indicators/{TOPICALITY}?region={VIDZEME}", f"/figures/2026/regions/{VIDZEME}"]


def _proper_names(app) -> list[str]:
    from sqlalchemy import select

    from monitor.extensions import db
    from monitor.registry.models import Municipality, PlanningRegion

    with app.app_context():
        places = [*db.session.scalars(select(Municipality)), *db.session.scalars(select(PlanningRegion))]
        return sorted({p.name(loc) for p in places for loc in ("lv", "en")}, key=len, reverse=True)


def test_english_pages_have_no_latvian_text_and_latvian_pages_no_english(app, client, figures):
    names = _proper_names(app)
    english = {url: _visible(_get(client, url, "en" if i == 0 else None)) for i, url in enumerate(_pages(client))}
    for url, text in english.items():
        assert "Comparative figures" in text and "Coverage" in text, url
        for name in names:
            text = text.replace(name, "")
        text = text.replace("Latviski", "").replace("BISS", "")
        leftovers = re.findall(r"\S*[āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ]\S*", text)
        assert not leftovers, (url, leftovers[:10])
    latvian = {url: _visible(_get(client, url, "lv" if i == 0 else None)) for i, url in enumerate(_pages(client))}
    for url, text in latvian.items():
        assert "Salīdzinošie rādītāji" in text and "Pārklājums" in text, url
        for english_text in ("no data", "fewer than", "Coverage", "Values by", "Comparisons", "Small bases",
                             "counted", "Planning region", "Notes", "across the years", "Map"):
            assert english_text not in text, (url, english_text)


def test_no_internal_codes_in_the_visible_text(app, client, figures):
    from monitor.extensions import db
    from monitor.reporting.models import ReportSnapshot

    with app.app_context():
        payload = db.session.get(ReportSnapshot, figures["2026"]).payload
    codes = {i["key"] for i in payload["indicators"]} | {c for i in payload["indicators"] for c in i["codes"]}
    codes |= {i["computation"] for i in payload["indicators"]} | {i["unit"] for i in payload["indicators"]}
    codes |= {"r_squared", "approved", "submitted", "resubmitted", "mean_score", VIDZEME, "cesu-novads"}
    codes |= {f for i in payload["indicators"] for f in i["fields"]}
    for locale in ("lv", "en"):
        for i, url in enumerate(_pages(client)):
            text = _visible(_get(client, url, locale if i == 0 else None))
            words = set(re.findall(r"[\w.-]+", text))
            found = {c for c in codes if "_" in c or "-" in c or "." in c} & words
            assert not found, (locale, url, sorted(found)[:10])
            assert not re.findall(r"\b[a-z]+_[a-z_]+\b", text), (locale, url)
            if locale == "lv":  # English words that are codes in a Latvian text
                assert not {"share", "sum", "mean", "median", "percent", "persons", "approved"} & words, url


def test_a_reference_that_is_not_a_percentage_reads_in_words(app):
    from flask_babel import force_locale

    from monitor.public.figures import _reference_text

    with app.test_request_context(), force_locale("en"):
        assert _reference_text("8", "count") == "8 municipalities"
        assert _reference_text("1", "count") == "1 municipality"
        assert _reference_text("7", "percentage_points") == "change 7 pp"
        assert _reference_text("4.92", "score") == "4.92"
        assert _reference_text("10000", "eur") == "10,000\u00a0EUR"
    with app.test_request_context(), force_locale("lv"):
        assert _reference_text("8", "count") == "8 pašvaldības"
