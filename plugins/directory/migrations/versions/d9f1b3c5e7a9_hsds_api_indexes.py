"""the HSDS API's modified_after filter reads an index of when services and places changed

Revision ID: d9f1b3c5e7a9
Revises: c6d8e0f2a4b6
Create Date: 2026-12-04 15:05:00
"""

from alembic import op

revision = 'd9f1b3c5e7a9'
down_revision = 'c6d8e0f2a4b6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_directory_services_updated_at", "directory_services", ["updated_at"])
    op.create_index("ix_directory_locations_updated_at", "directory_locations", ["updated_at"])


def downgrade():
    op.drop_index("ix_directory_locations_updated_at", table_name="directory_locations")
    op.drop_index("ix_directory_services_updated_at", table_name="directory_services")
