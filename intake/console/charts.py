"""Small inline SVG charts for the supervisor view: no script, readable without colour."""
from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 26
LABEL_WIDTH = 150
BAR_WIDTH = 320


def bar_chart(bars: Sequence[tuple[str, int]], *, title: str, highlight: Sequence[bool] | None = None) -> Markup:
    """Horizontal bars, one per (label, count), each with its figure written beside it."""
    top = max((value for _, value in bars), default=0) or 1
    height = ROW * len(bars) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 60
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for index, (label, value) in enumerate(bars):
        y = 4 + index * ROW
        length = round(BAR_WIDTH * value / top)
        css = "bar hot" if highlight and highlight[index] else "bar"
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{escape(label)}</text>'
            f'<rect class="{css}" x="{LABEL_WIDTH}" y="{y + 3}" width="{max(length, 1)}" height="{ROW - 8}"/>'
            f'<text x="{LABEL_WIDTH + max(length, 1) + 6}" y="{y + 16}">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
