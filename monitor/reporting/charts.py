"""Small server-rendered SVG charts (no JavaScript, printable). Every chart is shown beside its data table."""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from markupsafe import Markup, escape


def bar_chart(title: str, bars: Sequence[tuple[str, Decimal | None, int]], *, unit: str = "%",
              maximum: Decimal | None = None, no_data: str = "—") -> Markup:
    """Horizontal bars: (label, value or None, n). ``None`` values get no bar, only the ``no_data`` text (the
    caller's "no data" in the page's language) — an empty base is never drawn as a bar of 0."""
    values = [v for _label, v, _n in bars if v is not None]
    top = maximum if maximum is not None else (max(values) if values else Decimal(1))
    top = top if top and top > 0 else Decimal(1)
    row, label_w, bar_w, pad = 26, 250, 330, 6
    height = row * len(bars) + 2 * pad
    width = label_w + bar_w + 120
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>"]
    for i, (label, value, n) in enumerate(bars):
        y = pad + i * row
        parts.append(f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" class="chart-label">'
                     f"{escape(label)}</text>")
        if value is None:
            parts.append(f'<text x="{label_w + 4}" y="{y + 17}" class="chart-note">{escape(no_data)} (n = {n})</text>')
            continue
        length = max(float(value) / float(top) * bar_w, 0.0)
        parts.append(f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" class="chart-bar"/>')
        parts.append(f'<text x="{label_w + length + 6:.1f}" y="{y + 17}" class="chart-value">'
                     f"{_short(value)}{escape(unit)} (n = {n})</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def scatter(title: str, points: Sequence[tuple[Decimal, Decimal]], *, x_label: str, y_label: str,
            x_range: tuple[int, int] = (0, 10), y_range: tuple[int, int] = (0, 10)) -> Markup:
    """A scatter plot of two scores (e.g. state-support sufficiency × grant uptake)."""
    size, margin = 320, 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {size + 2 * margin} '
             f'{size + 2 * margin}" width="{size + 2 * margin}" height="{size + 2 * margin}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<rect x="{margin}" y="{margin}" width="{size}" height="{size}" class="chart-frame"/>']

    def sx(v: Decimal) -> float:
        return margin + (float(v) - x_range[0]) / (x_range[1] - x_range[0]) * size

    def sy(v: Decimal) -> float:
        return margin + size - (float(v) - y_range[0]) / (y_range[1] - y_range[0]) * size

    for x, y in points:
        parts.append(f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="4" class="chart-dot"/>')
    parts.append(f'<text x="{margin + size / 2}" y="{size + 2 * margin - 8}" text-anchor="middle" '
                 f'class="chart-label">{escape(x_label)}</text>')
    parts.append(f'<text x="12" y="{margin + size / 2}" text-anchor="middle" class="chart-label" '
                 f'transform="rotate(-90 12 {margin + size / 2})">{escape(y_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def _short(value: Decimal) -> str:
    return f"{value:.1f}".replace(".0", "") if value == value.to_integral_value() else f"{value:.1f}"
