"""kits: admin-defined presets of items for the handout screen; the participant code recipe

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

DEFAULT_RECIPE = 'mother_first_name,birth_month,birth_year,last_name_initial'


def upgrade():
    op.create_table(
        'kit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('display_order', sa.Integer(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kit')),
        sa.UniqueConstraint('code', name=op.f('uq_kit_code')),
    )
    op.create_table(
        'kit_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kit_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('quantity', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['item.id'], name=op.f('fk_kit_item_item_id_item')),
        sa.ForeignKeyConstraint(['kit_id'], ['kit.id'], name=op.f('fk_kit_item_kit_id_kit'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_kit_item')),
        sa.UniqueConstraint('kit_id', 'item_id', name=op.f('uq_kit_item_kit_id_item_id')),
    )
    with op.batch_alter_table('kit_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kit_item_kit_id'), ['kit_id'], unique=False)
    with op.batch_alter_table('program_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participant_code_recipe', sa.String(length=200),
                                      server_default=DEFAULT_RECIPE, nullable=False))


def downgrade():
    with op.batch_alter_table('program_settings', schema=None) as batch_op:
        batch_op.drop_column('participant_code_recipe')
    with op.batch_alter_table('kit_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kit_item_kit_id'))
    op.drop_table('kit_item')
    op.drop_table('kit')
