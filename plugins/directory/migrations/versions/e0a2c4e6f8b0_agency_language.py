"""an agency's correspondence language (the language of its verification e-mails)

Revision ID: e0a2c4e6f8b0
Revises: d9f1b3c5e7a9
Create Date: 2026-12-04 19:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'e0a2c4e6f8b0'
down_revision = 'd9f1b3c5e7a9'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("directory_organizations", sa.Column("language", sa.String(50), nullable=True))


def downgrade():
    op.drop_column("directory_organizations", "language")
