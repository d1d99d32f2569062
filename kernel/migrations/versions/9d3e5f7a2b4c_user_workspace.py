"""users.workspace: the sidebar section a user sees first (issue 16, navigation by workspace)

Revision ID: 9d3e5f7a2b4c
Revises: 3b9d5f7a1c2e
Create Date: 2026-12-04 05:40:00

Empty means "my role's workspace" (the ``WORKSPACES`` setting, else the first section). A plain
ADD COLUMN, which SQLite does in place: no table rebuild.
"""

import sqlalchemy as sa
from alembic import op

revision = "9d3e5f7a2b4c"
down_revision = "3b9d5f7a1c2e"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("workspace", sa.String(length=40), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("workspace")
