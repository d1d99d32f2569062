"""job runs: one row per exclusive background job (kernel.jobs)

Revision ID: ce5575a1b37f
Revises: 7c1e5a9b3d20
Create Date: 2026-12-04 12:09:49.508465
"""

import sqlalchemy as sa
from alembic import op

revision = 'ce5575a1b37f'
down_revision = '7c1e5a9b3d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_runs",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("last_finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_runs")),
    )


def downgrade():
    op.drop_table("job_runs")
