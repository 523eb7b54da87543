"""Charts rendered on the server as inline SVG: no JavaScript, nothing to download, readable by a
screen reader (role="img" with a title and a description; the table under each chart holds the
same figures). Colours are the Okabe-Ito palette, distinguishable with colour-vision deficiencies;
lines also differ by marker shape, so colour is never the only cue."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .tables import format_cell

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442"]
MARKERS = ["circle", "square", "diamond", "triangle"]
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]

    def __post_init__(self):
        # Figures arrive as int, float or Decimal (money); the geometry is computed in floats.
        object.__setattr__(self, "values", [_number(value) for value in self.values])


def _number(value) -> float | None:
    return None if value is None else float(value)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _open(title: str, description: str, height: int = HEIGHT) -> list[str]:
    """A figure with the title visible as its caption; the SVG carries it as its accessible name."""
    return [
        f'<figure class="chart-figure"><figcaption class="chart-figure__title">{escape(title)}</figcaption>'
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title><desc>{escape(description)}</desc>'
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg></figure>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped where it is added


def _y_axis(parts: list[str], top_value: float, kind: str) -> None:
    plot_height = HEIGHT - TOP - BOTTOM
    for index in range(5):
        value = top_value * index / 4
        y = TOP + plot_height - plot_height * index / 4
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="chart__grid"/>')
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart__label">'
                     f"{escape(format_cell(value, 'int' if kind == 'money' else kind))}</text>")


def _legend(parts: list[str], names: Sequence[str], y: float, *, markers: bool) -> None:
    x = LEFT
    for index, name in enumerate(names):
        colour = PALETTE[index % len(PALETTE)]
        if markers:
            parts.append(_marker(index, x + 6, y - 4, colour))
        else:
            parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="{y}" class="chart__label">{escape(name)}</text>')
        x += 24 + 7 * len(name)


def _marker(index: int, x: float, y: float, colour: str) -> str:
    shape = MARKERS[index % len(MARKERS)]
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f}l5 5-5 5-5-5z" fill="{colour}"/>'
    return f'<path d="M{x:.1f} {y - 5:.1f}l5 9h-10z" fill="{colour}"/>'


def line_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, kind: str = "int") -> SafeString:
    """Trends: one line per series over the categories (years or periods)."""
    values = [v for s in series for v in s.values if v is not None]
    top_value = _nice_max(max(values, default=0))
    description = "; ".join(
        f"{s.name}: " + ", ".join(f"{c} {format_cell(v, kind)}" for c, v in zip(categories, s.values, strict=True))
        for s in series
    )
    parts = _open(title, description)
    _y_axis(parts, top_value, kind)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(categories) - 1, 1)
    every = max(1, len(categories) // 13)
    for index, category in enumerate(categories):
        if index % every == 0:
            parts.append(f'<text x="{LEFT + index * step:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                         f'class="chart__label">{escape(category)}</text>')
    for number, one in enumerate(series):
        colour = PALETTE[number % len(PALETTE)]
        points = [(LEFT + i * step, TOP + plot_height - plot_height * v / top_value)
                  for i, v in enumerate(one.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(_marker(number, x, y, colour) for x, y in points)
    _legend(parts, [s.name for s in series], HEIGHT - 12, markers=True)
    return _close(parts)


def share_chart(title: str, categories: Sequence[str], series: Sequence[Series]) -> SafeString:
    """Shares: per category a bar of 100% split into the series (e.g. products per year)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    description = "; ".join(
        f"{c}: " + ", ".join(f"{s.name} {format_cell(100 * (s.values[i] or 0) / totals[i], 'pct')}%"
                             for s in series if totals[i])
        for i, c in enumerate(categories)
    )
    parts = _open(title, description)
    _y_axis(parts, 100, "int")
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(categories), 1)
    bar = slot * 0.6
    for i, category in enumerate(categories):
        x = LEFT + i * slot + (slot - bar) / 2
        bottom = TOP + plot_height
        for number, one in enumerate(series):
            share = (one.values[i] or 0) / totals[i] if totals[i] else 0
            height = plot_height * share
            bottom -= height
            parts.append(f'<rect x="{x:.1f}" y="{bottom:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                         f'fill="{PALETTE[number % len(PALETTE)]}" stroke="#fff" stroke-width="1"/>')
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
                     f'class="chart__label">{escape(category)}</text>')
    _legend(parts, [s.name for s in series], HEIGHT - 12, markers=False)
    return _close(parts)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float | None], *, kind: str = "int",
              highlight: str | None = None) -> SafeString:
    """A comparison: one horizontal bar per label (e.g. providers); `highlight` marks one of them."""
    row, label_width = 22, 220
    height = TOP + BOTTOM // 2 + row * max(len(labels), 1)
    values = [_number(value) for value in values]
    top_value = _nice_max(max((v for v in values if v is not None), default=0))
    description = ", ".join(f"{label}: {format_cell(value, kind) or '-'}" for label, value in zip(labels, values,
                                                                                                   strict=True))
    parts = _open(title, description, height)
    plot_width = WIDTH - label_width - RIGHT - 56
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + index * row
        colour = PALETTE[1] if label == highlight else PALETTE[0]
        parts.append(f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" class="chart__label">'
                     f"{escape(label[:34])}</text>")
        width = plot_width * (value or 0) / top_value
        parts.append(f'<rect x="{label_width}" y="{y + 3}" width="{width:.1f}" height="{row - 6}" fill="{colour}"/>')
        parts.append(f'<text x="{label_width + width + 4:.1f}" y="{y + 14}" class="chart__label">'
                     f"{escape(format_cell(value, kind) or '–')}</text>")
    return _close(parts)
