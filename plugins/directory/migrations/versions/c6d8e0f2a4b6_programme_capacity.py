"""programmes' capacity: open spots, waiting list, accepting new referrals, updated when and by whom
(one row per resource that declared it)

Revision ID: c6d8e0f2a4b6
Revises: b3c5d7e9f1a2
Create Date: 2026-12-04 14:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'c6d8e0f2a4b6'
down_revision = 'b3c5d7e9f1a2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'directory_capacity',
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('open_spots', sa.Integer(), nullable=True),
        sa.Column('waiting_list', sa.Integer(), nullable=True),
        sa.Column('accepting', sa.Boolean(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.Column('updated_by_name', sa.String(length=255), nullable=True),
        sa.ForeignKeyConstraint(['service_id'], ['directory_services.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('service_id'),
    )
    op.create_index('ix_directory_capacity_accepting', 'directory_capacity', ['accepting', 'service_id'])


def downgrade():
    op.drop_index('ix_directory_capacity_accepting', table_name='directory_capacity')
    op.drop_table('directory_capacity')
