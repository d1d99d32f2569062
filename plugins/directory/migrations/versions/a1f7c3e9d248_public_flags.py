"""a public flag per agency, resource and location (off by default): only what is marked public
is shown in the public directory and the HSDS API

Revision ID: a1f7c3e9d248
Revises: f3a8d2c61b07
Create Date: 2026-12-04 12:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'a1f7c3e9d248'
down_revision = 'f3a8d2c61b07'
branch_labels = None
depends_on = None

TABLES = ('directory_organizations', 'directory_services', 'directory_locations')


def upgrade():
    # A plain ADD COLUMN on both engines: a batch "move and copy" on SQLite would drop the agencies'
    # table, which foreign keys forbid once resources point at it.
    for table in TABLES:
        op.add_column(table, sa.Column('public', sa.Boolean(), nullable=False, server_default=sa.false()))
        op.create_index(op.f(f'ix_{table}_public'), table, ['public'], unique=False)


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_public'))
            batch_op.drop_column('public')
