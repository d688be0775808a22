"""The server-side SVG charts, read back as XML: axes and ticks, labelled bars, the fitted line, overlapping
points, and numbers in the page's language."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal as D

import pytest
from flask import Flask
from flask_babel import force_locale

from monitor.reporting import charts

NS = "{http://www.w3.org/2000/svg}"


@contextmanager
def page(app: Flask, locale: str) -> Iterator[None]:
    with app.test_request_context(), force_locale(locale):
        yield


def parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{NS}svg" and root.get("role") == "img" and root.get("aria-label")
    assert root.find(f"{NS}title") is not None
    return root


def texts(root: ET.Element, cls: str) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{NS}text") if cls in (t.get("class") or "").split()]


BARS = [("Kurzeme", D("12.5"), 8), ("Latgale", None, 0), ("Rīga", D("48.34"), 10), ("Vidzeme", D("30"), 9)]


def test_bars_have_axis_ticks_unit_and_values(app: Flask) -> None:
    with page(app, "en"):
        root = parse(charts.bar_chart("Share", BARS, unit="%", maximum=D(100), no_data="no data"))
    assert texts(root, "chart-tick") == ["0", "20", "40", "60", "80", "100"]
    assert texts(root, "axis-label") == ["%"]
    assert [e for e in root.iter(f"{NS}line") if "x-axis" in e.get("class", "")]
    assert texts(root, "chart-value") == ["12.5% (n = 8)", "48.3% (n = 10)", "30% (n = 9)"]
    # the bar's length is its value on the axis' scale
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect") if r.get("class") == "chart-bar"]
    assert widths == pytest.approx([0.125 * 330, 0.4834 * 330, 0.3 * 330], abs=0.1)


def test_a_bar_without_data_is_a_labelled_gap_not_zero(app: Flask) -> None:
    with page(app, "lv"):
        root = parse(charts.bar_chart("Daļa", BARS, unit="%", no_data="nav datu"))
    assert texts(root, "chart-nodata") == ["nav datu (n = 0)"]
    assert len([r for r in root.iter(f"{NS}rect") if r.get("class") == "chart-bar"]) == 3  # no bar for Latgale
    assert not any(v.startswith("0%") for v in texts(root, "chart-value"))


def test_sort_orders_bars_by_value_with_no_data_last(app: Flask) -> None:
    with page(app, "en"):
        kept = parse(charts.bar_chart("Share", BARS))
        ranked = parse(charts.bar_chart("Share", BARS, sort=True))
    labels = [t for t in texts(kept, "chart-label") if t != "%"]
    assert labels == ["Kurzeme", "Latgale", "Rīga", "Vidzeme"]  # the caller's order is kept unless asked
    assert [t for t in texts(ranked, "chart-label") if t != "%"] == ["Rīga", "Vidzeme", "Kurzeme", "Latgale"]


def test_bar_numbers_follow_the_language(app: Flask) -> None:
    bars = [("Vidzeme", D("4.9"), 3)]
    with page(app, "lv"):
        lv = parse(charts.bar_chart("Vidējais", bars, unit=""))
    with page(app, "en"):
        en = parse(charts.bar_chart("Mean", bars, unit=""))
    assert texts(lv, "chart-value") == ["4,9 (n = 3)"] and texts(en, "chart-value") == ["4.9 (n = 3)"]
    assert texts(lv, "axis-label") == []  # no unit, no unit caption


POINTS = [(D("2"), D("3"), "Alūksnes novads"), (D("4.5"), D("4.9"), "Cēsu novads"),
          (D("4.5"), D("4.9"), "Valmieras novads"), (D("8"), D("7"), "Ogres novads"),
          (D("6"), D("5.5"), "Tukuma novads")]


def _inverse(root: ET.Element) -> tuple[Callable[[float], float], Callable[[float], float]]:
    """Maps from pixels back to data values, read from the axes' tick marks."""
    xt = [(float(e.get("x1")), v) for e, v in zip(
        [e for e in root.iter(f"{NS}line") if "x-tick" in e.get("class", "")], texts(root, "x-tick"))]
    yt = [(float(e.get("y1")), v) for e, v in zip(
        [e for e in root.iter(f"{NS}line") if "y-tick" in e.get("class", "")], texts(root, "y-tick"))]
    (px0, vx0), (px1, vx1) = xt[0], xt[-1]
    (py0, vy0), (py1, vy1) = yt[0], yt[-1]

    def fx(px: float) -> float:
        return float(vx0) + (px - px0) / (px1 - px0) * (float(vx1) - float(vx0))

    def fy(py: float) -> float:
        return float(vy0) + (py - py0) / (py1 - py0) * (float(vy1) - float(vy0))

    return fx, fy


def test_scatter_axes_ticks_and_labels(app: Flask) -> None:
    with page(app, "en"):
        root = parse(charts.scatter("Support × uptake", POINTS, x_label="State support", y_label="Grant uptake"))
    assert texts(root, "x-tick") == ["0", "2", "4", "6", "8", "10"]
    assert texts(root, "y-tick") == ["0", "2", "4", "6", "8", "10"]
    assert texts(root, "x-label") == ["State support (score 0–10)"]
    assert texts(root, "y-label") == ["Grant uptake (score 0–10)"]


