"""the "open at" filter probes each candidate: indexes led by the service, holding every column tested

Revision ID: 7fb374f9348e
Revises: d7a3b9e51c20
Create Date: 2026-11-23 16:21:54.533440
"""

import sqlalchemy as sa
from alembic import op

revision = '7fb374f9348e'
down_revision = 'd7a3b9e51c20'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cc_opening_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cc_opening_hours_day'))
        batch_op.drop_index(batch_op.f('ix_cc_opening_hours_service'))
        batch_op.create_index('ix_cc_opening_hours_service', ['service_id', 'weekday', 'opens', 'closes', 'valid_from', 'valid_to'], unique=False)

    with op.batch_alter_table('cc_schedules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cc_schedules_holidays'), sqlite_where=sa.text('opens_at IS NULL'))
        batch_op.create_index('ix_cc_schedules_holidays', ['service_id', 'valid_from', 'valid_to'], unique=False, sqlite_where=sa.text('opens_at IS NULL'), postgresql_where=sa.text('opens_at IS NULL'))


def downgrade():
    with op.batch_alter_table('cc_schedules', schema=None) as batch_op:
        batch_op.drop_index('ix_cc_schedules_holidays', sqlite_where=sa.text('opens_at IS NULL'), postgresql_where=sa.text('opens_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_cc_schedules_holidays'), ['valid_from', 'valid_to', 'service_id'], unique=False, sqlite_where=sa.text('opens_at IS NULL'), postgresql_where=sa.text('opens_at IS NULL'))

    with op.batch_alter_table('cc_opening_hours', schema=None) as batch_op:
        batch_op.drop_index('ix_cc_opening_hours_service')
        batch_op.create_index(batch_op.f('ix_cc_opening_hours_service'), ['service_id', 'weekday', 'opens', 'closes'], unique=False)
        batch_op.create_index(batch_op.f('ix_cc_opening_hours_day'), ['weekday', 'opens', 'service_id'], unique=False)
