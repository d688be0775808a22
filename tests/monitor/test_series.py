"""An indicator across the years (issue 11, part 5): the published 2017/2022 figures and each reporting year,
each point with its base; the chart read back as XML and the page's table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from flask_babel import force_locale

from monitor.reporting import charts
from monitor.reporting.series import Point, indicator_series, published_points, returns_points
from tests.factories import complete_answers, make_return

NS = "{http://www.w3.org/2000/svg}"
TOPICALITY = "remigration_promotion_topicality.very_topical"


def _comparison(against, *, key="k", percent=None, value=None, unit="percent", n=None, exact=True, derived=False,
                line=None):
    return {"against": against, "reference_key": key, "reference_year": 2017 if against == "biss_2017" else 2022,
            "reference_percent": percent, "reference_value": value, "reference_unit": unit,
            "reference_base_n": n, "reference_exact": exact, "derived": derived, "reference_source_line": line}


SHARE = {"key": "k", "computation": "share", "context_keys": ["other"]}


def test_published_points_take_the_stated_percentage_before_a_derived_one_and_skip_context():
    figure = {"comparisons": [
        _comparison("biss_2017", percent="25", value="25", line=3416),
        _comparison("survey_2022", percent="14.2857142857", value="6", unit="count", n=42, derived=True),
        _comparison("survey_2022", percent="14", value="14", n=42, line=3417),
        _comparison("survey_2022", key="other", percent="90", value="90", n=41),  # context only
        {"against": "previous_year", "reference_key": "k", "reference_year": 2025, "reference_percent": "10"},
    ]}
    points = published_points(SHARE, figure)
    assert [(p.year, p.source, p.value, p.n, p.derived) for p in points] == [
        (2017, "biss_2017", D("25"), None, False), (2022, "survey_2022", D("14"), 42, False)]
    assert points[0].source_line == 3416


def test_a_count_or_percentage_is_not_a_point_of_a_score_series():
    score = {"key": "k", "computation": "mean"}
    figure = {"comparisons": [_comparison("biss_2017", value="4.2", unit="score"),
                              _comparison("survey_2022", value="12", unit="count", n=41)]}
    points = published_points(score, figure)
    assert [(p.source, p.value) for p in points] == [("biss_2017", D("4.2")), ("survey_2022", None)]


def test_returns_points_read_each_years_summary_in_the_scope_asked():
    summaries = {
        2026: (None, {"indicators": {"k": {"national": ["40", 10, 2], "regions": {"r": ["50", 4, 0]}}}}),
        2024: (None, {"indicators": {"k": {"national": [None, 0, 43], "regions": {}}}}),
        2025: (None, {"indicators": {}}),  # the indicator did not exist that year
    }
    national = returns_points("k", summaries)
    assert [(p.year, p.value, p.n, p.n_missing) for p in national] == [(2024, None, 0, 43), (2026, D("40"), 10, 2)]
    assert [(p.year, p.value, p.n) for p in returns_points("k", summaries, "r")] == [(2026, D("50"), 4)]
    series = indicator_series(SHARE, {"comparisons": [_comparison("survey_2022", percent="14", n=42)]}, summaries)
    assert [(p.year, p.source) for p in series] == [(2022, "survey_2022"), (2024, "returns"), (2026, "returns")]
    assert indicator_series({"key": "k", "computation": "crosstab"}, {}, summaries) == []


SERIES = [Point(2017, "biss_2017", D("25"), None), Point(2022, "survey_2022", D("14"), 42),
          Point(2022, "returns", None, 0, 40), Point(2025, "returns", D("11.5384615385"), 26, 0),
          Point(2026, "returns", D("30"), 3, 0), Point(2027, "returns", D("12.5"), 8, 0, exact=True)]


def _svg(app, locale="lv", points=SERIES):
    with app.test_request_context(), force_locale(locale):
        return ET.fromstring(str(charts.series_chart("T", points, unit="%", axis_label="percent",
                                                     maximum=D(100), small_base=5)))


def _texts(root, cls):
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text") if cls in (t.get("class") or "").split()]


def test_series_chart_draws_each_point_with_its_year_source_and_base(app):
    root = _svg(app)
    assert _texts(root, "x-tick") == ["2017", "2022", "2022", "2025", "2026", "2027"]
    assert _texts(root, "base") == ["n nav norādīts", "n = 42", "n = 0", "n = 26", "n = 3", "n = 8"]
    assert _texts(root, "y-tick") == ["0", "20", "40", "60", "80", "100"]
    assert _texts(root, "chart-value") == ["25%", "14%", "11,5%", "30%", "12,5%"]  # Latvian decimal comma
    assert _texts(root, "chart-nodata") == ["nav datu"]  # a blank year is a gap, never a 0
    dots = [c.get("data-year") for c in root.iter(f"{NS}circle") if c.get("data-year")]
    assert dots == ["2025", "2026", "2027"]
    refs = [p.get("data-year") for p in root.iter(f"{NS}path") if p.get("data-year")]
    assert refs == ["2017", "2022"]
    # the line joins neighbouring reporting years with data only: 2025–2026 and 2026–2027, never the surveys
    assert len([ln for ln in root.iter(f"{NS}line") if ln.get("class") == "chart-line"]) == 2
    # the 2021 reform falls between the 2017 and the 2022 point
    reform = [ln for ln in root.iter(f"{NS}line") if ln.get("class") == "chart-reform"]
    assert len(reform) == 1 and _texts(root, "reform-note") == ["2021. gada reforma"]
    assert _texts(root, "small-base") == ["n = 3"]


def test_series_chart_places_values_on_the_scale(app):
    root = _svg(app, "en")
    ticks = {t.text: float(t.get("y")) - 4 for t in root.iter(f"{NS}text") if "y-tick" in (t.get("class") or "")}
    zero, hundred = ticks["0"], ticks["100"]
    dot = next(c for c in root.iter(f"{NS}circle") if c.get("data-year") == "2026")
    assert float(dot.get("cy")) == pytest.approx(zero + (hundred - zero) * 0.30, abs=0.11)
    assert _texts(root, "chart-value")[2] == "11.5%"


@pytest.fixture
def two_years(app, users):
    from monitor.extensions import db
    from monitor.reporting.operations import compile_snapshot, load_reference_data

    for year in (2025, 2026):
        make_return(app, "cesu-novads", year, complete_answers(), actor_id=users["editor"].id, status="approved")
    make_return(app, "liepaja", 2026, complete_answers(), actor_id=users["editor_other"].id, status="approved")
    with app.app_context():
        load_reference_data()
        ids = [compile_snapshot(year)[0].id for year in (2025, 2026)]
        db.session.commit()
    return ids


def test_indicator_page_shows_the_series_table_with_every_year_and_base(app, login_as, two_years):
    page = login_as("researcher").get(f"/reports/2026/indicators/{TOPICALITY}").get_data(as_text=True)
    section = page[page.index('id="series"'):]
    section = section[:section.index("</section>")]
    rows = re.findall(r'<tr[^>]*>\s*<th scope="row">(\d{4})</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
                      section, re.S)
    assert [(y, n) for y, _src, _v, n in rows] == [("2017", "nav norādīts"), ("2022", "42"), ("2025", "1"),
                                                   ("2026", "2")]
    assert "2017. gada BISS aptauja" in rows[0][1] and 'href="#caveat-reform_2021"' in rows[0][1]
    assert "<svg" in section and "Pa gadiem" in section
    english = login_as("researcher").get(f"/reports/2026/indicators/{TOPICALITY}?lang=en")
    assert english.status_code == 200


def test_the_landing_page_lists_one_comparison_per_reference():
    from monitor.reporting.presentation import one_per_reference

    derived = {"against": "survey_2022", "derived": True, "reference_percent": "14.2857142857"}
    stated = {"against": "survey_2022", "derived": False, "reference_percent": "14"}
    biss = {"against": "biss_2017", "derived": False, "reference_percent": None, "reference_value": None}
    assert one_per_reference([derived, biss, stated]) == [stated, biss]
    assert one_per_reference([]) == []
