"""language filter reads indexes: lower(code) and lower(name) of the languages a service offers

Revision ID: d7a3b9e51c20
Revises: c4e1f0a2b7d3
Create Date: 2026-11-23 16:20:00

Expression indexes, made here rather than in the models (Alembic does not compare them), as
kernel.search_index does for the lists' lower() indexes.
"""

from alembic import op

revision = 'd7a3b9e51c20'
down_revision = 'c4e1f0a2b7d3'
branch_labels = None
depends_on = None

INDEXES = {
    "ix_cc_languages_lower_code": "lower(code), service_id",
    "ix_cc_languages_lower_name": "lower(name), service_id",
}


def upgrade():
    for name, columns in INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON cc_languages ({columns})")


def downgrade():
    for name in INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
