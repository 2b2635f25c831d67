"""The hand-built dataset of the golden report test (FY2027 Q1 = Jul-Sep 2026, America/New_York,
threshold 3) and the figures computed by hand from it. Local noon is 16:00 UTC in summer."""
from datetime import UTC, date, datetime

from tests import report_factories as f

TZ = "America/New_York"


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def build() -> dict:
    f.settings(TZ, threshold=3, fiscal_start=7)
    f.site("A"), f.site("B")
    narcan_lot = f.lot("NARCAN-4MG", date(2026, 11, 15))
    fts_lot = f.lot("FTS", date(2027, 6, 1))
    f.event("receipt", "A", utc(2026, 6, 1, 16),
            [("SYR-1ML-28G", 500), ("NARCAN-4MG", 24, narcan_lot), ("FTS", 100, fts_lot)])
    # p0 and p2 were recorded in the old ten-year bands (migration 0013 kept them as such).
    p0 = f.participant("p0", utc(2026, 6, 15, 16), age="older_25_34")
    p1 = f.participant("p1", utc(2026, 7, 5, 16), age="25_29", gender="woman", race="white")
    p2 = f.participant("p2", utc(2026, 7, 10, 16), age="older_35_44", gender="man", race="black")
    p3 = f.participant("p3", utc(2026, 8, 15, 16))
    f.handout("B", utc(2026, 6, 15, 16), {"SYR-1ML-28G": 10}, who=p0)          # before the period
    f.event("receipt", "B", utc(2026, 7, 2, 16), [("SYR-1ML-27G", 200)])
    f.handout("A", utc(2026, 7, 5, 16), {"SYR-1ML-28G": 20, "NARCAN-4MG": 1}, who=p1, returned=10,
              referrals=["medical"])
    f.handout("A", utc(2026, 7, 10, 16), {"SYR-1ML-28G": 10, "FTS": 5}, who=p2, returned=10,
              used=1, reversals=1)
    f.handout("A", utc(2026, 7, 12, 16), {"CONDOM-EXT": 12}, secondary=2)
    f.handout("B", utc(2026, 7, 20, 16), {"SYR-1ML-27G": 30, "NALOXONE-IM": 2}, who=p0,
              returned=30, referrals=["housing", "treatment_moud"])
    f.event("transfer_out", "A", utc(2026, 8, 1, 16), [("SYR-1ML-28G", -100)], counterpart="B")
    f.event("transfer_in", "B", utc(2026, 8, 1, 20), [("SYR-1ML-28G", 100)], counterpart="A")
    f.handout("A", utc(2026, 8, 3, 16), {"SYR-1ML-28G": 20}, who=p1, returned=20)
    f.handout("B", utc(2026, 8, 15, 16), {"XTS": 4, "SMOKE-KIT": 2}, who=p3)
    voided = f.handout("B", utc(2026, 8, 16, 16), {"SYR-1ML-28G": 10}, returned=5, reversals=4)
    f.void(voided, utc(2026, 8, 16, 18))
    f.event("disposal", "A", utc(2026, 9, 1, 16), [("NARCAN-4MG", -1, narcan_lot)])
    f.event("adjustment", "B", utc(2026, 9, 2, 16), [("SYR-1ML-27G", -5)])
    # 23:30 on the quarter's last day, New York time (EDT, UTC-4): inside Q1.
    f.handout("B", utc(2026, 10, 1, 3, 30), {"NARCAN-4MG": 3}, used=2, reversals=2)
    # 00:30 the next day: outside.
    f.handout("A", utc(2026, 10, 1, 4, 30), {"SYR-1ML-28G": 5}, who=p2, returned=5)
    return {"p0": p0, "p1": p1, "p2": p2, "p3": p3}


