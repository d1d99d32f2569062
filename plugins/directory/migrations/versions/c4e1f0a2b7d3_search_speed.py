"""search speed: a keyword index with one document per service, covering indexes for the filters

Revision ID: c4e1f0a2b7d3
Revises: 9a136a15027c
Create Date: 2026-11-23 16:05:23.036759

The words of a service are now kept on its first search row only, as `` names | the rest ``. Rows
made before this revision keep their words, all counted as "the rest", until the directory's
search rows are rebuilt (``plugins.contactcenter.index.rebuild``: an HSDS import does it).
"""

import sqlalchemy as sa
from alembic import op

revision = 'c4e1f0a2b7d3'
down_revision = '9a136a15027c'
branch_labels = None
depends_on = None


# Frozen copies of plugins.contactcenter.models.SEARCH_FTS_STATEMENTS, SEARCH_TSV and SEARCH_NAME_TSV.
_NAME_PART = "substr({row}.words, 1, instr({row}.words, '|') - 1)"
_OTHER_PART = "substr({row}.words, instr({row}.words, '|') + 1)"
SEARCH_FTS_STATEMENTS = [
    "CREATE VIRTUAL TABLE cc_search_fts USING fts5(name, other, content='', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER cc_search_fts_insert AFTER INSERT ON cc_search WHEN new.words <> '' BEGIN "
    f"INSERT INTO cc_search_fts(rowid, name, other) VALUES (new.service_id, {_NAME_PART.format(row='new')}, "
    f"{_OTHER_PART.format(row='new')}); END",
    "CREATE TRIGGER cc_search_fts_delete AFTER DELETE ON cc_search WHEN old.words <> '' BEGIN "
    "INSERT INTO cc_search_fts(cc_search_fts, rowid, name, other) VALUES ('delete', old.service_id, "
    f"{_NAME_PART.format(row='old')}, {_OTHER_PART.format(row='old')}); END",
]
POSTGRESQL_INDEXES = {
    "ix_cc_search_words": "to_tsvector('simple', words)",
    "ix_cc_search_name_words": "to_tsvector('simple', split_part(words, '|', 1))",
}
OLD_FTS_STATEMENTS = [
    "CREATE VIRTUAL TABLE cc_search_fts USING fts5(words, content='cc_search', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER cc_search_fts_insert AFTER INSERT ON cc_search BEGIN "
    "INSERT INTO cc_search_fts(rowid, words) VALUES (new.id, new.words); END",
    "CREATE TRIGGER cc_search_fts_delete AFTER DELETE ON cc_search BEGIN "
    "INSERT INTO cc_search_fts(cc_search_fts, rowid, words) VALUES ('delete', old.id, old.words); END",
    "INSERT INTO cc_search_fts(cc_search_fts) VALUES ('rebuild')",
]


def _drop_sqlite_keyword_index():
    op.execute("DROP TRIGGER IF EXISTS cc_search_fts_insert")
    op.execute("DROP TRIGGER IF EXISTS cc_search_fts_delete")
    op.execute("DROP TABLE IF EXISTS cc_search_fts")


def _words_once_per_service():
    op.execute("UPDATE cc_search SET words = '' WHERE id NOT IN (SELECT min(id) FROM cc_search GROUP BY service_id)")
    op.execute("UPDATE cc_search SET words = ' | ' || words WHERE words <> '' AND words NOT LIKE '%|%'")


def upgrade():
    with op.batch_alter_table('cc_languages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cc_languages_service_id'))
        batch_op.create_index('ix_cc_languages_service_code', ['service_id', 'code', 'name'], unique=False)

    with op.batch_alter_table('cc_opening_hours', schema=None) as batch_op:
        batch_op.create_index('ix_cc_opening_hours_service', ['service_id', 'weekday', 'opens', 'closes'], unique=False)

    with op.batch_alter_table('cc_schedules', schema=None) as batch_op:
        batch_op.create_index('ix_cc_schedules_holidays', ['valid_from', 'valid_to', 'service_id'], unique=False, sqlite_where=sa.text('opens_at IS NULL'), postgresql_where=sa.text('opens_at IS NULL'))

    with op.batch_alter_table('cc_search', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cc_search_position'))
        batch_op.create_index('ix_cc_search_place', ['latitude', 'longitude', 'service_id'], unique=False)

    with op.batch_alter_table('cc_service_taxonomy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cc_service_taxonomy_service_id'))
        batch_op.drop_index(batch_op.f('ix_cc_service_taxonomy_term_id'))
        batch_op.create_index('ix_cc_service_taxonomy_service_term', ['service_id', 'term_id'], unique=False)
        batch_op.create_index('ix_cc_service_taxonomy_term_service', ['term_id', 'service_id'], unique=False)

    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_keyword_index()
    _words_once_per_service()
    if dialect == "sqlite":
        for statement in SEARCH_FTS_STATEMENTS:
            op.execute(statement)
        op.execute(f"INSERT INTO cc_search_fts(rowid, name, other) SELECT service_id, {_NAME_PART.format(row='cc_search')}, "
                   f"{_OTHER_PART.format(row='cc_search')} FROM cc_search WHERE words <> ''")
    elif dialect == "postgresql":
        for name, expression in POSTGRESQL_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON cc_search USING gin ({expression})")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _drop_sqlite_keyword_index()
        for statement in OLD_FTS_STATEMENTS:
            op.execute(statement)
    elif dialect == "postgresql":
        for name in POSTGRESQL_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
    with op.batch_alter_table('cc_service_taxonomy', schema=None) as batch_op:
        batch_op.drop_index('ix_cc_service_taxonomy_term_service')
        batch_op.drop_index('ix_cc_service_taxonomy_service_term')
        batch_op.create_index(batch_op.f('ix_cc_service_taxonomy_term_id'), ['term_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cc_service_taxonomy_service_id'), ['service_id'], unique=False)

    with op.batch_alter_table('cc_search', schema=None) as batch_op:
        batch_op.drop_index('ix_cc_search_place')
        batch_op.create_index(batch_op.f('ix_cc_search_position'), ['latitude', 'longitude'], unique=False)

    with op.batch_alter_table('cc_schedules', schema=None) as batch_op:
        batch_op.drop_index('ix_cc_schedules_holidays', sqlite_where=sa.text('opens_at IS NULL'), postgresql_where=sa.text('opens_at IS NULL'))

    with op.batch_alter_table('cc_opening_hours', schema=None) as batch_op:
        batch_op.drop_index('ix_cc_opening_hours_service')

    with op.batch_alter_table('cc_languages', schema=None) as batch_op:
        batch_op.drop_index('ix_cc_languages_service_code')
        batch_op.create_index(batch_op.f('ix_cc_languages_service_id'), ['service_id'], unique=False)

