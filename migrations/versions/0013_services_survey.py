"""services and linkage at an encounter, sharps disposal, the point-in-time survey,
five-year age bands (issue 15)

- encounter: entered_treatment_reported, secondary_syringes, reversals_with_program_naloxone,
  returns_weight_lb; encounter_service (codes of onsite_service, which first run seeds);
- program_settings.syringes_per_pound (default 281, as North Carolina converts);
- sharps_disposal (per site: containers or weight sent for destruction);
- survey_window (+ its sites) and survey_response, which holds no link to an encounter, a
  participant, a user or a time finer than the date;
- participant.age_range: an old ten-year band that spans two five-year bands becomes
  "older_<band>" ("recorded in an older band"); the others keep their value;
- PostgreSQL: record_handout() takes the new fields (replaced: a new signature).

Revision ID: 0013
Revises: 0012
"""
import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None

# Old ten-year bands that span two five-year bands; under_18, 18_24, 65_plus and declined fit
# one new band each and keep their value.
OLDER_BANDS = ("25_34", "35_44", "45_54", "55_64")
OLD_SIGNATURE = ("integer, integer, uuid, varchar, timestamptz, timestamptz, varchar, integer, "
                 "boolean, integer, integer, integer, varchar, varchar, varchar, varchar, "
                 "integer[], integer[], varchar[]")

RECORD_HANDOUT = r"""
CREATE OR REPLACE FUNCTION record_handout(
    p_site_id integer, p_user_id integer, p_client_id uuid, p_fingerprint varchar,
    p_occurred_at timestamptz, p_recorded_at timestamptz, p_encounter_type varchar,
    p_syringes_returned integer, p_returns_estimated boolean, p_secondary_people integer,
    p_naloxone_used integer, p_reversals_reported integer,
    p_entered_treatment_reported integer, p_secondary_syringes integer,
    p_reversals_with_program_naloxone integer, p_returns_weight_lb numeric,
    p_code_hash varchar, p_age_range varchar, p_gender varchar, p_race_ethnicity varchar,
    p_item_ids integer[], p_quantities integer[], p_referrals varchar[],
    p_services varchar[],
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
                           secondary_people, naloxone_used, reversals_reported,
                           entered_treatment_reported, secondary_syringes,
                           reversals_with_program_naloxone, returns_weight_lb, stock_event_id)
    VALUES (p_client_id, p_fingerprint, p_site_id, p_occurred_at, p_recorded_at, p_user_id,
            new_participant_id, p_encounter_type, p_syringes_returned, p_returns_estimated,
            p_secondary_people, p_naloxone_used, p_reversals_reported,
            p_entered_treatment_reported, p_secondary_syringes,
            p_reversals_with_program_naloxone, p_returns_weight_lb, stock_event_id)
    RETURNING id INTO encounter_id;
    INSERT INTO encounter_item (encounter_id, item_id, quantity)
    SELECT encounter_id, item.item_id, item.quantity
    FROM unnest(p_item_ids, p_quantities) AS item(item_id, quantity);
    INSERT INTO encounter_referral (encounter_id, referral_type)
    SELECT encounter_id, referral FROM unnest(p_referrals) AS referral;
    INSERT INTO encounter_service (encounter_id, service_code)
    SELECT encounter_id, service FROM unnest(p_services) AS service;
END
$$
"""


def _old_function() -> str:
    path = Path(__file__).with_name("0004_record_handout_function.py")
    spec = importlib.util.spec_from_file_location("migration_0004", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RECORD_HANDOUT


def upgrade():
    op.create_table('onsite_service',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('display_order', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_onsite_service')),
    sa.UniqueConstraint('code', name=op.f('uq_onsite_service_code'))
    )
    op.create_table('survey_window',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_window'))
    )
    op.create_table('sharps_disposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('disposed_on', sa.Date(), nullable=False),
    sa.Column('containers', sa.Integer(), nullable=False),
    sa.Column('weight_lb', sa.Numeric(precision=9, scale=2), nullable=True),
    sa.Column('reference', sa.String(length=80), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_sharps_disposal_site_id_site')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_sharps_disposal_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sharps_disposal')),
    sa.UniqueConstraint('client_id', name=op.f('uq_sharps_disposal_client_id'))
    )
    with op.batch_alter_table('sharps_disposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sharps_disposal_site_id'), ['site_id'], unique=False)

    op.create_table('survey_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('response_date', sa.Date(), nullable=False),
    sa.Column('own_overdoses_3m', sa.Integer(), nullable=True),
    sa.Column('reversals_witnessed', sa.Integer(), nullable=True),
    sa.Column('age_range', sa.String(length=20), nullable=True),
    sa.Column('gender', sa.String(length=20), nullable=True),
    sa.Column('race_ethnicity', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_survey_response_site_id_site')),
    sa.ForeignKeyConstraint(['window_id'], ['survey_window.id'], name=op.f('fk_survey_response_window_id_survey_window')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_response')),
    sa.UniqueConstraint('client_id', name=op.f('uq_survey_response_client_id'))
    )
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_response_window_id'), ['window_id'], unique=False)

    op.create_table('survey_window_site',
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_survey_window_site_site_id_site')),
    sa.ForeignKeyConstraint(['window_id'], ['survey_window.id'], name=op.f('fk_survey_window_site_window_id_survey_window'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('window_id', 'site_id', name=op.f('pk_survey_window_site'))
    )
    op.create_table('encounter_service',
    sa.Column('encounter_id', sa.Integer(), nullable=False),
    sa.Column('service_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['encounter_id'], ['encounter.id'], name=op.f('fk_encounter_service_encounter_id_encounter'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('encounter_id', 'service_code', name=op.f('pk_encounter_service'))
    )
    with op.batch_alter_table('encounter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('entered_treatment_reported', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('secondary_syringes', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('reversals_with_program_naloxone', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('returns_weight_lb', sa.Numeric(precision=8, scale=2), nullable=True))

    with op.batch_alter_table('program_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('syringes_per_pound', sa.Integer(), server_default='281', nullable=False))

    for band in OLDER_BANDS:
        op.execute(sa.text("UPDATE participant SET age_range = :new WHERE age_range = :old")
                   .bindparams(new=f"older_{band}", old=band))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP FUNCTION record_handout({OLD_SIGNATURE})")
        op.execute(RECORD_HANDOUT)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION record_handout")
        op.execute(_old_function())
    for band in OLDER_BANDS:
        op.execute(sa.text("UPDATE participant SET age_range = :old WHERE age_range = :new")
                   .bindparams(new=f"older_{band}", old=band))
    with op.batch_alter_table('program_settings', schema=None) as batch_op:
        batch_op.drop_column('syringes_per_pound')

    with op.batch_alter_table('encounter', schema=None) as batch_op:
        batch_op.drop_column('returns_weight_lb')
        batch_op.drop_column('reversals_with_program_naloxone')
        batch_op.drop_column('secondary_syringes')
        batch_op.drop_column('entered_treatment_reported')

    op.drop_table('encounter_service')
    op.drop_table('survey_window_site')
    with op.batch_alter_table('survey_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_response_window_id'))

    op.drop_table('survey_response')
    with op.batch_alter_table('sharps_disposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sharps_disposal_site_id'))

    op.drop_table('sharps_disposal')
    op.drop_table('survey_window')
    op.drop_table('onsite_service')
