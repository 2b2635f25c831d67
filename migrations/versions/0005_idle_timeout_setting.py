"""program setting: idle sign-out in minutes

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('program_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idle_timeout_minutes', sa.Integer(), server_default='15',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('program_settings', schema=None) as batch_op:
        batch_op.drop_column('idle_timeout_minutes')
