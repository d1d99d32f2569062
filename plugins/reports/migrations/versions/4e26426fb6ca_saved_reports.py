"""saved reports

Revision ID: 4e26426fb6ca
Revises:
Create Date: 2026-11-23 15:30:26
"""

import sqlalchemy as sa
from alembic import op

revision = "4e26426fb6ca"
down_revision = None
branch_labels = ("reports",)
depends_on = None


def upgrade():
    op.create_table(
        "saved_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("column_labels", sa.JSON(), nullable=False),
        sa.Column("sharing", sa.String(length=20), nullable=False),
        sa.Column("shared_role", sa.String(length=20), nullable=True),
        sa.Column("schedule", sa.String(length=10), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=True),
        sa.Column("next_run_at", sa.DateTime(), nullable=True),
        sa.Column("last_sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_saved_reports_owner_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_reports")),
    )
    op.create_index(op.f("ix_saved_reports_next_run_at"), "saved_reports", ["next_run_at"])
    op.create_index(op.f("ix_saved_reports_owner_id"), "saved_reports", ["owner_id"])


def downgrade():
    op.drop_index(op.f("ix_saved_reports_owner_id"), table_name="saved_reports")
    op.drop_index(op.f("ix_saved_reports_next_run_at"), table_name="saved_reports")
    op.drop_table("saved_reports")
