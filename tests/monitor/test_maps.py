"""The municipality map (issue 11): read back as XML — every registry municipality drawn exactly once, fills that
match the legend's classes, a hatched "no data" that is never a zero, numbers in the page's language — and on the
indicator page: a map for a share, none for a cross-tabulation, the ``?region=`` variant, links only where the
user may open them."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal as D
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import force_locale

from monitor.reporting import maps
from tests.factories import compile_year as _compile
from tests.factories import complete_answers, make_return

NS = "{http://www.w3.org/2000/svg}"
ROOT = Path(__file__).resolve().parents[2]
REGISTRY = json.loads((ROOT / "monitor" / "data" / "municipalities.json").read_text(encoding="utf-8"))
SLUGS = {m["slug"] for m in REGISTRY["municipalities"]}
NAMES = {m["slug"]: m["name_lv"] for m in REGISTRY["municipalities"]}
KINDS = {m["slug"]: m["kind"] for m in REGISTRY["municipalities"]}
REGIONS = {m["slug"]: m["region"] for m in REGISTRY["municipalities"]}
TOPICALITY = "remigration_promotion_topicality.very_or_rather_topical"


@contextmanager
def page(app: Flask, locale: str) -> Iterator[None]:
    with app.test_request_context(), force_locale(locale):
        yield


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{NS}svg" and root.get("role") == "img" and root.get("viewBox")
    return root


def units(root: ET.Element) -> list[ET.Element]:
    return [e for e in root.iter() if e.get("data-unit") is not None]


def title_of(element: ET.Element) -> str:
    found = element.find(f"{NS}title")
    return "".join(found.itertext()) if found is not None else ""


def legend(root: ET.Element) -> list[tuple[str, str, str]]:
    """(kind class, fill, label) of each legend entry, in order."""
    group = next(g for g in root.iter(f"{NS}g") if g.get("class") == "map-legend")
    swatches = [r for r in group.iter(f"{NS}rect") if "legend-swatch" in r.get("class", "")]
    labels = ["".join(t.itertext()) for t in group.iter(f"{NS}text") if "legend-label" in t.get("class", "")]
    return [(r.get("class").split()[-1], r.get("fill"), label) for r, label in zip(swatches, labels)]


def spread_values() -> dict[str, tuple[D | None, int | None]]:
    """43 municipalities: a range of values (0 … 84 in steps of 2), two without data (n = 0 and no return)."""
    values: dict[str, tuple[D | None, int | None]] = {}
    for i, slug in enumerate(sorted(SLUGS)):
        values[slug] = (D(2 * i) + D("0.25"), 1)
    values["riga"] = (None, 0)
    del values["ventspils"]
    return values


def test_the_shipped_geography_matches_the_registry() -> None:
    geo = maps.geography()
    assert set(geo["units"]) == SLUGS and len(geo["units"]) == 43
    assert {u["stand_in"] for u in geo["units"].values()} == {True, False}
    readme = (ROOT / "monitor" / "data" / "geo" / "README.md").read_text(encoding="utf-8")
    for phrase in ("Natural Earth", "public domain", "GeoNames", "CC BY 4.0"):
        assert phrase in readme
    assert (ROOT / "monitor" / "data" / "geo" / "latvia.json").stat().st_size < 300_000


def test_every_registry_municipality_is_drawn_exactly_once(app: Flask) -> None:
    with page(app, "en"):
        root = parse(maps.choropleth("Share", spread_values(), names=NAMES, unit="%", no_data_label="no data",
                                     kinds=KINDS))
    drawn = Counter(e.get("data-unit") for e in units(root))
    assert set(drawn) == SLUGS and all(count == 1 for count in drawn.values()) and len(drawn) == 43
    # state cities are squares, novadi circles; each symbol names its municipality
    for e in units(root):
        slug = e.get("data-unit")
        assert e.tag == f"{NS}{'rect' if KINDS[slug] == 'state_city' else 'circle'}"
        assert title_of(e).startswith(NAMES[slug])


def test_each_fill_is_the_legend_colour_of_its_class(app: Flask) -> None:
    values = spread_values()
    with page(app, "en"):
        root = parse(maps.choropleth("Mean", values, names=NAMES, unit="", no_data_label="no data", kinds=KINDS))
    entries = legend(root)
    classes = [(fill, label) for kind, fill, label in entries if kind == "legend-class"]
    assert len(classes) == 5 and len({f for f, _l in classes}) == 5
    method = "".join(next(t for t in root.iter(f"{NS}text") if t.get("class", "").endswith("map-method")).itertext())
    assert "equal intervals" in method
    present = sorted(v for v, _n in values.values() if v is not None)
    bins, how = maps.classes(present)
    assert how == "equal" and bins[0].low == present[0] and bins[-1].high == present[-1]
    legend_colours = [fill for fill, _label in classes]
    assert legend_colours == [b.colour for b in bins]
    for e in units(root):
        value, _n = values.get(e.get("data-unit"), (None, None))
        if value is None:
            continue
        expected = next(i for i, b in enumerate(bins) if b.holds(value, i == len(bins) - 1))
        assert e.get("fill") == legend_colours[expected], e.get("data-unit")
        low, high = (D(x) for x in re.findall(r"[\d.]+", classes[expected][1]))
        assert low - D("0.1") <= value <= high + D("0.1")  # the legend's printed range holds the value
    # the lowest and highest values are in the first and last class
    lowest = min(values, key=lambda s: values[s][0] if values[s][0] is not None else D(999))
    assert next(e for e in units(root) if e.get("data-unit") == lowest).get("fill") == legend_colours[0]


def test_no_data_is_hatched_and_listed_never_a_zero(app: Flask) -> None:
    values = spread_values()
    values["adazu-novads"] = (D(0), 1)  # a real zero is a class, not "no data"
    with page(app, "en"):
        root = parse(maps.choropleth("Share", values, names=NAMES, unit="%", no_data_label="no data", kinds=KINDS))
    entries = legend(root)
    nodata = [e for e in entries if e[0] == "legend-nodata"]
    assert len(nodata) == 1 and nodata[0][2] == "no data" and nodata[0][1].startswith("url(#map-nodata-")
    pattern_ids = {p.get("id") for p in root.iter(f"{NS}pattern")}
    assert nodata[0][1] == f"url(#{next(iter(pattern_ids))})"
    class_fills = {fill for kind, fill, _label in entries if kind == "legend-class"}
    by_slug = {e.get("data-unit"): e for e in units(root)}
    for slug in ("riga", "ventspils"):  # n = 0, and no figure at all
        assert by_slug[slug].get("fill") == nodata[0][1] and "map-nodata" in by_slug[slug].get("class")
        assert "no data" in title_of(by_slug[slug])
    assert title_of(by_slug["riga"]).endswith("(n = 0)")
    assert by_slug["adazu-novads"].get("fill") in class_fills and "0% (n = 1)" in title_of(by_slug["adazu-novads"])


def test_few_values_get_one_colour_each_and_shares_say_what_they_mean(app: Flask) -> None:
    values = {slug: (D(100) if i % 3 else D(0), 1) for i, slug in enumerate(sorted(SLUGS))}
    with page(app, "en"):
        root = parse(maps.choropleth("Share", values, names=NAMES, unit="%", no_data_label="no data", kinds=KINDS,
                                     legend_note="Each municipality's own answer"))
    classes = [(fill, label) for kind, fill, label in legend(root) if kind == "legend-class"]
    assert [label for _f, label in classes] == ["0%", "100%"]
    for e in units(root):
        assert e.get("fill") == classes[1 if values[e.get("data-unit")][0] == 100 else 0][0]
    assert any("Each municipality's own answer" in "".join(t.itertext()) for t in root.iter(f"{NS}text"))


def test_latvian_numbers_have_a_decimal_comma(app: Flask) -> None:
    values = spread_values()
    with page(app, "lv"):
        root = parse(maps.choropleth("Vidējais", values, names=NAMES, unit="", no_data_label="nav datu",
                                     kinds=KINDS))
    cesis = next(e for e in units(root) if e.get("data-unit") == "cesu-novads")
    assert re.search(r"Cēsu novads: \d+,25 \(n = 1\)$", title_of(cesis)), title_of(cesis)
    labels = [label for kind, _f, label in legend(root) if kind == "legend-class"]
    assert all("," in label and "." not in label for label in labels), labels
    assert "nav datu" in [label for _k, _f, label in legend(root)]


def test_a_region_colours_only_its_municipalities(app: Flask) -> None:
    values = spread_values()
    with page(app, "en"):
        root = parse(maps.choropleth("Share", values, names=NAMES, unit="%", no_data_label="no data", kinds=KINDS,
                                     region="latgale-region", regions=REGIONS, region_name="Latgale"))
    class_fills = {fill for kind, fill, _label in legend(root) if kind == "legend-class"}
    drawn = units(root)
    assert Counter(e.get("data-unit") for e in drawn) == Counter(SLUGS)  # the whole country, once each
    for e in drawn:
        slug = e.get("data-unit")
        if REGIONS[slug] == "latgale-region":
            assert e.get("fill") in class_fills and "map-outside" not in e.get("class")
        else:
            assert e.get("fill") == "#ffffff" and "map-outside" in e.get("class")
            assert "outside the region" in title_of(e)
    # the classes are made of the region's values only
    latgale = [values[s][0] for s in SLUGS if REGIONS[s] == "latgale-region" and values.get(s, (None,))[0] is not None]
    bins, _how = maps.classes(latgale)
    assert bins[0].low == min(latgale) and bins[-1].high == max(latgale)
    assert ("legend-outside", "#ffffff", "outside the region") in legend(root)


def test_texts_are_escaped(app: Flask) -> None:
    names = dict(NAMES, riga="<b>Rīga</b> & co")
    with page(app, "en"):
        markup = str(maps.choropleth("<script>", spread_values(), names=names, unit="%", no_data_label="<i>nd</i>",
                                     kinds=KINDS))
    assert "<script>" not in markup and "<b>" not in markup and "<i>" not in markup
    parse(markup)


# --- the indicator page -------------------------------------------------------------------------------------



@pytest.fixture
def three_returns(app, users):
    """Approved returns of Cēsu novads and Valmieras novads (Vidzeme) and Liepāja (Kurzeme)."""
    answers = complete_answers()
    make_return(app, "cesu-novads", 2026, answers, actor_id=users["editor"].id, status="approved")
    make_return(app, "valmieras-novads", 2026, dict(answers, remigration_promotion_topicality="rather_not_topical"),
                actor_id=users["admin"].id, status="approved")
    make_return(app, "liepaja", 2026, answers, actor_id=users["editor_other"].id, status="approved")
    return _compile(app)


def _svg(page_html: str) -> ET.Element:
    start = page_html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart map"')
    return parse(page_html[start:page_html.index("</svg>", start) + 6])  # served as written: XML as it stands


def _links(page_html: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'<a [^>]*href="([^"]+)"', page_html)]


def _crosstab_key(app, snapshot_id: int) -> str:
    from monitor.extensions import db
    from monitor.reporting.models import ReportSnapshot

    with app.app_context():
        payload = db.session.get(ReportSnapshot, snapshot_id).payload
    return next(i["key"] for i in payload["indicators"] if i["computation"] == "crosstab")


def test_the_indicator_page_maps_a_share_with_its_table(app, login_as, three_returns):
    body = login_as("researcher").get(f"/reports/2026/indicators/{TOPICALITY}").get_data(as_text=True)
    assert 'id="map"' in body and "Karte pa pašvaldībām" in body
    root = _svg(body)
    drawn = {e.get("data-unit"): e for e in units(root)}
    assert set(drawn) == SLUGS
    classes = {label: fill for kind, fill, label in legend(root) if kind == "legend-class"}
    assert set(classes) == {"0%", "100%"}
    assert drawn["cesu-novads"].get("fill") == classes["100%"] and drawn["liepaja"].get("fill") == classes["100%"]
    assert drawn["valmieras-novads"].get("fill") == classes["0%"]
    assert "map-nodata" in drawn["riga"].get("class")  # no counted return: no data, not 0
    # the data table: every municipality once, a blank is "no counted return", never 0
    table = body[body.index('class="data compact map-data"'):]
    table = table[:table.index("</table>")]
    assert sorted(re.findall(r'<tr data-unit="([^"]+)"', table)) == sorted(SLUGS)
    riga_row = re.search(r'<tr data-unit="riga">.*?</tr>', table, re.S).group(0)
    assert "nav ieskaitīta pārskata" in riga_row and ">0" not in riga_row
    # researchers may open every municipality's benchmark: symbols and rows link to it
    assert any(a.get("href", "").startswith("/reports/2026/municipalities/riga")
               for a in root.iter(f"{NS}a"))
    links = _links(body)
    for region in ("riga-region", "vidzeme-region", "kurzeme-region", "zemgale-region", "latgale-region"):
        assert f"/reports/2026/indicators/{TOPICALITY}?region={region}&snapshot={three_returns}#map" in links


def test_no_map_for_a_crosstab(app, login_as, three_returns):
    key = _crosstab_key(app, three_returns)
    body = login_as("researcher").get(f"/reports/2026/indicators/{key}").get_data(as_text=True)
    assert 'class="chart map"' not in body and 'id="map"' not in body


def test_the_regional_page_colours_only_its_region(app, login_as, three_returns):
    client = login_as("researcher")
    body = client.get(f"/reports/2026/indicators/{TOPICALITY}?region=vidzeme-region").get_data(as_text=True)
    root = _svg(body)
    for e in units(root):
        inside = REGIONS[e.get("data-unit")] == "vidzeme-region"
        assert ("map-outside" in e.get("class")) is not inside
    table = body[body.index('class="data compact map-data"'):]
    table = table[:table.index("</table>")]
    assert sorted(re.findall(r'<tr data-unit="([^"]+)"', table)) == sorted(
        s for s in SLUGS if REGIONS[s] == "vidzeme-region")
    assert "Karte: Vidzemes plānošanas reģions" in body
    assert client.get(f"/reports/2026/indicators/{TOPICALITY}?region=atlantis").status_code == 404
    assert client.get(f"/reports/2026/indicators/{TOPICALITY}?region=cesu-novads").status_code == 404


def test_a_reviewer_sees_the_map_with_links_only_to_what_they_may_open(app, login_as, three_returns):
    client = login_as("reviewer")  # Vidzeme's reviewer
    body = client.get(f"/reports/2026/indicators/{TOPICALITY}").get_data(as_text=True)
    root = _svg(body)
    assert {e.get("data-unit") for e in units(root)} == SLUGS
    hrefs = [unescape(h) for h in re.findall(r'href="(/reports/2026/municipalities/[^"]+)"', body)]
    assert hrefs and all(h.split("/")[4].split("?")[0] in SLUGS for h in hrefs)
    opened = {h.split("/")[4].split("?")[0] for h in hrefs}
    assert opened <= {s for s in SLUGS if REGIONS[s] == "vidzeme-region"}
    for href in set(hrefs):
        assert client.get(href).status_code == 200, href