def test_the_fitted_line_is_the_least_squares_line(app: Flask) -> None:
    from reports import stats

    xs, ys = [p[0] for p in POINTS], [p[1] for p in POINTS]
    slope, intercept = stats.linear_fit(xs, ys)
    with page(app, "en"):
        root = parse(charts.scatter("Fit", POINTS, x_label="x", y_label="y"))
    fx, fy = _inverse(root)
    line = next(e for e in root.iter(f"{NS}line") if e.get("class") == "chart-fit")
    for end in ("1", "2"):
        x, y = fx(float(line.get("x" + end))), fy(float(line.get("y" + end)))
        assert y == pytest.approx(float(intercept + slope * D(str(x))), abs=0.02)  # 0.02 of a score ≈ 0.6 px
    assert fx(float(line.get("x1"))) == pytest.approx(0) and fx(float(line.get("x2"))) == pytest.approx(10)
    # a fit given by the caller (the table's own figures) is the one drawn
    with page(app, "en"):
        given = parse(charts.scatter("Fit", POINTS, x_label="x", y_label="y", fit=(D("0.5"), D("1"))))
    fx, fy = _inverse(given)
    line = next(e for e in given.iter(f"{NS}line") if e.get("class") == "chart-fit")
    assert (fy(float(line.get("y1"))), fy(float(line.get("y2")))) == pytest.approx((1, 6), abs=0.02)


def test_a_steep_line_is_clipped_to_the_plot(app: Flask) -> None:
    with page(app, "en"):
        root = parse(charts.scatter("Fit", POINTS, x_label="x", y_label="y", fit=(D(2), D(-2))))
    fx, fy = _inverse(root)
    line = next(e for e in root.iter(f"{NS}line") if e.get("class") == "chart-fit")
    assert (fx(float(line.get("x1"))), fy(float(line.get("y1")))) == pytest.approx((1, 0), abs=0.02)
    assert (fx(float(line.get("x2"))), fy(float(line.get("y2")))) == pytest.approx((6, 10), abs=0.02)


def test_equal_pairs_are_drawn_once_with_the_count_and_names(app: Flask) -> None:
    with page(app, "en"):
        root = parse(charts.scatter("Pairs", POINTS, x_label="x", y_label="y"))
    dots = [c for c in root.iter(f"{NS}circle") if c.get("data-count")]
    assert len(dots) == 4  # five municipalities, two of them on the same spot
    shared = next(c for c in dots if c.get("data-count") == "2")
    assert shared.find(f"{NS}title").text == "Cēsu novads, Valmieras novads: 4.5; 4.9 (2 municipalities)"
    single = next(c for c in dots if c.get("data-count") == "1")
    assert float(shared.get("r")) > float(single.get("r"))
    assert "2" in texts(root, "chart-count")
    legend = root.find(f"{NS}g[@class='chart-legend']")
    assert legend is not None and ["1 municipality", "2 municipalities"] == texts(legend, "chart-note")


def test_fit_in_words_and_latvian_decimal_comma(app: Flask) -> None:
    with page(app, "lv"):
        lv = parse(charts.scatter("Sakarība", POINTS, x_label="Valsts atbalsts", y_label="Granti",
                                  r=D("0.9512"), r_squared=D("0.9048")))
    with page(app, "en"):
        en = parse(charts.scatter("Relation", POINTS, x_label="State support", y_label="Grants",
                                  r=D("0.9512"), r_squared=D("0.9048")))
    assert texts(lv, "fit-note") == ["r = 0,95: cieša pozitīva sakarība;",
                                     "R² = 0,9: taisne izskaidro 90 % no izkliedes (n = 5)."]
    assert texts(en, "fit-note") == ["r = 0.95: a strong positive relation;",
                                     "R² = 0.9: the line explains 90 % of the variation (n = 5)."]
    lv_titles = [c.find(f"{NS}title").text for c in lv.iter(f"{NS}circle") if c.get("data-count")]
    assert any("4,5; 4,9" in t and "2 pašvaldības" in t for t in lv_titles)
    assert "r = 0,95" in lv.find(f"{NS}desc").text


def test_too_few_points_give_no_line_and_say_so(app: Flask) -> None:
    with page(app, "en"):
        root = parse(charts.scatter("One", POINTS[:1], x_label="x", y_label="y"))
    assert not [e for e in root.iter(f"{NS}line") if e.get("class") == "chart-fit"]
    assert texts(root, "fit-note") == ["Too few pairs with variation for a fitted line (n = 1)."]


def test_text_is_escaped(app: Flask) -> None:
    with page(app, "en"):
        root = parse(charts.scatter("<b>&", [(D(1), D(2), "A & <B>")], x_label="<x>", y_label="y"))
    assert root.get("aria-label") == "<b>&"
    assert "A & <B>" in next(c for c in root.iter(f"{NS}circle") if c.get("data-count")).find(f"{NS}title").text
