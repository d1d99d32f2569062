"""choice options and custom fields

Revision ID: 8674c9cecb31
Revises: 61670f77e2b1
Create Date: 2026-11-23 13:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = "8674c9cecb31"
down_revision = "61670f77e2b1"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "choice_options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_name", sa.String(length=150), nullable=False),
        sa.Column("value", sa.String(length=50), nullable=False),
        sa.Column("label_en", sa.String(length=255), nullable=False),
        sa.Column("label_fr", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_choice_options")),
        sa.UniqueConstraint("list_name", "value", name=op.f("uq_choice_options_list_name")),
    )
    op.create_table(
        "custom_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label_en", sa.String(length=255), nullable=False),
        sa.Column("label_fr", sa.String(length=255), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("show_in_list", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_fields")),
        sa.UniqueConstraint("entity", "key", name=op.f("uq_custom_fields_entity")),
    )


def downgrade():
    op.drop_table("custom_fields")
    op.drop_table("choice_options")