S = "*"  # reports.suppression.SUPPRESSED_MARK, primary and secondary alike
# Summary, in order: (indicator, value)
SUMMARY = [
    ("Encounters", 7), ("Unique participants", 4), ("New participants", 3),
    ("Encounters without a participant code", S), ("Syringes distributed", 80),
    ("Syringes returned", 70), ("Syringe return ratio", 0.875), ("Naloxone kits distributed", 6),
    ("Naloxone doses distributed", 12), ("Naloxone kits used (reported)", 3),
    ("Overdose reversals reported", 3), ("Fentanyl test strips distributed", 5),
    ("Xylazine test strips distributed", 4), ("Condoms and lubricant distributed", 12),
    ("Safer smoking/snorting kits distributed", 2),
    ("People reached through secondary distribution", S), ("Referrals: Treatment / MOUD", S),
    ("Referrals: Medical care", S), ("Referrals: Wound care", 0), ("Referrals: HIV/HCV testing", 0),
    ("Referrals: PrEP/PEP", 0), ("Referrals: Housing", S), ("Referrals: Mental health", 0),
    ("Referrals: Other", 0),
]
_LABELS = [label for label, _ in SUMMARY]
# Issue 15's rows, after the indicators (only on the Summary). No service, linkage, weight or
# survey was recorded in this dataset; naloxone went to p1 (A, Jul 5) and p0 (B, Jul 20) with a
# code, and to nobody coded on Sep 30 (B): reach 2, hidden. Reversals: 1 (A) + 2 (B) = 3, none
# with the program's naloxone. Returns: 10 + 10 + 30 + 20 = 70, all counted.
LINKAGE = [
    ("Services delivered: HIV test", 0), ("Services delivered: HCV test", 0),
    ("Services delivered: STI screening", 0), ("Services delivered: Vaccination", 0),
    ("Services delivered: Wound care", 0), ("Services delivered: Naloxone training", 0),
    ("Entered treatment (reported)", 0), ("Syringes for secondary exchange", 0),
    ("Naloxone reach: unique participants who received naloxone", S),
    ("Reversals with the program's naloxone", 0),
    ("Reversals with naloxone from another source", 3),
    ("Syringes returned: counted", 70), ("Syringes returned: estimated", 0),
    ("Syringes returned by weight (lb)", 0.0), ("Syringes returned by weight, at 281 per lb", 0),
    ("Sharps containers sent for destruction", 0), ("Sharps sent for destruction (lb)", 0.0),
    ("Point-in-time survey responses", 0),
]
# The Summary's breakdowns, under the indicators: every encounter is of the default type (fixed
# site) at a site of the default kind (fixed). Syringes by service model are the encounters'
# syringes (A: 20 + 10 + 20, B: 30; the voided handout excluded); by site kind, the By site
# figures of the fixed sites (50 + 30).
_MODELS = ["Fixed site", "Street outreach", "Mobile unit", "Delivery or mail", "Peer distribution"]
_KINDS = ["Fixed", "Mobile", "Pharmacy", "Peer", "Warehouse"]
BREAKDOWN = (
    [(f"Encounters by service model: {m}", 4 + 3 if m == "Fixed site" else 0) for m in _MODELS]
    + [(f"Syringes distributed by service model: {m}", 50 + 30 if m == "Fixed site" else 0)
       for m in _MODELS]
    + [(f"Encounters by site kind: {k}", 4 + 3 if k == "Fixed" else 0) for k in _KINDS]
    + [(f"Syringes distributed by site kind: {k}", 50 + 30 if k == "Fixed" else 0)
       for k in _KINDS])
SITE_COLUMNS = ["Site kind", *(f"Encounters: {m}" for m in _MODELS)]


def _row(first: list, values: list) -> list:
    return first + values


