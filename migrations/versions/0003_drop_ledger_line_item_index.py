"""drop the index on stock_event_line.item_id

Nothing looks ledger lines up by item alone: reports and the ledger check reach lines through
their event (ix_stock_event_line_event_id) and group by item. The index cost three b-tree
inserts on every handout of three items.

Revision ID: 0003
Revises: 0002
"""
from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index(op.f('ix_stock_event_line_item_id'), table_name='stock_event_line')


def downgrade():
    op.create_index(op.f('ix_stock_event_line_item_id'), 'stock_event_line', ['item_id'],
                    unique=False)
