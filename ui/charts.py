"""Charts rendered on the server as inline SVG: no JavaScript, nothing to download, readable by a
screen reader (role="img" with a title and a description; the table under each chart holds the
same figures).

Every series has a legend entry, a colour and a marker of its own: eight colours (after the
Okabe-Ito palette, darkened where needed for 3:1 contrast on white) and eight marker shapes, so
colour is never the only cue; from the ninth series on the marker shifts, so that no two series
share both. The legend wraps onto as many lines as it needs and the chart grows with it. Axis
labels carry their unit: % for shares and percentages, € for money, whole numbers for counts."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ui.tables import format_cell

PALETTE = ["#0072B2", "#D55E00", "#007A5A", "#B0448C", "#1A1A1A", "#8A5A00", "#5E3C99", "#6B6B6B"]
MARKERS = ["circle", "square", "diamond", "triangle", "triangle-down", "plus", "cross", "star"]
WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 72, 16, 16, 28  # BOTTOM: room for the category labels under the plot
LEGEND_LINE, LEGEND_SWATCH, CHAR_WIDTH = 18, 22, 6.2  # 11px labels: about 6.2px per character
PLOT_HEIGHT = HEIGHT - TOP - 56
LABEL_CHARS = 30  # a bar's label (a provider's name) in the 220 px left of the bars


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]

    def __post_init__(self):
        # Figures arrive as int, float or Decimal (money); the geometry is computed in floats.
        object.__setattr__(self, "values", [_number(value) for value in self.values])


def _number(value) -> float | None:
    return None if value is None else float(value)


def style(index: int) -> tuple[str, str]:
    """The colour and marker of the series at `index`: distinct pairs for the first 64 series."""
    colour = PALETTE[index % len(PALETTE)]
    marker = MARKERS[(index + index // len(PALETTE)) % len(MARKERS)]
    return colour, marker


# -- axes ------------------------------------------------------------------------------------------


def ticks(top_value: float, kind: str) -> list[float]:
    """Round values for the value axis from 0 to at least `top_value`, about five of them; counts
    and days step by whole numbers (never 0, 1.25, 2.5 for three clients)."""
    top_value = max(top_value, 0)
    if top_value == 0:
        return [0, 1]
    raw = top_value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    whole = kind in ("int", "days")
    steps = [1, 2, 5, 10] if whole and magnitude < 10 else [1, 2, 2.5, 5, 10]
    step = next(s * magnitude for s in steps if s * magnitude >= raw)
    if whole:
        step = max(1, round(step))
    count = math.ceil(round(top_value / step, 9))
    return [step * index for index in range(count + 1)]


def tick_label(value: float, kind: str) -> str:
    """An axis label with its unit, in Dutch: 25%, € 1.250, 1.250 (no decimals where none are needed)."""
    whole = float(value).is_integer()
    if kind == "pct":
        return f"{format_cell(value, 'int') if whole else format_cell(value, 'pct')}%"
    if kind == "money":
        return f"€ {format_cell(value, 'int') if whole or abs(value) >= 100 else format_cell(value, 'money')}"
    if kind in ("int", "days"):
        return format_cell(value, "int")
    return format_cell(value, kind)


def _value_label(value: float | None, kind: str) -> str:
    """A value as a chart prints it next to a bar or in the description, with its unit."""
    if value is None:
        return "–"
    if kind == "pct":
        return f"{format_cell(value, 'pct')}%"
    if kind == "money":
        return f"€ {format_cell(value, 'money')}"
    return format_cell(value, kind)


# -- pieces ------------------------------------------------------------------------------------------


def _open(title: str, description: str, height: float) -> list[str]:
    """A figure with the title visible as its caption; the SVG carries it as its accessible name."""
    return [
        f'<figure class="chart-figure"><figcaption class="chart-figure__title">{escape(title)}</figcaption>'
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" aria-label="{escape(title)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title><desc>{escape(description)}</desc>'
    ]


def _close(parts: list[str]) -> SafeString:
    parts.append("</svg></figure>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped where it is added


def _y_axis(parts: list[str], values: list[float], kind: str) -> float:
    """Grid lines and labels; returns the axis's top value."""
    top_value = values[-1]
    for value in values:
        y = TOP + PLOT_HEIGHT - PLOT_HEIGHT * value / top_value
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="chart__grid"/>')
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart__label">'
            f"{escape(tick_label(value, kind))}</text>"
        )
    return top_value


def _legend_layout(names: Sequence[str], top: float) -> tuple[list[tuple[float, float]], float]:
    """Positions of the legend entries, wrapped onto lines within the chart's width; and the height
    the legend needs."""
    positions, x, y = [], float(LEFT), top
    for name in names:
        width = LEGEND_SWATCH + CHAR_WIDTH * len(name) + 16
        if x > LEFT and x + width > WIDTH - RIGHT:
            x, y = float(LEFT), y + LEGEND_LINE
        positions.append((x, y))
        x += width
    return positions, (y - top + LEGEND_LINE) if names else 0


