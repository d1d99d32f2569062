"""custom field values of clients

Revision ID: e615525269f6
Revises: 45cd21012a4c
Create Date: 2026-11-23 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "e615525269f6"
down_revision = "45cd21012a4c"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.add_column(sa.Column("custom", sa.JSON(), server_default=sa.text("'{}'"), nullable=False))


def downgrade():
    with op.batch_alter_table("clients", schema=None) as batch_op:
        batch_op.drop_column("custom")
