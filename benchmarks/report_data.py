"""A synthetic database for the report benchmark: N encounters (about 3 lines each) across S sites
and 15 items over two fiscal years, written with bulk inserts (sqlite3 ``executemany`` /
PostgreSQL ``COPY``) on an empty, migrated schema. Columns are built with numpy.

Shape: every encounter has a distribution event whose lines mirror its items (unknown lot);
1% of encounters are voided (a reversal event at the original time, opposite lines); 70% carry
a participant (skewed, so some come often); 10% a referral; each site receives every item
monthly (expiry-tracked items into dated lots). Balances are summed from the ledger at the end.
"""
import io
from datetime import UTC, datetime

import numpy as np
import pandas as pd
from sqlalchemy import text

from inventory.encounters.models import REFERRAL_TYPES

ITEM_CODES = ["SYR-1ML-28G", "SYR-1ML-27G", "SYR-05ML-29G", "COOKER", "COTTON", "WATER-10ML",
              "ALCOHOL-PAD", "NARCAN-4MG", "NALOXONE-IM", "FTS", "XTS", "CONDOM-EXT", "LUBE",
              "SMOKE-KIT", "WOUND-KIT"]
START = datetime(2024, 7, 1, 4, tzinfo=UTC)   # FY2025 Q1 in America/New_York
END = datetime(2026, 7, 1, 4, tzinfo=UTC)     # end of FY2026 Q4
AGES = ["18_24", "25_34", "35_44", "45_54", "55_64", None]
GENDERS = ["woman", "man", "nonbinary", "declined", None]
RACES = ["black", "white", "hispanic_latino", "asian", "multiracial", None]


def _stamps(seconds: np.ndarray, postgres: bool) -> np.ndarray:
    values = np.datetime_as_string(seconds.astype("datetime64[s]").astype("datetime64[us]"),
                                   unit="us")
    values = np.char.replace(values, "T", " ")
    return np.char.add(values, "+00") if postgres else values


class Loader:
    """Writes DataFrames in bulk on one raw DBAPI connection."""

    def __init__(self, connection):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.raw = connection.connection.driver_connection

    def write(self, table: str, frame: pd.DataFrame) -> None:
        columns = list(frame.columns)
        if self.postgres:
            buffer = io.StringIO()
            frame.to_csv(buffer, index=False, header=False, na_rep="\\N")
            buffer.seek(0)
            with self.raw.cursor() as cur:
                with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN "
                              f"WITH (FORMAT csv, NULL '\\N')") as copy:
                    while chunk := buffer.read(1 << 20):
                        copy.write(chunk)
        else:
            marks = ", ".join("?" for _ in columns)
            rows = frame.astype(object).where(frame.notna(), None).itertuples(index=False,
                                                                               name=None)
            self.raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                 rows)


