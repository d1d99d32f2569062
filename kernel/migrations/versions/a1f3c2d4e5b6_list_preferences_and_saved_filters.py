"""list preferences and saved filters

Revision ID: a1f3c2d4e5b6
Revises: fcd30395a6db
Create Date: 2026-11-23 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "a1f3c2d4e5b6"
down_revision = "fcd30395a6db"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "list_preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("per_page", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_list_preferences_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_list_preferences")),
    )
    op.create_index("ix_list_preferences_user_entity", "list_preferences", ["user_id", "entity"], unique=True)
    op.create_table(
        "saved_filters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_saved_filters_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_filters")),
    )
    op.create_index("ix_saved_filters_entity_user", "saved_filters", ["entity", "user_id"])


def downgrade():
    op.drop_index("ix_saved_filters_entity_user", table_name="saved_filters")
    op.drop_table("saved_filters")
    op.drop_index("ix_list_preferences_user_entity", table_name="list_preferences")
    op.drop_table("list_preferences")
