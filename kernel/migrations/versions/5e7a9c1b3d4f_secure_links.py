"""secure links: a record's page opened without an account (partners, agencies), by token

Revision ID: 5e7a9c1b3d4f
Revises: 04628195a17f
Create Date: 2026-12-04 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '5e7a9c1b3d4f'
down_revision = '04628195a17f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "secure_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.Column("uses", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_secure_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_secure_links_token_hash")),
    )
    op.create_index("ix_secure_links_record", "secure_links", ["entity", "record_id", "created_at"])
    op.create_index(op.f("ix_secure_links_expires_at"), "secure_links", ["expires_at"])


def downgrade():
    op.drop_index(op.f("ix_secure_links_expires_at"), table_name="secure_links")
    op.drop_index("ix_secure_links_record", table_name="secure_links")
    op.drop_table("secure_links")
