"""duplicate keys

Revision ID: d2c5a7e9b1f4
Revises: c7d9e1f2a3b4
Create Date: 2026-11-24 09:30:00

Fill it for existing rows with ``passerelle duplicates reindex``.
"""

import sqlalchemy as sa
from alembic import op

revision = "d2c5a7e9b1f4"
down_revision = "c7d9e1f2a3b4"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "duplicate_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_keys")),
    )
    op.create_index("ix_duplicate_keys_lookup", "duplicate_keys", ["entity", "kind", "key", "record_id"])
    op.create_index("ix_duplicate_keys_record", "duplicate_keys", ["entity", "record_id"])


def downgrade():
    op.drop_index("ix_duplicate_keys_record", table_name="duplicate_keys")
    op.drop_index("ix_duplicate_keys_lookup", table_name="duplicate_keys")
    op.drop_table("duplicate_keys")
