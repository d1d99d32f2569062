"""one GIN index over a search row's cells and words (PostgreSQL), instead of one for each

Revision ID: b3e5a7c9d1f2
Revises: a8c0e2f4b6d8
Create Date: 2026-12-06 04:30:00

A keyword search near a postal code asks for the words rows that match the keywords and have one
of a few grid cells. With an index for each, PostgreSQL made a bitmap of every keyword match
(50,000 rows for "logement" and its synonyms among 200,000 services, 11 ms) and another of every
row in the cells, then intersected them. A GIN index over both columns intersects while it reads:
it skips along the keywords' entries to the rows the cells name (4 ms). A keyword search without a
place reads the same index as fast as the words' own, so the two indexes it replaces are dropped.
SQLite's keyword index is FTS5 and its search does not read the cells: their index goes.
"""

import sqlalchemy as sa
from alembic import op

revision = 'b3e5a7c9d1f2'
down_revision = 'a8c0e2f4b6d8'
branch_labels = None
depends_on = None

WORDS = "to_tsvector('simple', words)"  # frozen copy of plugins.directory.models.SEARCH_TSV


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_directory_search_cells_words ON directory_search USING gin (cells, {WORDS})")
        for name in _words_indexes():
            op.execute(f'DROP INDEX "{name}"')
    op.drop_index("ix_directory_search_cells", table_name="directory_search", if_exists=True)


def _words_indexes() -> list[str]:
    """The GIN indexes over the words alone, whatever their names (as migration a8c0e2f4b6d8 finds
    them): a database whose index was made again by hand under another name loses it too."""
    return list(op.get_bind().scalars(sa.text(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'directory_search' "
        "AND indexdef LIKE '% USING gin (to_tsvector(''simple''::regconfig, words))'")))


def downgrade():
    op.create_index("ix_directory_search_cells", "directory_search", ["cells"], postgresql_using="gin")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_directory_search_words ON directory_search USING gin ({WORDS})")
        op.execute("DROP INDEX ix_directory_search_cells_words")