# By site rows: Site, Site name, then one value per Summary indicator.
BY_SITE = [
    _row(["A", "Site A"],
         [4, S, S, S, 50, 40, 0.8, 1, 2, S, S, 5, 0, 12, 0, S, 0, S, 0, 0, 0, 0, 0, 0,
          "Fixed", 4, 0, 0, 0, 0]),
    _row(["B", "Site B"],
         [3, S, S, S, 30, 30, 1.0, 5, 10, S, S, 0, 4, 0, 2, 0, S, 0, 0, 0, 0, S, 0, 0,
          "Fixed", 3, 0, 0, 0, 0]),
    _row(["Total", "All selected sites"], [v for _, v in SUMMARY] + ["All kinds", 7, 0, 0, 0, 0]),
]
# By month rows: Month, then the indicators, then units per category (catalogue category order:
# syringe, naloxone, fentanyl, xylazine, condom, smoking kit, injection supply, wound care, other).
BY_MONTH = [
    ["2026-07", 4, S, S, S, 60, 50, round(50 / 60, 4), 3, 6, S, S, 5, 0, 12, 0, S, S, S, 0, 0, 0,
     S, 0, 0, 60, 3, 5, 0, 12, 0, 0, 0, 0],
    ["2026-08", S, S, S, 0, 20, 20, 1.0, 0, 0, 0, 0, 0, 4, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     20, 0, 0, 4, 0, 2, 0, 0, 0],
    ["2026-09", S, 0, 0, S, 0, 0, None, 3, 6, S, S, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
     0, 3, 0, 0, 0, 0, 0, 0, 0],
    ["Total", *[v for _, v in SUMMARY], 80, 6, 5, 4, 12, 2, 0, 0, 0],
]
# Items sheet: units per site for the items with any activity (others are 0).
ITEMS = {
    "A": {"1 mL 28G ½\" syringe": 50, "Naloxone nasal spray 4 mg twin pack": 1,
          "Fentanyl test strip": 5, "External condom": 12},
    "B": {"1 mL 27G ½\" syringe": 30, "Naloxone intramuscular 0.4 mg/mL kit": 2,
          "Xylazine test strip": 4, "Safer smoking kit (pipe, mouthpieces, screens)": 2,
          "Naloxone nasal spray 4 mg twin pack": 3},
}
# Inventory rows: site, item code, opening, received, in, out, distributed, disposed, adjusted,
# closing, expiring within 90 days (the NARCAN lot expires 2026-11-15, before Sep 30 + 90 days),
# and the Check column: a closing balance below zero is flagged.
NEG = "Below zero: see Notes"
INVENTORY = [
    ("A", "SYR-1ML-28G", 500, 0, 0, 100, 50, 0, 0, 350, 0, None),
    ("A", "NARCAN-4MG", 24, 0, 0, 0, 1, 1, 0, 22, 23, None),
    ("A", "FTS", 100, 0, 0, 0, 5, 0, 0, 95, 0, None),
    ("A", "CONDOM-EXT", 0, 0, 0, 0, 12, 0, 0, -12, 0, NEG),
    ("B", "SYR-1ML-28G", -10, 0, 100, 0, 0, 0, 0, 90, 0, None),
    ("B", "SYR-1ML-27G", 0, 200, 0, 0, 30, 0, -5, 165, 0, None),
    ("B", "NARCAN-4MG", 0, 0, 0, 0, 3, 0, 0, -3, 0, NEG),
    ("B", "NALOXONE-IM", 0, 0, 0, 0, 2, 0, 0, -2, 0, NEG),
    ("B", "XTS", 0, 0, 0, 0, 4, 0, 0, -4, 0, NEG),
    ("B", "SMOKE-KIT", 0, 0, 0, 0, 2, 0, 0, -2, 0, NEG),
]
# Demographics of the 4 participants served (p0: 25-34 in an older band only; p3: nothing
# recorded), with the plain labels of inventory/labels.py. NHBS bands: p1 in 25-29; p0 and p2
# were recorded in older bands that span two NHBS bands.
DEMOGRAPHICS = {
    ("Age range", "25–29"): S, ("Age range", "25–34 (recorded in an older band)"): S,
    ("Age range", "35–44 (recorded in an older band)"): S, ("Age range", "Not recorded"): S,
    ("Age range (NHBS bands)", "25–29"): S,
    ("Age range (NHBS bands)", "Recorded in an older band"): S,
    ("Age range (NHBS bands)", "Not recorded"): S,
    ("Gender", "Woman"): S, ("Gender", "Man"): S, ("Gender", "Not recorded"): S,
    ("Race / ethnicity", "White"): S, ("Race / ethnicity", "Black or African American"): S,
    ("Race / ethnicity", "Not recorded"): S,
}