def _legend(parts: list[str], entries: Sequence[tuple[str, int]], top: float, *, kind: str) -> float:
    """A legend entry (swatch in the series' colour and marker, and its name) per (name, style
    index); `kind` is "line" (a line with its marker) or "box" (a filled box with the marker on
    it). Returns the height it took."""
    positions, height = _legend_layout([name for name, _index in entries], top)
    for (name, index), (x, y) in zip(entries, positions, strict=True):
        colour, marker = style(index)
        parts.append(f'<g class="chart__legend-item" data-colour="{colour}" data-marker="{marker}">')
        if kind == "line":
            parts.append(
                f'<line x1="{x:.1f}" x2="{x + 16:.1f}" y1="{y + 8:.1f}" y2="{y + 8:.1f}" '
                f'stroke="{colour}" stroke-width="2"/>'
            )
        else:
            parts.append(f'<rect x="{x:.1f}" y="{y + 1:.1f}" width="16" height="14" fill="{colour}"/>')
        parts.append(_marker(marker, x + 8, y + 8, colour if kind == "line" else "#fff"))
        parts.append(f'<text x="{x + LEGEND_SWATCH:.1f}" y="{y + 12:.1f}" class="chart__label">{escape(name)}</text>')
        parts.append("</g>")
    return height


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "diamond":
        return f'<path d="M{x:.1f} {y - 5:.1f}l5 5-5 5-5-5z" fill="{colour}"/>'
    if shape == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f}l5 9h-10z" fill="{colour}"/>'
    if shape == "triangle-down":
        return f'<path d="M{x:.1f} {y + 5:.1f}l5-9h-10z" fill="{colour}"/>'
    if shape == "plus":
        return (
            f'<path d="M{x - 5:.1f} {y:.1f}h10M{x:.1f} {y - 5:.1f}v10" stroke="{colour}" stroke-width="2.5" '
            f'fill="none"/>'
        )
    if shape == "cross":
        return (
            f'<path d="M{x - 4:.1f} {y - 4:.1f}l8 8M{x + 4:.1f} {y - 4:.1f}l-8 8" stroke="{colour}" '
            f'stroke-width="2.5" fill="none"/>'
        )
    # star: five points
    points = " ".join(
        f"{x + radius * math.sin(math.pi * k / 5):.1f},{y - radius * math.cos(math.pi * k / 5):.1f}"
        for k, radius in zip(range(10), [5.5, 2.4] * 5, strict=True)
    )
    return f'<polygon points="{points}" fill="{colour}"/>'


def _x_labels(parts: list[str], categories: Sequence[str], x_of) -> None:
    every = max(1, math.ceil(len(categories) / 13))
    for index, category in enumerate(categories):
        if index % every == 0:
            parts.append(
                f'<text x="{x_of(index):.1f}" y="{TOP + PLOT_HEIGHT + 16}" text-anchor="middle" '
                f'class="chart__label">{escape(category)}</text>'
            )


def _frame(title: str, description: str, names: Sequence[str]) -> tuple[list[str], float]:
    """The opened figure of a chart with a plot of PLOT_HEIGHT and a legend for `names` under it."""
    legend_top = TOP + PLOT_HEIGHT + BOTTOM
    _positions, legend_height = _legend_layout(names, legend_top)
    return _open(title, description, legend_top + legend_height + 8), legend_top


# -- charts ------------------------------------------------------------------------------------------


