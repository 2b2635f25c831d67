"""report ledger month cache

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_ledger_month',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('start_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('end_utc', sa.DateTime(timezone=True), nullable=False),
    sa.Column('event_count', sa.Integer(), nullable=False),
    sa.Column('refreshed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_ledger_month')),
    sa.UniqueConstraint('start_utc', name=op.f('uq_report_ledger_month_start_utc'))
    )
    op.create_table('report_ledger_month_total',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('lot_key', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_report_ledger_month_total_item_id_item')),
    sa.ForeignKeyConstraint(['month_id'], ['report_ledger_month.id'], name=op.f('fk_report_ledger_month_total_month_id_report_ledger_month'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_report_ledger_month_total_site_id_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_ledger_month_total')),
    sa.UniqueConstraint('month_id', 'site_id', 'item_id', 'lot_key', 'kind', name=op.f('uq_report_ledger_month_total_key'))
    )


def downgrade():
    op.drop_table('report_ledger_month_total')
    op.drop_table('report_ledger_month')
