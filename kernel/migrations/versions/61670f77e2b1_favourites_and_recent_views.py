"""favourites and recently viewed records

Revision ID: 61670f77e2b1
Revises: a1f3c2d4e5b6
Create Date: 2026-11-23 13:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "61670f77e2b1"
down_revision = "a1f3c2d4e5b6"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "favourites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_favourites_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_favourites")),
    )
    op.create_index("ix_favourites_user_record", "favourites", ["user_id", "entity", "record_id"], unique=True)
    op.create_table(
        "recent_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("viewed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_recent_views_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recent_views")),
    )
    op.create_index("ix_recent_views_user_record", "recent_views", ["user_id", "entity", "record_id"],
                    unique=True)
    op.create_index("ix_recent_views_user_viewed", "recent_views", ["user_id", "viewed_at"], unique=False)


def downgrade():
    op.drop_index("ix_recent_views_user_viewed", table_name="recent_views")
    op.drop_index("ix_recent_views_user_record", table_name="recent_views")
    op.drop_table("recent_views")
    op.drop_index("ix_favourites_user_record", table_name="favourites")
    op.drop_table("favourites")
