"""A year of handouts and stock movements, simulated in memory and bulk-written in batches."""
import hashlib
import random
import time
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from inventory.demo.bulk import BulkWriter
from inventory.demo.ledger import DemoLedger
from inventory.demo.mix import DemoSite, draw_visit, usage_per_visit
from inventory.demo.participants import ParticipantPool
from inventory.demo.supply import DemoItem, Supply

ENCOUNTER_COLUMNS = (
    "id", "client_id", "fingerprint", "site_id", "occurred_at", "recorded_at", "user_id",
    "participant_id", "encounter_type", "syringes_returned", "returns_estimated",
    "secondary_people", "naloxone_used", "reversals_reported", "stock_event_id", "voided_at",
    "void_reason", "void_user_id", "void_event_id",
)
ITEM_COLUMNS = ("encounter_id", "item_id", "quantity")
REFERRAL_COLUMNS = ("encounter_id", "referral_type")
DAYS = 365
VOID_RATE = 0.001
VOID_REASONS = ("Entered twice", "Wrong site selected", "Training entry")


def allocate(rng: random.Random, total: int, sites: list[tuple[DemoSite, int]], start: date
             ) -> dict[int, list[int]]:
    """Split ``total`` visits over sites (by share) and open days (by weekday, growth, noise)."""
    shares = [total * site.share for site, _ in sites]
    per_site = [int(share) for share in shares]
    # Largest remainders get the visits that rounding down left over, so the total is exact.
    by_fraction = sorted(range(len(sites)), key=lambda i: shares[i] - per_site[i], reverse=True)
    for i in by_fraction[:total - sum(per_site)]:
        per_site[i] += 1
    counts = {}
    for (site, site_id), site_total in zip(sites, per_site):
        weights = []
        for day in range(DAYS):
            hours = site.hours.get((start + timedelta(days=day)).weekday())
            # The program grows ~30% over the year; days vary by about 15%.
            weights.append(hours[0] * (0.85 + 0.3 * day / DAYS) * rng.lognormvariate(0, 0.15)
                           if hours else 0.0)
        scale = site_total / sum(weights)
        days = [int(w * scale) for w in weights]
        left = site_total - sum(days)
        if left:
            for day in rng.choices(range(DAYS), [w * scale - d for w, d in zip(weights, days)],
                                   k=left):
                days[day] += 1
        counts[site_id] = days
    return counts


def local_midnight(day: date, zone: ZoneInfo) -> int:
    """Epoch seconds of local midnight (taken from noon, so DST changes at 2 am don't matter)."""
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=zone).timestamp()) - 43200


