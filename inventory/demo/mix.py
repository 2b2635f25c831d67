"""What the demo program looks like: its sites, their hours, and what a handout contains.

The proportions follow what syringe services programs report: syringes and their supplies in
most visits, naloxone in about a third, test strips often, wound care kits rarely; peer
(secondary) distributors take large bundles for the people they supply.
"""
import random
from dataclasses import dataclass
from functools import cache

from inventory.encounters.models import REFERRAL_TYPES


@dataclass(frozen=True)
class DemoSite:
    code: str
    name: str
    kind: str
    share: float  # of all encounters
    # weekday (Mon=0) -> (weight, opens at local hour, closes at local hour)
    hours: dict[int, tuple[float, int, int]]
    types: tuple[tuple[str, float], ...] = (("site", 1.0),)
    coded: float = 0.9  # share of visits that give a participant code


_WEEKDAYS = {d: (1.0, 9, 17) for d in range(5)}
SITES = (
    DemoSite("WH", "Central warehouse", "warehouse", 0.0, {}),
    DemoSite("DT", "Downtown drop-in center", "fixed", 0.34, {**_WEEKDAYS, 5: (0.5, 10, 14)},
             (("site", 0.92), ("outreach", 0.08))),
    DemoSite("EAST", "Eastside health hub", "fixed", 0.18, _WEEKDAYS,
             (("site", 0.85), ("outreach", 0.15))),
    DemoSite("VAN1", "Mobile unit (van)", "mobile", 0.20,
             {d: (1.0 if d < 4 else 1.4, 16, 22) for d in range(1, 6)}, (("mobile", 1.0),), 0.85),
    DemoSite("NORTH", "Northside outreach", "fixed", 0.08, {0: (1, 10, 15), 2: (1, 10, 15),
                                                           4: (1, 10, 15)},
             (("outreach", 0.7), ("site", 0.3))),
    DemoSite("PHARM", "Main Street pharmacy", "pharmacy", 0.08,
             {**{d: (1.0, 9, 20) for d in range(6)}, 6: (0.5, 11, 17)}, coded=0.55),
    DemoSite("PEER", "Peer delivery network", "peer", 0.12,
             {d: (1.0 if d < 5 else 0.7, 10, 21) for d in range(7)},
             (("peer", 0.8), ("delivery", 0.2)), 0.8),
)

# Referral type -> weight.
REFERRALS = dict(zip(REFERRAL_TYPES, (30, 15, 12, 15, 5, 12, 8, 3)))
SYRINGES = ("SYR-1ML-28G", "SYR-1ML-27G", "SYR-05ML-29G", "SYR-3ML-25G")
SYRINGE_CUM = (0.5, 0.8, 0.92, 1.0)
BUNDLES = {
    "fixed": (10, 10, 20, 20, 20, 30, 30, 40, 50, 60, 100),
    "mobile": (10, 20, 20, 20, 30, 40, 50, 100),
    "pharmacy": (10, 10, 10, 20),
    "peer": (50, 100, 100, 150, 200, 200, 300),
}
# kind -> (injects, smokes, naloxone, wound care)
RATES = {
    "fixed": (0.62, 0.3, 0.3, 0.06),
    "mobile": (0.6, 0.35, 0.32, 0.09),
    "pharmacy": (0.85, 0.03, 0.22, 0.01),
    "peer": (0.7, 0.35, 0.55, 0.05),
}


@dataclass
class Visit:
    items: dict[str, int]
    returned: int
    estimated: bool
    secondary: int
    naloxone_used: int
    reversals: int
    referrals: list[str]


def draw_visit(rng: random.Random, kind: str) -> Visit:
    """One handout at a site of ``kind``: items and the reported counts."""
    r = rng.random
    items: dict[str, int] = {}
    injects, smokes, naloxone, wound = RATES[kind]
    peer = kind == "peer"
    returned, estimated = 0, False
    if r() < injects:
        n = rng.choice(BUNDLES[kind])
        u = r()
        gauge = next(code for code, cum in zip(SYRINGES, SYRINGE_CUM) if u <= cum)
        if n >= 20 and r() < 0.15:
            other = SYRINGES[(SYRINGES.index(gauge) + 1) % 4]
            items[other] = n // 2
            items[gauge] = n - n // 2
        else:
            items[gauge] = n
        if r() < 0.8:
            items["COOKER"] = max(1, n // 10)
        if r() < 0.7:
            items["COTTON"] = max(1, n // 5)
        if r() < 0.65:
            items["WATER-10ML"] = max(1, n // 5)
        if r() < 0.85:
            items["ALCOHOL-PAD"] = max(2, n // 2)
        if r() < 0.25:
            items["TOURNIQUET"] = 2 if peer else 1
        if r() < (0.4 if peer else 0.18):
            items["SHARPS-1QT"] = 1
        if r() < 0.55:
            returned = max(1, int(n * (0.3 + 0.9 * r())))
            estimated = r() < 0.6
    if r() < smokes:
        items["SMOKE-KIT"] = rng.choice((1, 1, 2, 2, 3, 5)) * (3 if peer else 1)
        if r() < 0.2:
            items["SNORT-KIT"] = rng.choice((1, 2))
    if r() < naloxone:
        items["NARCAN-4MG"] = rng.choice((2, 4, 6) if peer else (1, 1, 2))
    if r() < 0.05:
        items["NALOXONE-IM"] = 1
    if r() < 0.4:
        items["FTS"] = rng.choice((2, 5, 5, 10)) * (3 if peer else 1)
    if r() < 0.18:
        items["XTS"] = rng.choice((2, 5))
    if r() < 0.22:
        items["CONDOM-EXT"] = rng.choice((3, 6, 12, 12, 24))
    if r() < 0.04:
        items["CONDOM-INT"] = 3
    if r() < 0.12:
        items["LUBE"] = rng.choice((5, 10))
    if r() < wound:
        items["WOUND-KIT"] = 1
    if not items:
        items["FTS"] = 5
    used = rng.choice((1, 1, 2)) if r() < 0.05 else 0
    reversals = (2 if r() < 0.1 else 1) if used and r() < 0.5 else 0
    secondary = 0
    if r() < (0.7 if peer else 0.12):
        secondary = rng.randint(1, 12 if peer else 4)
    referrals = []
    if r() < 0.06:
        referrals = list({*rng.choices(list(REFERRALS), list(REFERRALS.values()),
                                       k=2 if r() < 0.15 else 1)})
    return Visit(items, returned, estimated, secondary, used, reversals, referrals)


@cache
def usage_per_visit(kind: str, samples: int = 3000) -> dict[str, float]:
    """Average units of each item per visit at a site of ``kind`` (for replenishment)."""
    rng = random.Random(7)
    totals: dict[str, int] = {}
    for _ in range(samples):
        for code, qty in draw_visit(rng, kind).items.items():
            totals[code] = totals.get(code, 0) + qty
    return {code: total / samples for code, total in totals.items()}