def line_chart(title: str, categories: Sequence[str], series: Sequence[Series], *, kind: str = "int") -> SafeString:
    """Trends: one line per series over the categories (years or periods)."""
    values = [v for s in series for v in s.values if v is not None]
    description = "; ".join(
        f"{s.name}: " + ", ".join(f"{c} {_value_label(v, kind)}" for c, v in zip(categories, s.values, strict=True))
        for s in series
    )
    parts, legend_top = _frame(title, description, [s.name for s in series])
    top_value = _y_axis(parts, ticks(max(values, default=0), kind), kind)
    step = (WIDTH - LEFT - RIGHT) / max(len(categories) - 1, 1)
    _x_labels(parts, categories, lambda index: LEFT + index * step)
    for number, one in enumerate(series):
        colour, marker = style(number)
        parts.append(f'<g class="chart__series" data-colour="{colour}" data-marker="{marker}">')
        points = [
            (LEFT + i * step, TOP + PLOT_HEIGHT - PLOT_HEIGHT * v / top_value)
            for i, v in enumerate(one.values)
            if v is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts.extend(_marker(marker, x, y, colour) for x, y in points)
        parts.append("</g>")
    _legend(parts, [(s.name, number) for number, s in enumerate(series)], legend_top, kind="line")
    return _close(parts)


def share_chart(title: str, categories: Sequence[str], series: Sequence[Series]) -> SafeString:
    """Shares: per category a bar of 100% split into the series (e.g. products per year)."""
    totals = [sum(s.values[i] or 0 for s in series) for i in range(len(categories))]
    description = "; ".join(
        f"{c}: "
        + ", ".join(
            f"{s.name} {_value_label(100 * (s.values[i] or 0) / totals[i], 'pct')}" for s in series if totals[i]
        )
        for i, c in enumerate(categories)
    )
    parts, legend_top = _frame(title, description, [s.name for s in series])
    _y_axis(parts, [0, 25, 50, 75, 100], "pct")
    slot = (WIDTH - LEFT - RIGHT) / max(len(categories), 1)
    bar = slot * 0.6
    groups = [[] for _one in series]
    for i in range(len(categories)):
        x = LEFT + i * slot + (slot - bar) / 2
        bottom = TOP + PLOT_HEIGHT
        for number, one in enumerate(series):
            share = (one.values[i] or 0) / totals[i] if totals[i] else 0
            height = PLOT_HEIGHT * share
            bottom -= height
            colour, marker = style(number)
            groups[number].append(
                f'<rect x="{x:.1f}" y="{bottom:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{colour}" stroke="#fff" stroke-width="1"/>'
            )
            if height >= 12:  # the series' marker on its part, as in the legend
                groups[number].append(_marker(marker, x + bar / 2, bottom + height / 2, "#fff"))
    for number, rects in enumerate(groups):
        colour, marker = style(number)
        parts.append(f'<g class="chart__series" data-colour="{colour}" data-marker="{marker}">{"".join(rects)}</g>')
    _x_labels(parts, categories, lambda index: LEFT + index * slot + slot / 2)
    _legend(parts, [(s.name, number) for number, s in enumerate(series)], legend_top, kind="box")
    return _close(parts)


def grouped_bar_chart(
    title: str, labels: Sequence[str], series: Sequence[Series], *, kind: str = "int", highlight: str | None = None
) -> SafeString:
    """A comparison: per label (e.g. a provider) one horizontal bar per series, each with its value
    printed next to it and the series in the legend; `highlight` marks one label (bold, with ▶)."""
    bar, gap, label_width = 14, 10, 220
    group = bar * max(len(series), 1) + gap
    plot_top = TOP + 4
    values = [v for s in series for v in s.values if v is not None]
    top_value = ticks(max(values, default=0), kind)[-1]
    description = "; ".join(
        f"{label}: "
        + ", ".join(
            _value_label(s.values[i], kind) if len(series) == 1 else f"{s.name} {_value_label(s.values[i], kind)}"
            for s in series
        )
        for i, label in enumerate(labels)
    )
    names = [s.name for s in series]
    legend_top = plot_top + group * max(len(labels), 1) + 8
    _positions, legend_height = _legend_layout(names, legend_top)
    parts = _open(title, description, legend_top + legend_height + 8)
    plot_width = WIDTH - label_width - RIGHT - 64
    groups = [[] for _one in series]
    for i, label in enumerate(labels):
        y = plot_top + i * group
        current = label == highlight
        text = f"▶ {label}" if current else label
        parts.append(
            f'<text x="{label_width - 6}" y="{y + group / 2 + 1:.1f}" text-anchor="end" '
            f'class="chart__label{" chart__label--current" if current else ""}">'
            f"{escape(text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + '…')}</text>"
        )
        for number, one in enumerate(series):
            colour, _marker_shape = style(number)
            value = one.values[i]
            width = plot_width * (value or 0) / top_value
            bar_y = y + number * bar
            groups[number].append(
                f'<rect x="{label_width}" y="{bar_y + 1:.1f}" width="{width:.1f}" height="{bar - 2}" fill="{colour}"/>'
                f'<text x="{label_width + width + 4:.1f}" y="{bar_y + bar - 3:.1f}" class="chart__label">'
                f"{escape(_value_label(value, kind))}</text>"
            )
    for number, rects in enumerate(groups):
        colour, marker = style(number)
        parts.append(f'<g class="chart__series" data-colour="{colour}" data-marker="{marker}">{"".join(rects)}</g>')
    _legend(parts, [(name, number) for number, name in enumerate(names)], legend_top, kind="box")
    return _close(parts)


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    kind: str = "int",
    highlight: str | None = None,
    series_name: str | None = None,
) -> SafeString:
    """A comparison of one figure: one horizontal bar per label (e.g. providers)."""
    return grouped_bar_chart(title, labels, [Series(series_name or title, values)], kind=kind, highlight=highlight)
