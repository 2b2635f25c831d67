"""Geometry of an inline SVG bar chart for the report preview (no script, no CDN).

Two layouts of the same bars: ``WIDE`` for tablets and desktops and ``NARROW`` for phones; each
viewBox is about as wide as the drawing is on screen, so that its text stays 12 px or more. The
page shows one of them by a CSS media query (static/css/reports.css).
"""
from dataclasses import dataclass

from reports.model import Sheet

# Series colours; static/css/reports.css has the same list for the legend's swatches.
PALETTE = ("#1f4e79", "#2e86c1", "#28b463", "#f1c40f", "#e67e22", "#c0392b", "#8e44ad",
           "#7f8c8d", "#16a085")


@dataclass(frozen=True)
class Layout:
    name: str
    width: int
    height: int
    left: int
    bottom: int
    top: int
    font: int            # tick and month labels, in viewBox units
    label_chars: float   # viewBox units per label character, to thin crowded month labels


# Sized so that the drawing shows near its own scale where it is used: about 550 px wide on a
# 768 px tablet, about 330 px on a 390 px phone.
WIDE = Layout("wide", 560, 300, 64, 40, 16, 14, 8.5)
NARROW = Layout("narrow", 300, 300, 50, 36, 14, 13, 8.0)


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    color: str
    title: str


def _nice_max(value: float) -> int:
    if value <= 0:
        return 1
    step = 10 ** (len(str(int(value))) - 1)
    return int(-(-value // step) * step)


def _every(labels: list[str], slot: float, layout: Layout) -> int:
    """Show every n-th category label so that neighbours never overlap."""
    longest = max((len(s) for s in labels), default=1) * layout.label_chars + 6
    return max(1, -(-int(longest) // max(1, int(slot))))


def bar_chart(sheet: Sheet, layout: Layout = WIDE) -> dict | None:
    """Bars (stacked or side by side) for ``sheet.chart``; None when the sheet has no chart."""
    spec = sheet.chart
    if spec is None or spec.rows == 0:
        return None
    frame = sheet.frame.iloc[:spec.rows]
    labels = [str(v) for v in frame[spec.category_column]]
    series = [(name, [int(v or 0) for v in frame[name]]) for name in spec.value_columns]
    sums = [sum(vals[i] for _, vals in series) for i in range(spec.rows)] if spec.stacked else \
        [max(vals[i] for _, vals in series) for i in range(spec.rows)]
    top = _nice_max(max(sums, default=0))
    width, height = layout.width, layout.height
    plot_w, plot_h = width - layout.left - 10, height - layout.bottom - layout.top
    slot = plot_w / spec.rows
    bar_w = slot * 0.6 / (1 if spec.stacked else len(series))
    bars = []
    for i, label in enumerate(labels):
        base = height - layout.bottom
        for s, (name, values) in enumerate(series):
            h = plot_h * values[i] / top
            x = layout.left + slot * i + slot * 0.2 + (0 if spec.stacked else s * bar_w)
            y = base - h if spec.stacked else height - layout.bottom - h
            if values[i]:
                bars.append(Bar(round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1),
                                PALETTE[s % len(PALETTE)], f"{label} · {name}: {values[i]:,}"))
            if spec.stacked:
                base -= h
    ticks = [(round(height - layout.bottom - plot_h * k / 4, 1), f"{top * k // 4:,}")
             for k in range(5)]
    every = _every(labels, slot, layout)
    return {
        "layout": layout.name, "title": spec.title, "width": width, "height": height,
        "left": layout.left, "bottom": height - layout.bottom, "font": layout.font,
        "bars": bars, "ticks": ticks,
        "labels": [(round(layout.left + slot * (i + 0.5), 1), lab)
                   for i, lab in enumerate(labels) if i % every == 0],
        "legend": [(s % len(PALETTE), name) for s, (name, _) in enumerate(series)],
    }


def bar_charts(sheet: Sheet) -> list[dict]:
    """The chart in both layouts, wide first; empty when the sheet has no chart."""
    charts = [bar_chart(sheet, layout) for layout in (WIDE, NARROW)]
    return [c for c in charts if c is not None]
