"""The reports page preview: the one suppression mark and its footnote, plain labels, a chart in a
wide and a phone layout, no inline style; the admin items page shows category labels."""
import re
from datetime import UTC, datetime

import pandas as pd

from inventory.reporting.chart import NARROW, WIDE, bar_chart
from reports.model import ChartSpec, Sheet
from tests import report_factories as f


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_preview_shows_the_mark_its_footnote_and_both_chart_layouts(client, login_as, db):
    f.settings("America/New_York", threshold=11)
    for day in range(1, 4):  # 3 encounters: a count of people below 11
        f.handout("A", utc(2026, 7, day, 16), {"SYR-1ML-28G": 10})
    db.session.commit()
    login_as("reporter")
    html = client.get("/reports/?period=quarter&quarter=FY2027Q1").get_data(as_text=True)
    assert '<td>Encounters</td><td class="num">*</td>' in html
    assert ("* hidden to protect privacy: counts of 1–10, and cells from which such a count "
            "could be worked out.") in html
    assert "&lt;11" not in html and "<11" not in html
    assert 'class="chart-wide"' in html and 'class="chart-narrow"' in html
    assert 'viewBox="0 0 300 300"' in html and 'viewBox="0 0 560 300"' in html
    assert "style=" not in html and "<style" not in html  # the strict CSP allows neither
    assert "css/reports.css" in html
    assert 'class="swatch swatch-0"' in html


def _sheet(months: int) -> Sheet:
    labels = [f"2026-{m + 1:02d}" for m in range(months)]
    frame = pd.DataFrame({"Month": labels, "A": [5] * months, "B": [7] * months})
    return Sheet("By month", frame, chart=ChartSpec("T", "Month", ["A", "B"], rows=months))


def test_chart_layouts_keep_labels_apart():
    """Three months fit both layouts; 36 months show only every n-th label, never overlapping."""
    for layout in (WIDE, NARROW):
        three = bar_chart(_sheet(3), layout)
        assert [label for _, label in three["labels"]] == ["2026-01", "2026-02", "2026-03"]
        assert three["width"] == layout.width and three["font"] >= 12
        many = bar_chart(_sheet(36), layout)
        xs = [x for x, _ in many["labels"]]
        gaps = {round(b - a, 1) for a, b in zip(xs, xs[1:])}
        assert min(gaps) >= 7 * layout.label_chars  # a 7-character label fits in each gap
        assert len(many["bars"]) == 72
    # Hand-worked: narrow plot 300 - 50 - 10 = 240 units over 36 months = 6.67 per slot; a label
    # takes 7 * 8 + 6 = 62 units, so every 11th month is labelled (ceil(62 / 6)): 0, 11, 22, 33.
    assert len(bar_chart(_sheet(36), NARROW)["labels"]) == 4


def test_admin_items_page_shows_category_labels(client, login_as, db):
    login_as("admin")
    html = client.get("/admin/items").get_data(as_text=True)
    assert "<td>Naloxone kits</td>" in html and "<td>Fentanyl test strips</td>" in html
    assert not re.search(r"<td>fentanyl test strip</td>", html)
