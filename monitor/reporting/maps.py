"""A server-rendered SVG map of Latvia's 43 municipalities (no tiles, no network, no JavaScript, printable).

The shipped data (``monitor/data/geo/latvia.json``, sources and licences in the README beside it) is Latvia's
outline and one symbol per municipality at its administrative centre — no open boundary data of the 2021
municipalities could be shipped, see the README. A state city is a square, a novads a circle; each carries
``data-unit="<slug>"`` and a ``<title>`` with its name, value and n. Values are put in classes of one colour each
(ColorBrewer YlGnBu, colour-blind safe); a municipality without data is hatched grey, never coloured as a zero.
Numbers follow the page's language (``charts.fmt``); every text goes through ``markupsafe.escape``."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from flask_babel import gettext as _
from markupsafe import Markup, escape

from .charts import _svg_open, fmt

GEO_FILE = Path(__file__).resolve().parent.parent / "data" / "geo" / "latvia.json"
# ColorBrewer YlGnBu sequential schemes (colour-blind safe, print friendly), light = low
PALETTES = {
    1: ["#41b6c4"],
    2: ["#c7e9b4", "#2c7fb8"],
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
}
NO_DATA_FILL = "#e6e6e6"
WITHHELD_FILL = "#fdd0a2"  # outside the YlGnBu scheme: a value that exists but is not shown to this reader
MAX_CLASSES = 5
SYMBOL = 6.0  # half the size of a symbol, in map units

Value = tuple[Decimal | None, int | None]


@lru_cache(maxsize=1)
def geography() -> dict[str, Any]:
    """The shipped outline and symbol positions (read once)."""
    return json.loads(GEO_FILE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Bin:
    """One class of the legend: values from ``low`` to ``high`` (both inclusive for a single value)."""

    low: Decimal
    high: Decimal
    colour: str

    def holds(self, value: Decimal, last: bool) -> bool:
        return self.low <= value < self.high or (last and value == self.high) or value == self.low == self.high


def classes(values: list[Decimal]) -> tuple[list[Bin], str]:
    """The classes of the values present, and how they were made: one class per value when there are at most five
    different values (e.g. a municipality's share is 0 or 100), else five equal intervals from the lowest to the
    highest value."""
    distinct = sorted(set(values))
    if not distinct:
        return [], ""
    if len(distinct) <= MAX_CLASSES:
        palette = PALETTES[len(distinct)]
        return [Bin(v, v, palette[i]) for i, v in enumerate(distinct)], "values"
    low, high = distinct[0], distinct[-1]
    step = (high - low) / MAX_CLASSES
    edges = [low + step * i for i in range(MAX_CLASSES)] + [high]
    palette = PALETTES[MAX_CLASSES]
    return [Bin(edges[i], edges[i + 1], palette[i]) for i in range(MAX_CLASSES)], "equal"


def bin_of(bins: list[Bin], value: Decimal) -> Bin:
    for i, b in enumerate(bins):
        if b.holds(value, i == len(bins) - 1):
            return b
    raise ValueError(value)


def _uid(title: str, region: str | None) -> str:
    return hashlib.sha1(f"{title}|{region}".encode()).hexdigest()[:8]


def choropleth(title: str, values: Mapping[str, Value], *, names: Mapping[str, str], unit: str = "",
               no_data_label: str, kinds: Mapping[str, str] | None = None, region: str | None = None,
               regions: Mapping[str, str] | None = None, region_name: str = "",
               links: Mapping[str, str] | None = None, legend_note: str = "",
               withheld: Mapping[str, str] | None = None) -> Markup:
    """Latvia with every municipality drawn once, coloured by its class.

    ``values``: slug → (value or None, n or None); a slug missing or with a None value has no data. ``names``:
    slug → name in the page's language; ``kinds``: slug → "state_city" (a square) or "novads" (a circle).
    With ``region`` (and ``regions``: slug → region slug) only that region's municipalities are coloured and
    classed; the others are drawn faintly as context. ``links``: slug → URL of the municipality's page, only
    for those the user may open. ``legend_note`` says what a municipality's value is (under the legend).
    ``withheld``: slug → the text shown instead of a value the reader may not see (e.g. "fewer than 3" on a public
    page); such a municipality has its own legend entry and colour and takes no part in the classes (pass its
    value as None)."""
    geo = geography()
    kinds = kinds or {}
    regions = regions or {}
    links = links or {}
    withheld = withheld or {}
    inside = {slug for slug in geo["units"] if region is None or regions.get(slug) == region}
    present = [v for slug, (v, _n) in values.items() if slug in inside and v is not None and slug not in withheld]
    bins, method = classes(present)
    uid = _uid(title, region)
    hatch = f"map-nodata-{uid}"
    width = float(geo["width"])
    k, ox, oy, map_h = _view(geo, inside if region else None, width)

    legend_rows = _legend_rows(bins, method, unit, no_data_label, bool(region), region_name)
    shown_withheld = sorted({text for slug, text in withheld.items() if slug in inside})
    legend_rows[len(bins):len(bins)] = [("withheld", WITHHELD_FILL, text) for text in shown_withheld]
    columns = 2
    row_h = 30
    note_lines = _wrap(legend_note, width)
    legend_h = 40 + row_h * ((len(legend_rows) + columns - 1) // columns) + 24 * len(note_lines) + 12
    height = map_h + legend_h
    parts = [_svg_open(title, width, height, legend_note).replace('class="chart"', 'class="chart map"', 1)]
    parts.append(f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
                 f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{NO_DATA_FILL}"/>'
                 f'<line x1="0" y1="0" x2="0" y2="6" stroke="#8c8c8c" stroke-width="2"/></pattern></defs>')
    clip = f"map-clip-{uid}"
    parts.append(f'<clipPath id="{clip}"><rect x="0" y="0" width="{width:g}" height="{map_h:.1f}"/></clipPath>')
    parts.append(f'<g clip-path="url(#{clip})" class="map-area">')
    parts.append(f'<path d="{geo["outline"]}" class="map-country" fill="#f4f5f7" stroke="#59636e" '
                 f'stroke-width="1" vector-effect="non-scaling-stroke" '
                 f'transform="matrix({k:.4f} 0 0 {k:.4f} {-k * ox:.2f} {-k * oy:.2f})"/>')

    ordered = sorted(geo["units"], key=lambda s: (s in inside, kinds.get(s) == "state_city", s))
    for slug in ordered:  # context first, state cities last so they sit on top
        spot = geo["units"][slug]
        x, y = round((spot["x"] - ox) * k, 1), round((spot["y"] - oy) * k, 1)
        at_x, at_y = round((spot["at_x"] - ox) * k, 1), round((spot["at_y"] - oy) * k, 1)
        name = names.get(slug, slug)
        value, n = values.get(slug, (None, None))
        if slug not in inside:
            fill, cls, tip = "#ffffff", "map-unit map-outside", f"{name} ({_('outside the region')})"
        elif slug in withheld:
            fill, cls = WITHHELD_FILL, "map-unit map-withheld"
            tip = f"{name}: {withheld[slug]}" + (f" (n = {n})" if n is not None else "")
        elif value is None:
            fill, cls = f"url(#{hatch})", "map-unit map-nodata"
            tip = f"{name}: {no_data_label}" + (f" (n = {n})" if n is not None else "")
        else:
            fill, cls = bin_of(bins, value).colour, "map-unit"
            tip = f"{name}: {fmt(value, 2)}{_spaced(unit)}" + (f" (n = {n})" if n is not None else "")
        if abs(x - at_x) + abs(y - at_y) > 0.5:  # nudged apart from a neighbour: a leader to the true place
            parts.append(f'<line x1="{at_x}" y1="{at_y}" x2="{x}" y2="{y}" class="map-leader" stroke="#59636e" '
                         f'stroke-width="0.8"/><circle cx="{at_x}" cy="{at_y}" r="1.4" fill="#59636e"/>')
        stroke = ' stroke="#b0b6bd" stroke-width="0.8"' if slug not in inside else ' stroke="#1b1f24" stroke-width="1"'
        common = f'data-unit="{escape(slug)}" class="{cls}" fill="{fill}"{stroke}'
        if kinds.get(slug) == "state_city":
            shape = (f'<rect x="{x - SYMBOL:.1f}" y="{y - SYMBOL:.1f}" width="{2 * SYMBOL:g}" '
                     f'height="{2 * SYMBOL:g}" {common}><title>{escape(tip)}</title></rect>')
        else:
            shape = f'<circle cx="{x}" cy="{y}" r="{SYMBOL:g}" {common}><title>{escape(tip)}</title></circle>'
        if slug in links and slug in inside:
            shape = f'<a href="{escape(links[slug])}">{shape}</a>'
        parts.append(shape)

    parts.append("</g>")
    heading = {"values": _("Colours: one per value"),
               "equal": _("Colours: five equal intervals from the lowest to the highest value")}.get(method, "")
    parts.append(_legend(legend_rows, map_h, width, columns, row_h, heading, legend_note, hatch))
    parts.append("</svg>")
    return Markup("".join(parts))


def _view(geo: dict[str, Any], zoom_to: set[str] | None, width: float) -> tuple[float, float, float, float]:
    """(scale, x offset, y offset, height) of the map area: the whole country, or zoomed to the symbols of
    ``zoom_to`` (a region) with a margin, at most 2.4 times larger."""
    if not zoom_to:
        return 1.0, 0.0, 0.0, float(geo["height"])
    spots = [geo["units"][s] for s in zoom_to]
    xs = [v for s in spots for v in (s["x"], s["at_x"])]
    ys = [v for s in spots for v in (s["y"], s["at_y"])]
    pad = 40.0
    box_w, box_h = max(xs) - min(xs) + 2 * pad, max(ys) - min(ys) + 2 * pad
    k = min(width / box_w, 2.4, 420.0 / box_h)
    centre_x = (max(xs) + min(xs)) / 2
    return k, centre_x - width / 2 / k, min(ys) - pad, box_h * k


def _spaced(unit: str) -> str:
    return f" {unit}" if unit and unit != "%" else unit


def _legend_rows(bins: list[Bin], method: str, unit: str, no_data_label: str, regional: bool,
                 region_name: str) -> list[tuple[str, str, str]]:
    """(kind, fill, label) per legend entry: the classes, then no data, then (regional) the faint context."""
    rows = []
    for b in bins:
        if b.low == b.high:
            label = f"{fmt(b.low)}{_spaced(unit)}"
        else:
            label = f"{fmt(b.low)}–{fmt(b.high)}{_spaced(unit)}"
        rows.append(("class", b.colour, label))
    rows.append(("nodata", "", no_data_label))
    if regional:
        rows.append(("outside", "#ffffff", _("outside the region")))
    return rows


def _legend(rows: list[tuple[str, str, str]], top: float, width: float, columns: int, row_h: int,
            heading: str, note: str, hatch: str) -> str:
    parts = [f'<g class="map-legend" transform="translate(0 {top:.1f})">']
    parts.append(f'<text x="8" y="16" class="chart-label map-method" font-size="18">{escape(heading)}</text>')
    col_w = (width - 16) / columns
    for i, (kind, fill, label) in enumerate(rows):
        col, row = i % columns, i // columns
        x, y = 8 + col * col_w, 28 + row * row_h
        if kind == "nodata":
            swatch = (f'<rect x="{x:.1f}" y="{y}" width="22" height="16" class="legend-swatch legend-nodata" '
                      f'fill="url(#{hatch})" stroke="#1b1f24" stroke-width="0.8"/>')
        else:
            swatch = (f'<rect x="{x:.1f}" y="{y}" width="22" height="16" class="legend-swatch legend-{kind}" '
                      f'fill="{fill}" stroke="{"#b0b6bd" if kind == "outside" else "#1b1f24"}" stroke-width="0.8"/>')
        parts.append(swatch)
        parts.append(f'<text x="{x + 30:.1f}" y="{y + 14}" class="chart-label legend-label" font-size="18">'
                     f'{escape(label)}</text>')
    y = 28 + row_h * ((len(rows) + columns - 1) // columns)
    shapes = _("square: state city · circle: novads, at its administrative centre")
    parts.append(f'<text x="8" y="{y + 14}" class="chart-note map-key" font-size="16">{escape(shapes)}</text>')
    for i, line in enumerate(_wrap(note, width)):
        parts.append(f'<text x="8" y="{y + 38 + 24 * i}" class="chart-note map-note" font-size="16">'
                     f"{escape(line)}</text>")
    parts.append("</g>")
    return "".join(parts)


def _wrap(text: str, width: float) -> list[str]:
    """``text`` in lines that fit the map's width at the legend's font size (about 8.5 px a character)."""
    import textwrap

    return textwrap.wrap(text, width=max(int((width - 16) / 8.5), 20)) if text else []


__all__ = ["choropleth", "classes", "bin_of", "geography", "Bin"]