def build(connection, encounters: int = 1_000_000, sites: int = 30, seed: int = 7,
          say=print) -> dict:
    """Fill an empty migrated schema (catalogue seeded) and return row counts."""
    rng = np.random.default_rng(seed)
    load = Loader(connection)
    pg = load.postgres
    now = _stamps(np.array([int(END.timestamp())]), pg)[0]
    item_ids = dict(connection.execute(text("SELECT code, id FROM item")).all())
    items = np.array([item_ids[c] for c in ITEM_CODES])
    tracked = set(connection.execute(text("SELECT id FROM item WHERE tracks_expiry")).scalars())

    say(f"sites: {sites}")
    load.write("site", pd.DataFrame({"id": np.arange(1, sites + 1),
                                     "code": [f"S{i:02d}" for i in range(1, sites + 1)],
                                     "name": [f"Site {i}" for i in range(1, sites + 1)],
                                     "kind": "fixed", "active": True}))
    n_part = max(1, encounters // 12)
    say(f"participants: {n_part}")
    load.write("participant", pd.DataFrame({
        "id": np.arange(1, n_part + 1), "code_hash": [f"{i:064x}" for i in range(1, n_part + 1)],
        "first_seen_at": now, "first_site_id": None,
        "age_range": rng.choice(np.array(AGES, dtype=object), n_part),
        "gender": rng.choice(np.array(GENDERS, dtype=object), n_part),
        "race_ethnicity": rng.choice(np.array(RACES, dtype=object), n_part)}))

    # Receipts: every site, every item, every month (tracked items into one lot per month).
    months = pd.date_range(START, END, freq="MS", tz="UTC")[:24] + pd.Timedelta(days=1)
    lot_rows, lot_of = [], {}
    for m_index, month in enumerate(months):
        for item in items:
            if item in tracked:
                lot_id = len(lot_rows) + 1
                lot_rows.append((lot_id, int(item), f"B{m_index:02d}-{item}",
                                 (month + pd.Timedelta(days=540)).date()))
                lot_of[(m_index, int(item))] = lot_id
    load.write("lot", pd.DataFrame(lot_rows, columns=["id", "item_id", "lot_code", "expires_on"]))
    n_rec = len(months) * sites * len(items)
    rec_month = np.repeat(np.arange(len(months)), sites * len(items))
    rec_site = np.tile(np.repeat(np.arange(1, sites + 1), len(items)), len(months))
    rec_item = np.tile(items, len(months) * sites)
    rec_at = months.as_unit("s").asi8[rec_month]  # seconds whatever unit pandas picked

    say(f"encounters: {encounters}")
    span = int(END.timestamp()) - int(START.timestamp())
    at = np.sort(rng.integers(0, span, encounters)) + int(START.timestamp())
    enc_id = np.arange(1, encounters + 1)
    site = rng.integers(1, sites + 1, encounters)
    coded = rng.random(encounters) < 0.7
    participant = np.where(coded, (n_part * rng.random(encounters) ** 2).astype(int) + 1, -1)
    voided = rng.random(encounters) < 0.01
    n_items = rng.choice([1, 2, 3, 4, 5], encounters, p=[0.15, 0.2, 0.3, 0.2, 0.15])
    # Event ids: receipts first, then one distribution per encounter, then the void reversals.
    dist_event = n_rec + enc_id
    rev_event = np.zeros(encounters, dtype=np.int64)
    rev_event[voided] = n_rec + encounters + np.arange(1, voided.sum() + 1)
    stamps = _stamps(at, pg)
    enc = pd.DataFrame({
        "id": enc_id, "client_id": [f"{i:032x}" for i in enc_id], "fingerprint": "0" * 64,
        "site_id": site, "occurred_at": stamps, "recorded_at": stamps, "user_id": None,
        "participant_id": pd.array(np.where(coded, participant, 0), dtype="Int64"),
        "encounter_type": "site", "syringes_returned": rng.poisson(6, encounters),
        "returns_estimated": rng.random(encounters) < 0.2,
        "secondary_people": rng.poisson(0.3, encounters),
        "naloxone_used": rng.poisson(0.05, encounters),
        "reversals_reported": rng.poisson(0.03, encounters), "stock_event_id": dist_event,
        "voided_at": np.where(voided, stamps, None), "void_reason": np.where(voided, "dup", None),
        "void_user_id": None,
        "void_event_id": pd.array(np.where(voided, rev_event, 0), dtype="Int64")})
    enc.loc[~coded, "participant_id"] = pd.NA
    enc.loc[~voided, "void_event_id"] = pd.NA

    # Items: k distinct items per encounter (a stride coprime with 15 from a random start).
    owner = np.repeat(np.arange(encounters), n_items)
    position = np.arange(owner.size) - np.repeat(np.cumsum(n_items) - n_items, n_items)
    start = rng.integers(0, 15, encounters)[owner]
    stride = rng.choice([1, 2, 4, 7], encounters)[owner]
    item_col = items[(start + position * stride) % 15]
    quantity = rng.integers(1, 21, owner.size)
    say(f"encounter items / distribution lines: {owner.size}")

    events = [pd.DataFrame({"id": np.arange(1, n_rec + 1), "kind": "receipt", "site_id": rec_site,
                            "occurred_at": _stamps(rec_at, pg)}),
              pd.DataFrame({"id": dist_event, "kind": "distribution", "site_id": site,
                            "occurred_at": stamps}),
              pd.DataFrame({"id": rev_event[voided], "kind": "reversal", "site_id": site[voided],
                            "occurred_at": stamps[voided], "reverses_id": dist_event[voided]})]
    event = pd.concat(events, ignore_index=True)
    event["recorded_at"] = event["occurred_at"]
    event["client_id"] = [f"{i + 10**12:032x}" for i in event["id"]]
    event["discrepancy"] = False
    event["reverses_id"] = event["reverses_id"].astype("Int64")
    load.write("stock_event", event)
    load.write("encounter", enc)
    load.write("encounter_item", pd.DataFrame({"encounter_id": enc_id[owner], "item_id": item_col,
                                               "quantity": quantity}))
    has_ref = rng.random(encounters) < 0.1
    load.write("encounter_referral", pd.DataFrame({
        "encounter_id": enc_id[has_ref],
        "referral_type": rng.choice(np.array(REFERRAL_TYPES, dtype=object), has_ref.sum())}))

    rec_lot = [lot_of.get((int(m), int(i))) for m, i in zip(rec_month, rec_item)]
    void_mask = voided[owner]
    line = pd.concat([
        pd.DataFrame({"event_id": np.arange(1, n_rec + 1), "item_id": rec_item,
                      "lot_id": pd.array(rec_lot, dtype="Int64"),
                      "quantity": rng.integers(200, 600, n_rec)}),
        pd.DataFrame({"event_id": dist_event[owner], "item_id": item_col, "quantity": -quantity}),
        pd.DataFrame({"event_id": rev_event[owner][void_mask], "item_id": item_col[void_mask],
                      "quantity": quantity[void_mask]}),
    ], ignore_index=True)
    line.insert(0, "id", np.arange(1, len(line) + 1))
    line["lot_id"] = line["lot_id"].astype("Int64")
    say(f"ledger lines: {len(line)}")
    load.write("stock_event_line", line)

    say("balances from the ledger")
    connection.execute(text(
        "INSERT INTO stock_balance (site_id, item_id, lot_id, lot_key, on_hand, updated_at) "
        "SELECT e.site_id, l.item_id, l.lot_id, coalesce(l.lot_id, 0), sum(l.quantity), "
        "max(e.occurred_at) FROM stock_event_line l JOIN stock_event e ON e.id = l.event_id "
        "GROUP BY e.site_id, l.item_id, l.lot_id"))
    if pg:
        for table in ("site", "participant", "lot", "stock_event", "encounter", "stock_event_line",
                      "stock_balance"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"))
    return {"encounters": encounters, "encounter_items": int(owner.size), "ledger_lines": len(line),
            "events": len(event), "voided": int(voided.sum()), "participants": n_part}
