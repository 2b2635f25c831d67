"""transfers and counts: transfer, its lines and receipts; stock counts and their lines

Revision ID: 0011
Revises: 0010
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stock_count',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['stock_event.id'], name=op.f('fk_stock_count_event_id_stock_event')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_stock_count_site_id_site')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_stock_count_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_count')),
    sa.UniqueConstraint('client_id', name=op.f('uq_stock_count_client_id'))
    )
    with op.batch_alter_table('stock_count', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_count_site_id'), ['site_id'], unique=False)

    op.create_table('transfer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('from_site_id', sa.Integer(), nullable=False),
    sa.Column('to_site_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('shipped_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('document_ref', sa.String(length=80), nullable=True),
    sa.Column('ship_event_id', sa.Integer(), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('shortfall_reason', sa.String(length=200), nullable=True),
    sa.CheckConstraint('from_site_id <> to_site_id', name=op.f('ck_transfer_transfer_two_sites')),
    sa.ForeignKeyConstraint(['from_site_id'], ['site.id'], name=op.f('fk_transfer_from_site_id_site')),
    sa.ForeignKeyConstraint(['ship_event_id'], ['stock_event.id'], name=op.f('fk_transfer_ship_event_id_stock_event')),
    sa.ForeignKeyConstraint(['to_site_id'], ['site.id'], name=op.f('fk_transfer_to_site_id_site')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_transfer_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer')),
    sa.UniqueConstraint('client_id', name=op.f('uq_transfer_client_id'))
    )
    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_from_site_id'), ['from_site_id'], unique=False)
        batch_op.create_index('ix_transfer_status', ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_transfer_to_site_id'), ['to_site_id'], unique=False)

    op.create_table('stock_count_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('count_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('expected', sa.Integer(), nullable=False),
    sa.Column('counted', sa.Integer(), nullable=True),
    sa.Column('live', sa.Integer(), nullable=True),
    sa.Column('variance', sa.Integer(), nullable=True),
    sa.Column('moved_since_start', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['count_id'], ['stock_count.id'], name=op.f('fk_stock_count_line_count_id_stock_count')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_stock_count_line_item_id_item')),
    sa.ForeignKeyConstraint(['lot_id'], ['lot.id'], name=op.f('fk_stock_count_line_lot_id_lot')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_count_line'))
    )
    with op.batch_alter_table('stock_count_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_count_line_count_id'), ['count_id'], unique=False)

    op.create_table('transfer_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('lot_id', sa.Integer(), nullable=True),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('written_off', sa.Integer(), nullable=False),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_transfer_line_transfer_line_positive')),
    sa.CheckConstraint('received >= 0 AND written_off >= 0 AND received + written_off <= quantity', name=op.f('ck_transfer_line_transfer_line_within_shipped')),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_transfer_line_item_id_item')),
    sa.ForeignKeyConstraint(['lot_id'], ['lot.id'], name=op.f('fk_transfer_line_lot_id_lot')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfer.id'], name=op.f('fk_transfer_line_transfer_id_transfer')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_line'))
    )
    with op.batch_alter_table('transfer_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_line_transfer_id'), ['transfer_id'], unique=False)

    op.create_table('transfer_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('transfer_id', sa.Integer(), nullable=False),
    sa.Column('client_id', sa.Uuid(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=True),
    sa.Column('occurred_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('shortfall_event_id', sa.Integer(), nullable=True),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['stock_event.id'], name=op.f('fk_transfer_receipt_event_id_stock_event')),
    sa.ForeignKeyConstraint(['shortfall_event_id'], ['stock_event.id'], name=op.f('fk_transfer_receipt_shortfall_event_id_stock_event')),
    sa.ForeignKeyConstraint(['transfer_id'], ['transfer.id'], name=op.f('fk_transfer_receipt_transfer_id_transfer')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_transfer_receipt_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transfer_receipt')),
    sa.UniqueConstraint('client_id', name=op.f('uq_transfer_receipt_client_id'))
    )
    with op.batch_alter_table('transfer_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transfer_receipt_transfer_id'), ['transfer_id'], unique=False)



def downgrade():
    with op.batch_alter_table('transfer_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_receipt_transfer_id'))

    op.drop_table('transfer_receipt')
    with op.batch_alter_table('transfer_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_line_transfer_id'))

    op.drop_table('transfer_line')
    with op.batch_alter_table('stock_count_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_count_line_count_id'))

    op.drop_table('stock_count_line')
    with op.batch_alter_table('transfer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transfer_to_site_id'))
        batch_op.drop_index('ix_transfer_status')
        batch_op.drop_index(batch_op.f('ix_transfer_from_site_id'))

    op.drop_table('transfer')
    with op.batch_alter_table('stock_count', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stock_count_site_id'))

    op.drop_table('stock_count')
