"""Small server-rendered SVG charts (no JavaScript, printable). Every chart is shown beside its data table.

Numbers follow the page's language (decimal comma in Latvian); every text goes through ``markupsafe.escape``.
Call inside a request or app context with a locale (``flask_babel.force_locale`` in tests)."""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any, Sequence

from babel.numbers import format_decimal
from flask_babel import gettext as _, ngettext
from markupsafe import Markup, escape

from reports import stats

from ..locale import current_locale

Number = Decimal | int | float


def fmt(value: Number, places: int = 1) -> str:
    """A number in the current locale: up to ``places`` decimals, trailing zeros dropped ("4,9" in Latvian)."""
    pattern = "#,##0" + ("." + "#" * places if places else "")
    return format_decimal(Decimal(str(value)), format=pattern, locale=current_locale())


def _svg_open(title: str, width: float, height: float, desc: str = "") -> str:
    text = escape(title)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width:g} {height:g}" '
            f'width="{width:g}" height="{height:g}" role="img" aria-label="{text}"><title>{text}</title>'
            + (f"<desc>{escape(desc)}</desc>" if desc else ""))


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Ticks 0, step, … up to the first multiple of a 1-2-5 step at or above ``top``."""
    top = top if top > 0 else 1.0
    raw = top / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def bar_chart(title: str, bars: Sequence[tuple[Any, ...]], *, unit: str = "%",
              maximum: Decimal | None = None, no_data: str = "—", sort: bool = False,
              axis_label: str | None = None) -> Markup:
    """Horizontal bars: (label, value or None, n), each labelled with its value and n, over an x axis with ticks
    and the unit. ``sort`` orders bars by value, largest first (only where the order carries no meaning; no-data
    bars last). ``None`` values get no bar, only a labelled gap with ``no_data`` (the caller's "no data" in the
    page's language) — an empty base is never drawn as a bar of 0. A bar may carry a fourth element: the text shown
    instead of ``no_data`` for its missing value (e.g. a value withheld from the public: "fewer than 3")."""
    if sort:
        bars = sorted(bars, key=lambda b: (b[1] is None, -(b[1] or 0)))
    values = [float(b[1]) for b in bars if b[1] is not None]
    top = float(maximum) if maximum is not None else max(values, default=1.0)
    ticks = nice_ticks(top)
    scale_top = ticks[-1]
    row, label_w, bar_w, pad, axis_h = 26, 250, 330, 6, 44
    plot_h = row * len(bars)
    height = plot_h + 2 * pad + axis_h
    width = label_w + bar_w + 130
    parts = [_svg_open(title, width, height)]
    base_y = pad + plot_h
    for tick in ticks:  # light grid lines, tick marks and labels on the x axis
        x = label_w + tick / scale_top * bar_w
        parts.append(f'<line x1="{x:.1f}" y1="{pad}" x2="{x:.1f}" y2="{base_y}" class="chart-grid"/>')
        parts.append(f'<line x1="{x:.1f}" y1="{base_y}" x2="{x:.1f}" y2="{base_y + 5}" class="chart-axis"/>')
        parts.append(f'<text x="{x:.1f}" y="{base_y + 18}" text-anchor="middle" class="chart-tick">'
                     f"{fmt(tick)}</text>")
    parts.append(f'<line x1="{label_w}" y1="{base_y}" x2="{label_w + bar_w}" y2="{base_y}" class="chart-axis x-axis"/>')
    parts.append(f'<line x1="{label_w}" y1="{pad}" x2="{label_w}" y2="{base_y}" class="chart-axis y-axis"/>')
    caption = axis_label if axis_label is not None else unit
    if caption:
        parts.append(f'<text x="{label_w + bar_w / 2}" y="{base_y + 36}" text-anchor="middle" '
                     f'class="chart-label axis-label">{escape(caption)}</text>')
    for i, bar in enumerate(bars):
        label, value, n = bar[:3]
        y = pad + i * row
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="chart-label">'
                     f"{escape(label)}</text>")
        if value is None:
            parts.append(f'<text x="{label_w + 6}" y="{y + 17}" class="chart-note chart-nodata">'
                         f"{escape(bar[3] if len(bar) > 3 else no_data)} (n = {n})</text>")
            continue
        length = min(max(float(value) / scale_top * bar_w, 0.0), bar_w)
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" class="chart-bar">'
                     f"<title>{escape(label)}: {fmt(value)}{escape(unit)} (n = {n})</title></rect>")
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" class="chart-value">'
                     f"{fmt(value)}{escape(unit)} (n = {n})</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _strength(r: Decimal) -> str:
    size = abs(r)
    if size < Decimal("0.1"):
        return _("no linear relation")
    positive = r > 0
    if size < Decimal("0.3"):
        return _("a weak positive relation") if positive else _("a weak negative relation")
    if size < Decimal("0.5"):
        return _("a moderate positive relation") if positive else _("a moderate negative relation")
    return _("a strong positive relation") if positive else _("a strong negative relation")


def fit_sentence(r: Decimal | None, r_squared: Decimal | None, n: int) -> list[str]:
    """The fit in words, as short lines: r with its strength, R² with the share of variation explained, n."""
    if r is None or r_squared is None:
        return [_("Too few pairs with variation for a fitted line (n = %(n)s).", n=n)]
    return [_("r = %(r)s: %(strength)s;", r=fmt(r, 2), strength=_strength(r)),
            _("R² = %(r2)s: the line explains %(share)s %% of the variation (n = %(n)s).",
              r2=fmt(r_squared, 2), share=fmt(r_squared * 100, 0), n=n)]


def _municipalities(count: int) -> str:
    return ngettext("%(num)d municipality", "%(num)d municipalities", count)


def scatter(title: str, points: Sequence[tuple[Any, ...]], *, x_label: str, y_label: str,
            x_range: tuple[int, int] = (0, 10), y_range: tuple[int, int] = (0, 10), tick_step: int = 2,
            fit: tuple[Decimal, Decimal] | None = None, r: Decimal | None = None,
            r_squared: Decimal | None = None) -> Markup:
    """A scatter plot of two scores (e.g. state-support sufficiency × grant uptake): points (x, y) or (x, y, name).

    Equal pairs are drawn once, as a circle whose area grows with the count, with a ``<title>`` naming them and
    the count; a size legend explains the circles. ``fit`` is (slope, intercept) of the least-squares line and
    ``r``/``r_squared`` the table's figures; any not given are computed from the points. Under the plot the fit is
    stated in words with n."""
    xs = [Decimal(str(p[0])) for p in points]
    ys = [Decimal(str(p[1])) for p in points]
    n = len(points)
    fit = fit if fit is not None else stats.linear_fit(xs, ys)
    r = r if r is not None else stats.pearson_r(xs, ys)
    r_squared = r_squared if r_squared is not None else stats.r_squared(xs, ys)
    groups: dict[tuple[Decimal, Decimal], list[str]] = {}
    for point, x, y in zip(points, xs, ys):
        groups.setdefault((x, y), []).append(str(point[2]) if len(point) > 2 else "")
    size, left, top_m, right_w, bottom = 320, 56, 16, 150, 96
    width, height = left + size + right_w, top_m + size + bottom
    lines = fit_sentence(r, r_squared, n)
    parts = [_svg_open(title, width, height, " ".join(lines))]

    def sx(v: Number) -> float:
        return left + (float(v) - x_range[0]) / (x_range[1] - x_range[0]) * size

    def sy(v: Number) -> float:
        return top_m + size - (float(v) - y_range[0]) / (y_range[1] - y_range[0]) * size

    parts.append(f'<rect x="{left}" y="{top_m}" width="{size}" height="{size}" class="chart-frame"/>')
    for tick in range(x_range[0], x_range[1] + 1, tick_step):
        x = sx(tick)
        parts.append(f'<line x1="{x:.1f}" y1="{top_m + size}" x2="{x:.1f}" y2="{top_m + size + 5}" '
                     f'class="chart-axis x-tick"/>')
        parts.append(f'<text x="{x:.1f}" y="{top_m + size + 18}" text-anchor="middle" class="chart-tick x-tick">'
                     f"{fmt(tick)}</text>")
    for tick in range(y_range[0], y_range[1] + 1, tick_step):
        y = sy(tick)
        parts.append(f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" class="chart-axis y-tick"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" class="chart-tick y-tick">'
                     f"{fmt(tick)}</text>")
    parts.append(f'<text x="{left + size / 2}" y="{top_m + size + 38}" text-anchor="middle" '
                 f'class="chart-label axis-label x-label">{escape(x_label)} '
                 f'({escape(_("score %(low)s–%(high)s", low=x_range[0], high=x_range[1]))})</text>')
    mid = top_m + size / 2
    parts.append(f'<text x="14" y="{mid}" text-anchor="middle" class="chart-label axis-label y-label" '
                 f'transform="rotate(-90 14 {mid})">{escape(y_label)} '
                 f'({escape(_("score %(low)s–%(high)s", low=y_range[0], high=y_range[1]))})</text>')
    if fit is not None:
        parts.append(_fit_line(fit, x_range, y_range, sx, sy))
    for (x, y), names in sorted(groups.items()):
        count = len(names)
        named = ", ".join(sorted(name for name in names if name))
        label = f"{named}: " if named else ""
        tip = f"{label}{fmt(x)}; {fmt(y)} ({_municipalities(count)})"
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="{_radius(count):.1f}" class="chart-dot" '
                     f'data-count="{count}"><title>{escape(tip)}</title></circle>')
        if count > 1:
            parts.append(f'<text x="{sx(x):.1f}" y="{sy(y) + 4:.1f}" text-anchor="middle" class="chart-count">'
                         f"{count}</text>")
    parts.append(_size_legend(left + size + 16, top_m, max((len(v) for v in groups.values()), default=1)))
    for i, line in enumerate(lines):
        parts.append(f'<text x="{left}" y="{top_m + size + 62 + i * 18}" class="chart-note fit-note">'
                     f"{escape(line)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def _radius(count: int) -> float:
    return 4.0 * math.sqrt(count)  # the circle's area is proportional to the count


def _fit_line(fit: tuple[Decimal, Decimal], x_range: tuple[int, int], y_range: tuple[int, int], sx: Any,
              sy: Any) -> str:
    """The least-squares line y = intercept + slope·x across the x axis, clipped to the plot's y range."""
    slope, intercept = (float(v) for v in fit)
    x0, x1 = float(x_range[0]), float(x_range[1])
    low, high = float(y_range[0]), float(y_range[1])
    if slope:
        a, b = sorted(((low - intercept) / slope, (high - intercept) / slope))
        x0, x1 = max(x0, a), min(x1, b)
        if x0 >= x1:
            return ""
    elif not low <= intercept <= high:
        return ""
    y0, y1 = intercept + slope * x0, intercept + slope * x1
    return (f'<line x1="{sx(x0):.2f}" y1="{sy(y0):.2f}" x2="{sx(x1):.2f}" y2="{sy(y1):.2f}" class="chart-fit">'
            f"<title>{escape(_('Fitted line'))}: y = {fmt(intercept, 2)} {'−' if slope < 0 else '+'} "
            f"{fmt(abs(slope), 2)}·x</title></line>")


def _size_legend(x: float, y: float, largest: int) -> str:
    """Circles for 1, 2 … the largest count, so a bigger circle reads as several municipalities."""
    counts = sorted({1, largest} | ({2} if largest > 2 else set()))
    parts = [f'<g class="chart-legend"><text x="{x}" y="{y + 12}" class="chart-label">'
             f"{escape(_('Circle size'))}</text>"]
    cy = y + 30.0
    for count in counts:
        radius = _radius(count)
        cy += radius
        parts.append(f'<circle cx="{x + 14}" cy="{cy:.1f}" r="{radius:.1f}" class="chart-dot legend-dot"/>')
        parts.append(f'<text x="{x + 34}" y="{cy + 4:.1f}" class="chart-note">{escape(_municipalities(count))}</text>')
        cy += radius + 10
    parts.append("</g>")
    return "".join(parts)


def series_chart(title: str, points: Sequence[Any], *, unit: str = "", axis_label: str = "",
                 maximum: Decimal | None = None, small_base: int = 0, reform_year: int = 2021,
                 withheld: str = "") -> Markup:
    """An indicator across the years (``series.Point``s in time order): one slot per point, labelled under the
    axis with its year, its source and its base (n). Reporting years are filled circles joined by a line between
    neighbouring years with data; the published 2017/2022 figures are hollow diamonds, never joined to them (other
    surveys, other populations); a dashed rule marks the 2021 reform between the points before and after it. A
    point without a value is a gap labelled "no data" (or "no figure published") — never a 0; a point whose value
    is ``withheld`` from the reader (``Point.withheld``) is a gap labelled with that text."""
    slot, left, top_m, plot_h, bottom = 96, 64, 24, 220, 96
    width = max(left + slot * max(len(points), 1) + 16, 420)  # at least as wide as the legend under it
    height = top_m + plot_h + bottom
    values = [float(p.value) for p in points if p.value is not None]
    top = float(maximum) if maximum is not None else max(values, default=1.0)
    ticks = nice_ticks(top)
    scale_top = ticks[-1] or 1.0
    base_y = top_m + plot_h
    parts = [_svg_open(title, width, height)]

    def sy(v: float) -> float:
        return base_y - min(max(v / scale_top, 0.0), 1.0) * plot_h

    for tick in ticks:
        y = sy(tick)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 16}" y2="{y:.1f}" class="chart-grid"/>')
        parts.append(f'<line x1="{left - 5}" y1="{y:.1f}" x2="{left}" y2="{y:.1f}" class="chart-axis y-tick"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" class="chart-tick y-tick">'
                     f"{fmt(tick)}</text>")
    parts.append(f'<line x1="{left}" y1="{top_m}" x2="{left}" y2="{base_y}" class="chart-axis y-axis"/>')
    parts.append(f'<line x1="{left}" y1="{base_y}" x2="{width - 16}" y2="{base_y}" class="chart-axis x-axis"/>')
    if axis_label:
        mid = top_m + plot_h / 2
        parts.append(f'<text x="14" y="{mid}" text-anchor="middle" class="chart-label axis-label y-label" '
                     f'transform="rotate(-90 14 {mid})">{escape(axis_label)}</text>')
    names = {"biss_2017": "BISS", "survey_2022": _("survey"), "returns": _("returns")}
    centre = [left + slot * i + slot / 2 for i in range(len(points))]
    for i in range(1, len(points)):  # the 2021 reform between two neighbouring points
        if points[i - 1].year <= reform_year < points[i].year:
            x = left + slot * i
            parts.append(f'<line x1="{x}" y1="{top_m - 8}" x2="{x}" y2="{base_y + 6}" class="chart-reform"/>')
            parts.append(f'<text x="{x + 4}" y="{top_m - 10}" class="chart-note reform-note">'
                         f"{escape(_('%(year)s reform', year=reform_year))}</text>")
    previous: tuple[float, float] | None = None
    for i, (x, p) in enumerate(zip(centre, points)):
        parts.append(f'<text x="{x:.1f}" y="{base_y + 20}" text-anchor="middle" class="chart-tick x-tick">'
                     f"{p.year}</text>")
        parts.append(f'<text x="{x:.1f}" y="{base_y + 36}" text-anchor="middle" class="chart-note source">'
                     f"{escape(names.get(p.source, p.source))}</text>")
        small = p.n is not None and 0 < p.n < small_base and not p.published
        base = f"n = {p.n}" if p.n is not None else _("n not stated")
        parts.append(f'<text x="{x:.1f}" y="{base_y + 52}" text-anchor="middle" '
                     f'class="chart-note base{" small-base" if small else ""}">{escape(base)}</text>')
        if p.value is None:
            words = withheld if p.withheld and withheld else _("no figure published") if p.published else _("no data")
            parts.append(f'<text x="{x:.1f}" y="{base_y - 8}" text-anchor="middle" class="chart-note chart-nodata">'
                         f"{escape(words)}</text>")
            if not p.published:
                previous = None
            continue
        y = sy(float(p.value))
        label = ("≈ " if not p.exact else "") + fmt(p.value) + unit
        tip = f"{p.year}, {names.get(p.source, p.source)}: {label} ({base})"
        if p.published:
            d = 7
            parts.append(f'<path d="M{x:.1f} {y - d:.1f} L{x + d:.1f} {y:.1f} L{x:.1f} {y + d:.1f} L{x - d:.1f} '
                         f'{y:.1f} Z" class="chart-ref{"" if p.exact else " approximate"}" data-year="{p.year}">'
                         f"<title>{escape(tip)}</title></path>")
        else:
            if previous is not None:
                parts.append(f'<line x1="{previous[0]:.1f}" y1="{previous[1]:.1f}" x2="{x:.1f}" y2="{y:.1f}" '
                             f'class="chart-line"/>')
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" class="chart-dot" data-year="{p.year}">'
                         f"<title>{escape(tip)}</title></circle>")
            previous = (x, y)
        parts.append(f'<text x="{x:.1f}" y="{y - 11:.1f}" text-anchor="middle" class="chart-value">'
                     f"{escape(label)}</text>")
    legend_y = base_y + 80
    parts.append(f'<g class="chart-legend"><circle cx="{left + 6}" cy="{legend_y - 4}" r="5" class="chart-dot"/>'
                 f'<text x="{left + 16}" y="{legend_y}" class="chart-note">{escape(_("reporting year"))}</text>'
                 f'<path d="M{left + 156} {legend_y - 11} L{left + 163} {legend_y - 4} L{left + 156} {legend_y + 3} '
                 f'L{left + 149} {legend_y - 4} Z" class="chart-ref"/>'
                 f'<text x="{left + 170}" y="{legend_y}" class="chart-note">'
                 f'{escape(_("published in the study"))}</text></g>')
    parts.append("</svg>")
    return Markup("".join(parts))
