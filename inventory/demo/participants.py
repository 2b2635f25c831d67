"""The demo's participants: a pool of synthetic codes, hashed once, visiting with habits.

Each participant has a home site and a visit frequency (a few come very often, most now and
then); their row is written when they are first seen, with that visit's time and site.
"""
import random
import string
from itertools import accumulate

from inventory.demo.bulk import BulkWriter
from inventory.participants.hashing import hash_code
from inventory.participants.models import AGE_RANGES, GENDERS, RACE_ETHNICITIES

COLUMNS = ("id", "code_hash", "first_seen_at", "first_site_id", "age_range", "gender",
           "race_ethnicity")
# under 18, 18-24, then five-year bands to 60-64, 65+, declined (the old 10-year mix, halved).
AGE_WEIGHTS = (1, 8, 14, 14, 15, 15, 9, 9, 5, 5, 3, 2)
GENDER_WEIGHTS = (33, 60, 2, 2, 1, 2)
RACE_WEIGHTS = (3, 2, 22, 18, 1, 45, 5, 2, 2)
HOME_LOYALTY = 0.85  # share of a participant's visits made at their home site


def synthetic_codes(rng: random.Random, count: int) -> list[str]:
    """Distinct codes in the usual shape: 2 letters, birth month, birth day, 1 letter."""
    codes: set[str] = set()
    letters = string.ascii_uppercase
    while len(codes) < count:
        codes.add(f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(1, 12):02d}"
                  f"{rng.randint(1, 28):02d}{rng.choice(letters)}")
    return sorted(codes)


class ParticipantPool:
    def __init__(self, rng: random.Random, writer: BulkWriter, size: int,
                 site_shares: dict[int, float]):
        self.rng = rng
        self.w = writer
        self.next_id = writer.next_id("participant")
        self.hashes = [hash_code(code) for code in synthetic_codes(rng, size)]
        self.ids: list[int | None] = [None] * size
        sites = list(site_shares)
        homes = rng.choices(sites, [site_shares[s] for s in sites], k=size)
        # Visit frequency: a long tail, as in real programs (regulars and occasional visitors).
        weights = [rng.paretovariate(1.3) for _ in range(size)]
        self.everyone = (list(range(size)), list(accumulate(weights)))
        self.by_site: dict[int, tuple[list[int], list[float]]] = {}
        for site in sites:
            members = [i for i in range(size) if homes[i] == site] or [0]
            self.by_site[site] = (members, list(accumulate(weights[i] for i in members)))
        self.pending: list[tuple] = []

    def visit(self, site: int, at: str) -> int:
        """The participant id of someone visiting ``site`` at ``at`` (written when new)."""
        rng = self.rng
        members, cum = self.by_site[site] if rng.random() < HOME_LOYALTY else self.everyone
        index = members[rng.choices(range(len(members)), cum_weights=cum)[0]]
        pid = self.ids[index]
        if pid is None:
            pid = self.ids[index] = self.next_id
            self.next_id += 1
            demographics = (None, None, None)
            if rng.random() < 0.75:
                demographics = (rng.choices(AGE_RANGES, AGE_WEIGHTS)[0],
                                rng.choices(GENDERS, GENDER_WEIGHTS)[0],
                                rng.choices(RACE_ETHNICITIES, RACE_WEIGHTS)[0])
            self.pending.append((pid, self.hashes[index], at, site, *demographics))
        return pid

    def flush(self) -> None:
        self.w.write("participant", COLUMNS, self.pending)
        self.pending = []
