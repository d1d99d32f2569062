"""a keyword search near a postal code reads the other places of services from their own index

Revision ID: f5a7c9e1b3d5
Revises: e0a2c4e6f8b0
Create Date: 2026-12-04 22:00:00

The search rows without words (a service's second and further places) indexed by place: the
services with a place in a box among them, found without reading the rows that hold the words.
"""

import sqlalchemy as sa
from alembic import op

revision = 'f5a7c9e1b3d5'
down_revision = 'e0a2c4e6f8b0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_directory_search_other_places", "directory_search", ["latitude", "longitude", "service_id"],
                    postgresql_where=sa.text("words = ''"), sqlite_where=sa.text("words = ''"))


def downgrade():
    op.drop_index("ix_directory_search_other_places", table_name="directory_search")
