"""record_handout(): a handout's ledger write in one PostgreSQL statement

PostgreSQL only (SQLite writes handouts from Python, inventory.stock.ledger). Recording an
encounter took five round trips inside its transaction (BEGIN, lock the unknown-lot anchors,
lock and read the balances, write the rows, COMMIT); each costs the server and the worker
more than the rows themselves. The function does the same work in one call, which an API
request runs as its own transaction (inventory.database: DEFERRED mode).

It follows inventory.stock.ledger exactly:
- the unknown-lot rows of the items (the anchors) are created or locked first, in item order,
  so writers of one (site, item) queue there and cannot deadlock;
- then, in a new statement (a new snapshot: lots committed by the writer it waited for are
  seen), the lot rows with stock are locked and taken first-expired-first-out (lots without
  an expiry after those with one, the unknown lot last); what they do not cover comes from the
  unknown lot, which may go negative, and the event is then flagged as a discrepancy;
- the event, its lines, the balances, the participant (found or registered; demographics
  only fill empty fields), the encounter, its items and referrals are written.
Returns the encounter id, the event id (NULL without items) and the discrepancy flag. A
client_id already taken raises unique_violation, and nothing is written.

Revision ID: 0004
Revises: 0003
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

RECORD_HANDOUT = r"""
CREATE OR REPLACE FUNCTION record_handout(
    p_site_id integer, p_user_id integer, p_client_id uuid, p_fingerprint varchar,
    p_occurred_at timestamptz, p_recorded_at timestamptz, p_encounter_type varchar,
    p_syringes_returned integer, p_returns_estimated boolean, p_secondary_people integer,
    p_naloxone_used integer, p_reversals_reported integer,
    p_code_hash varchar, p_age_range varchar, p_gender varchar, p_race_ethnicity varchar,
    p_item_ids integer[], p_quantities integer[], p_referrals varchar[],
    OUT encounter_id integer, OUT stock_event_id integer, OUT discrepancy boolean)
LANGUAGE plpgsql
-- Plans are kept: the statements' shapes never change, and re-planning each call cost more.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    b record;
    k integer;
    want integer;
    take integer;
    remaining integer[] := p_quantities;
    line_item integer[] := '{}';
    line_lot integer[] := '{}';
    line_quantity integer[] := '{}';
    balance_id integer[] := '{}';
    balance_on_hand integer[] := '{}';
    new_participant_id integer;
BEGIN
    discrepancy := false;
    IF cardinality(p_item_ids) > 0 THEN
        INSERT INTO stock_balance AS sb (site_id, item_id, lot_id, lot_key, on_hand, updated_at)
        SELECT p_site_id, anchor.item_id, NULL, 0, 0, p_recorded_at
        FROM unnest(p_item_ids) AS anchor(item_id) ORDER BY anchor.item_id
        -- A no-op update: it takes the row lock of an existing row, in the order of the rows.
        ON CONFLICT (site_id, item_id, lot_key) DO UPDATE SET on_hand = sb.on_hand;

        -- Per item: lots in first-expired-first-out order, the unknown lot (held) last.
        FOR b IN
            SELECT sb.id, sb.item_id, sb.lot_id, sb.on_hand
            FROM stock_balance AS sb LEFT JOIN lot ON lot.id = sb.lot_id
            WHERE sb.site_id = p_site_id AND sb.item_id = ANY (p_item_ids)
              AND (sb.on_hand > 0 OR sb.lot_id IS NULL)
            ORDER BY sb.item_id, lot.expires_on IS NULL, lot.expires_on, sb.lot_id IS NULL,
                     sb.lot_id
            FOR UPDATE OF sb
        LOOP
            k := array_position(p_item_ids, b.item_id);
            want := remaining[k];
            take := 0;
            IF want > 0 AND b.on_hand > 0 THEN
                take := least(b.on_hand, want);
                line_item := line_item || b.item_id;
                line_lot := line_lot || b.lot_id;
                line_quantity := line_quantity || -take;
                want := want - take;
            END IF;
            IF b.lot_id IS NULL AND want > 0 THEN
                -- More handed out than the shelf was known to hold.
                line_item := line_item || b.item_id;
                line_lot := line_lot || NULL::integer;
                line_quantity := line_quantity || -want;
                take := take + want;
                want := 0;
                discrepancy := discrepancy OR b.on_hand - take < 0;
            END IF;
            remaining[k] := want;
            IF take > 0 THEN
                balance_id := balance_id || b.id;
                balance_on_hand := balance_on_hand || b.on_hand - take;
            END IF;
        END LOOP;

        INSERT INTO stock_event (kind, site_id, occurred_at, recorded_at, user_id, client_id,
                                 discrepancy)
        VALUES ('distribution', p_site_id, p_occurred_at, p_recorded_at, p_user_id,
                p_client_id, discrepancy)
        RETURNING id INTO stock_event_id;
        INSERT INTO stock_event_line (event_id, item_id, lot_id, quantity)
        SELECT stock_event_id, line.item_id, line.lot_id, line.quantity
        FROM unnest(line_item, line_lot, line_quantity) AS line(item_id, lot_id, quantity);
        UPDATE stock_balance SET on_hand = new.on_hand, updated_at = p_recorded_at
        FROM unnest(balance_id, balance_on_hand) AS new(id, on_hand)
        WHERE stock_balance.id = new.id;
    END IF;

    IF p_code_hash IS NOT NULL THEN
        INSERT INTO participant AS p (code_hash, first_seen_at, first_site_id, age_range, gender,
                                      race_ethnicity)
        VALUES (p_code_hash, p_recorded_at, p_site_id, p_age_range, p_gender, p_race_ethnicity)
        ON CONFLICT (code_hash) DO UPDATE
            SET age_range = coalesce(p.age_range, excluded.age_range),
                gender = coalesce(p.gender, excluded.gender),
                race_ethnicity = coalesce(p.race_ethnicity, excluded.race_ethnicity)
        RETURNING id INTO new_participant_id;
    END IF;

    INSERT INTO encounter (client_id, fingerprint, site_id, occurred_at, recorded_at, user_id,
                           participant_id, encounter_type, syringes_returned, returns_estimated,
                           secondary_people, naloxone_used, reversals_reported, stock_event_id)
    VALUES (p_client_id, p_fingerprint, p_site_id, p_occurred_at, p_recorded_at, p_user_id,
            new_participant_id, p_encounter_type, p_syringes_returned, p_returns_estimated,
            p_secondary_people, p_naloxone_used, p_reversals_reported, stock_event_id)
    RETURNING id INTO encounter_id;
    INSERT INTO encounter_item (encounter_id, item_id, quantity)
    SELECT encounter_id, item.item_id, item.quantity
    FROM unnest(p_item_ids, p_quantities) AS item(item_id, quantity);
    INSERT INTO encounter_referral (encounter_id, referral_type)
    SELECT encounter_id, referral FROM unnest(p_referrals) AS referral;
END
$$
"""


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(RECORD_HANDOUT)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION record_handout")
