"""imports queued for the workers

Revision ID: 04628195a17f
Revises: ce5575a1b37f
Create Date: 2026-12-04 12:12:21.373787
"""

import sqlalchemy as sa
from alembic import op

revision = '04628195a17f'
down_revision = 'ce5575a1b37f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("run_requested_at", sa.DateTime(), nullable=True))
    op.create_index("ix_imports_status_run_requested_at", "imports", ["status", "run_requested_at"])


def downgrade():
    op.drop_index("ix_imports_status_run_requested_at", table_name="imports")
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("run_requested_at")
