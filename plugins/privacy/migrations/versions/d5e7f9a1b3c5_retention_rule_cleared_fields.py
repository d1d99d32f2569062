"""retention rules: what anonymised records do not keep, chosen per rule ("also empty")

Revision ID: d5e7f9a1b3c5
Revises: 71f8bba14d47
Create Date: 2026-12-04 20:25:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'd5e7f9a1b3c5'
down_revision = '71f8bba14d47'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('privacy_retention_rules', sa.Column('cleared_fields', sa.String(length=255), nullable=True))


def downgrade():
    op.drop_column('privacy_retention_rules', 'cleared_fields')
