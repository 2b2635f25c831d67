"""program activity log: events, hours and locations of sites, report narratives

Revision ID: 0014
Revises: 0013
"""
from alembic import op
import sqlalchemy as sa



revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'activity_event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('held_on', sa.Date(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=True),
        sa.Column('attendance', sa.Integer(), nullable=True),
        sa.Column('description', sa.String(length=500), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_activity_event_held_on', 'activity_event', ['held_on'])
    op.create_table(
        'site_hours',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('site_id', sa.Integer(), nullable=False),
        sa.Column('schedule', sa.String(length=300), nullable=False),
        sa.Column('location', sa.String(length=200), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['site_id'], ['site.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('site_id'),
    )
    op.create_table(
        'report_narrative',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('first_day', 'last_day', name='uq_report_narrative_period'),
    )


def downgrade():
    op.drop_table('report_narrative')
    op.drop_table('site_hours')
    op.drop_index('ix_activity_event_held_on', table_name='activity_event')
    op.drop_table('activity_event')
