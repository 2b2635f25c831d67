"""reorder: policies (min/max months per item, site overrides), reorder requests, and the
nightly cache of the 90-day look-back (stock_window)

Revision ID: 0012
Revises: 0011
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stock_day_refresh',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=False),
    sa.Column('last_day', sa.Date(), nullable=False),
    sa.Column('through_event_id', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_day_refresh'))
    )
    op.create_table('reorder_policy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('site_key', sa.Integer(), nullable=False),
    sa.Column('min_months', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('max_months', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('min_months >= 0 AND max_months >= min_months', name=op.f('ck_reorder_policy_months_order')),
    sa.CheckConstraint('site_key = coalesce(site_id, 0)', name=op.f('ck_reorder_policy_site_key_matches')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_reorder_policy_item_id_item')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_reorder_policy_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorder_policy')),
    sa.UniqueConstraint('item_id', 'site_key', name=op.f('uq_reorder_policy_item_id_site_key'))
    )
    op.create_table('stock_window',
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('net', sa.JSON(), nullable=False),
    sa.Column('consumed', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_stock_window_item_id_item')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_stock_window_site_id_site')),
    sa.PrimaryKeyConstraint('site_id', 'item_id', name=op.f('pk_stock_window'))
    )
    op.create_table('reorder_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ordered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('receipt_event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_reorder_request_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['receipt_event_id'], ['stock_event.id'], name=op.f('fk_reorder_request_receipt_event_id_stock_event')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_reorder_request_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorder_request')),
    sa.UniqueConstraint('client_id', name=op.f('uq_reorder_request_client_id'))
    )
    with op.batch_alter_table('reorder_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reorder_request_site_id'), ['site_id'], unique=False)

    op.create_table('reorder_request_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('packs', sa.Integer(), nullable=False),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_reorder_request_line_item_id_item')),
    sa.ForeignKeyConstraint(['request_id'], ['reorder_request.id'], name=op.f('fk_reorder_request_line_request_id_reorder_request')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reorder_request_line')),
    sa.UniqueConstraint('request_id', 'item_id', name=op.f('uq_reorder_request_line_request_id_item_id'))
    )


def downgrade():
    op.drop_table('reorder_request_line')
    with op.batch_alter_table('reorder_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reorder_request_site_id'))

    op.drop_table('reorder_request')
    op.drop_table('stock_window')
    op.drop_table('reorder_policy')
    op.drop_table('stock_day_refresh')