class Year:
    def __init__(self, writer: BulkWriter, rng: random.Random, *, sites: list[tuple[DemoSite, int]],
                 items: list[DemoItem], users: dict[str, int], staff_sites: set[int], tz: str,
                 echo: Callable[[str], None], batch: int = 50_000):
        self.w, self.rng, self.echo, self.batch = writer, rng, echo, batch
        self.zone = ZoneInfo(tz)
        self.items = {item.code: item for item in items}
        self.ledger = DemoLedger(writer)
        self.warehouse = next(sid for s, sid in sites if s.kind == "warehouse")
        self.sites = [(s, sid) for s, sid in sites if s.kind != "warehouse"]
        self.site_ids = {s.code: sid for s, sid in sites}
        self.users = users
        self.staff_sites = staff_sites
        self.next_encounter = writer.next_id("encounter")
        self.encounters: list[tuple] = []
        self.encounter_items: list[tuple] = []
        self.referrals: list[tuple] = []

    def run(self, total: int) -> None:
        rng, items = self.rng, list(self.items.values())
        start = datetime.now(self.zone).date() - timedelta(days=DAYS)
        counts = allocate(rng, total, self.sites, start)
        usage = {sid: {self.items[c].id: v for c, v in usage_per_visit(s.kind).items()}
                 for s, sid in self.sites}
        supply = Supply(self.ledger, rng, items, self.warehouse, usage, counts, start,
                        self.users["coordinator"])
        self.pool = ParticipantPool(rng, self.w, max(10, min(60_000, total // 12)),
                                    {sid: s.share for s, sid in self.sites})
        began, done, received = time.monotonic(), 0, set()
        for day in range(DAYS):
            today = start + timedelta(days=day)
            base = local_midnight(today, self.zone)
            supply.dispose_expired(day, base + 6 * 3600)
            if today.day == 28:
                supply.count(base + 6 * 3600 + 900)
            month = (today.year, today.month)
            if day == 0 or (month not in received and today.weekday() < 5):
                # Two months into the second quarter, the nasal naloxone supplier is back-ordered.
                shortage = ("NARCAN-4MG",) if len(received) in (4, 5) else ()
                supply.receive(day, base + 6 * 3600 + 1800, 75 if day == 0 else 45,
                               short_dated=day == 0, backordered=shortage)
                received.add(month)
            if day == 0 or today.weekday() == 0:
                supply.replenish(day, base + 6 * 3600 + 2700)
            for site, site_id in self.sites:
                if counts[site_id][day]:
                    done += self._visits(site, site_id, base, today, counts[site_id][day])
            supply.mishaps(base + 20 * 3600, self.site_ids["VAN1"], self.site_ids["PEER"],
                           self.items)
            if len(self.encounters) >= self.batch:
                self.flush()
                self.echo(f"  {done:,} of {total:,} encounters ({time.monotonic() - began:.0f} s)")
        self.flush()

    def _visits(self, site: DemoSite, site_id: int, base: int, today: date, count: int) -> int:
        rng, w, ledger, pool = self.rng, self.w, self.ledger, self.pool
        r = rng.random
        item_ids = {code: item.id for code, item in self.items.items()}
        _, opens, closes = site.hours[today.weekday()]
        user = self.users["staff" if site_id in self.staff_sites else "coordinator"]
        types, cum = zip(*site.types)
        late = site.kind == "mobile"
        for at in sorted(rng.randrange(base + opens * 3600, base + closes * 3600)
                         for _ in range(count)):
            visit = draw_visit(rng, site.kind)
            # Handouts reach the server seconds later; the van's sometimes hours later (no signal).
            recorded = at + (rng.randint(3600, 6 * 3600) if late and r() < 0.08
                             else rng.randint(5, 90))
            event_id, moves = ledger.distribute(
                site_id, at, [(item_ids[c], q) for c, q in visit.items.items()],
                user=user, recorded=recorded)
            occurred = w.ts(at)
            participant = pool.visit(site_id, occurred) if r() < site.coded else None
            kind = types[0] if len(types) == 1 else rng.choices(types, cum)[0]
            void = (None, None, None, None)
            if r() < VOID_RATE:
                # As the void service does: the reversal is dated like the handout it undoes.
                voided, reason = recorded + rng.randint(60, 3600), rng.choice(VOID_REASONS)
                void_event = ledger.reverse(event_id, site_id, at, moves, user=user,
                                            recorded=voided, note=f"void: {reason}")
                void = (w.ts(voided), reason, user, void_event)
            client = uuid.uuid4()
            encounter_id = self.next_encounter
            self.next_encounter += 1
            self.encounters.append((
                encounter_id, w.uuid(client), hashlib.sha256(client.bytes).hexdigest(), site_id,
                occurred, w.ts(recorded), user, participant, kind, visit.returned,
                visit.estimated, visit.secondary, visit.naloxone_used, visit.reversals, event_id,
                *void))
            self.encounter_items.extend((encounter_id, item_ids[c], q)
                                        for c, q in visit.items.items())
            self.referrals.extend((encounter_id, ref) for ref in visit.referrals)
        return count

    def flush(self) -> None:
        """Write what is pending, parents before children."""
        self.pool.flush()
        self.ledger.flush()
        self.w.write("encounter", ENCOUNTER_COLUMNS, self.encounters)
        self.w.write("encounter_item", ITEM_COLUMNS, self.encounter_items)
        self.w.write("encounter_referral", REFERRAL_COLUMNS, self.referrals)
        self.encounters, self.encounter_items, self.referrals = [], [], []
