"""The plugin "contactcenter" (the resource directory) is now "directory": its tables move from
``cc_*`` to ``directory_*`` with their rows, indexes, constraints and sequences. The version table
``alembic_version_contactcenter`` became ``alembic_version_directory`` before this revision ran
(``kernel.migrate.adopt_renamed_version_tables``).

Revision ID: f3a8d2c61b07
Revises: b2d4f6a8c0e1
Create Date: 2026-12-04
"""

from kernel.toolkit import rename_tables

revision = 'f3a8d2c61b07'
down_revision = 'b2d4f6a8c0e1'
branch_labels = None
depends_on = None

TABLES = [
    "organizations", "services", "locations", "taxonomy_terms", "taxonomies", "service_at_location",
    "service_taxonomy", "phones", "schedules", "opening_hours", "service_areas", "languages",
    "synonym_groups", "postal_codes", "communities", "search", "search_types",
    "search_fts",  # SQLite's keyword index (a virtual table); PostgreSQL has none
]


def upgrade():
    rename_tables({f"cc_{name}": f"directory_{name}" for name in TABLES}, prefixes=(("cc_", "directory_"),))


def downgrade():
    rename_tables({f"directory_{name}": f"cc_{name}" for name in TABLES}, prefixes=(("directory_", "cc_"),))
