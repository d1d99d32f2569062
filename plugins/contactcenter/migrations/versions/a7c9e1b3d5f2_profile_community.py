"""caller profiles: the caller's community, for resources near them without a postal code

Revision ID: a7c9e1b3d5f2
Revises: 3df5aecde6ff
Create Date: 2026-12-05 10:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'a7c9e1b3d5f2'
down_revision = '3df5aecde6ff'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('helpline_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('community', sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table('helpline_profiles', schema=None) as batch_op:
        batch_op.drop_column('community')
