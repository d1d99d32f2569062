"""dashboard layouts

Revision ID: c7d9e1f2a3b4
Revises: c4e8f1a2b3d5
Create Date: 2026-11-23 13:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "c7d9e1f2a3b4"
down_revision = "c4e8f1a2b3d5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "dashboard_layouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("dashlets", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_dashboard_layouts_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dashboard_layouts")),
        sa.UniqueConstraint("user_id", name=op.f("uq_dashboard_layouts_user_id")),
    )


def downgrade():
    op.drop_table("dashboard_layouts")
