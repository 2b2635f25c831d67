"""Geometry of an inline SVG bar chart for the report preview (no script, no CDN)."""
from dataclasses import dataclass

from reports.model import Sheet

PALETTE = ("#1f4e79", "#2e86c1", "#28b463", "#f1c40f", "#e67e22", "#c0392b", "#8e44ad",
           "#7f8c8d", "#16a085")
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 720, 300, 70, 40, 16


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


def bar_chart(sheet: Sheet) -> dict | None:
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
    plot_w, plot_h = WIDTH - LEFT - 10, HEIGHT - BOTTOM - TOP
    slot = plot_w / spec.rows
    bar_w = slot * 0.6 / (1 if spec.stacked else len(series))
    bars = []
    for i, label in enumerate(labels):
        base = HEIGHT - BOTTOM
        for s, (name, values) in enumerate(series):
            h = plot_h * values[i] / top
            x = LEFT + slot * i + slot * 0.2 + (0 if spec.stacked else s * bar_w)
            y = base - h if spec.stacked else HEIGHT - BOTTOM - h
            if values[i]:
                bars.append(Bar(round(x, 1), round(y, 1), round(bar_w, 1), round(h, 1),
                                PALETTE[s % len(PALETTE)], f"{label} · {name}: {values[i]:,}"))
            if spec.stacked:
                base -= h
    ticks = [(round(HEIGHT - BOTTOM - plot_h * k / 4, 1), f"{top * k // 4:,}") for k in range(5)]
    return {
        "title": spec.title, "width": WIDTH, "height": HEIGHT, "left": LEFT,
        "bottom": HEIGHT - BOTTOM, "bars": bars, "ticks": ticks,
        "labels": [(round(LEFT + slot * (i + 0.5), 1), lab) for i, lab in enumerate(labels)],
        "legend": [(PALETTE[s % len(PALETTE)], name) for s, (name, _) in enumerate(series)],
    }
