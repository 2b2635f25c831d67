"""Age bands: the five-year bands regrouped into the federal NHBS bands (18–24, 25–29, 30–39,
40–49, 50 and over) for the Demographics sheet. A participant recorded in an older ten-year
band that spans two NHBS bands cannot be placed and is shown as "Recorded in an older band"."""
from inventory.labels import label
from inventory.participants.models import NHBS_AGE_BANDS, OLDER_AGE_RANGES

NHBS_DIMENSION = "Age range (NHBS bands)"
OLDER_BAND_LABEL = "Recorded in an older band"
# Older bands that fit one NHBS band whole (none: 25–34, 35–44, 45–54 each span two; 55–64
# lies in "50 and over").
OLDER_INTO_NHBS = {"older_55_64": "50_plus"}


def nhbs_counts(counts, not_recorded: str, not_recorded_label: str) -> list[tuple[str, str, int]]:
    """(dimension, value, participants) rows of the NHBS regrouping of the age ``counts``
    (stored value -> participants; ``not_recorded`` keys the participants without one)."""
    def n(value):
        return int(counts.get(value, 0))

    rows = [(NHBS_DIMENSION, label("age_range", "under_18"), n("under_18"))]
    for band, parts in NHBS_AGE_BANDS.items():
        older = sum(n(o) for o, into in OLDER_INTO_NHBS.items() if into == band)
        rows.append((NHBS_DIMENSION, label("nhbs_age", band), sum(n(p) for p in parts) + older))
    unplaced = sum(n(o) for o in OLDER_AGE_RANGES if o not in OLDER_INTO_NHBS)
    rows.append((NHBS_DIMENSION, OLDER_BAND_LABEL, unplaced))
    rows.append((NHBS_DIMENSION, label("age_range", "declined"), n("declined")))
    rows.append((NHBS_DIMENSION, not_recorded_label, n(not_recorded)))
    return rows
