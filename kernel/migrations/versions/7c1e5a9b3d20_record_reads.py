"""record reads: who saw which sensitive record, append-only (issue 19)

Revision ID: 7c1e5a9b3d20
Revises: 9d3e5f7a2b4c
Create Date: 2026-12-04 11:00:00

The triggers hold for every connection, the application's included: nothing edits a read, and
only the retention purge's DELETE of reads older than the floor goes through. The floor (30 days)
is ``kernel.access_log.APPEND_ONLY_DAYS``, written out here so that this migration keeps meaning
what it meant. A later migration that rebuilds ``record_reads`` on SQLite must create them again.
"""

import sqlalchemy as sa
from alembic import op

revision = "7c1e5a9b3d20"
down_revision = "9d3e5f7a2b4c"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER record_reads_no_update BEFORE UPDATE ON record_reads
    BEGIN SELECT RAISE(ABORT, 'record_reads is append-only: reads cannot be changed'); END""",
    """CREATE TRIGGER record_reads_no_early_delete BEFORE DELETE ON record_reads
    WHEN OLD.read_at > datetime('now', '-30 days')
    BEGIN SELECT RAISE(ABORT, 'record_reads: reads younger than 30 days cannot be deleted'); END""",
]

POSTGRESQL_FUNCTION = """
CREATE FUNCTION record_reads_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'record_reads is append-only: reads cannot be changed';
    END IF;
    IF TG_OP = 'TRUNCATE' OR OLD.read_at > (now() AT TIME ZONE 'UTC') - interval '30 days' THEN
        RAISE EXCEPTION 'record_reads: reads younger than 30 days cannot be deleted';
    END IF;
    RETURN OLD;
END
$$"""

POSTGRESQL_TRIGGERS = [
    """CREATE TRIGGER record_reads_append_only BEFORE UPDATE OR DELETE ON record_reads
    FOR EACH ROW EXECUTE FUNCTION record_reads_append_only()""",
    """CREATE TRIGGER record_reads_no_truncate BEFORE TRUNCATE ON record_reads
    FOR EACH STATEMENT EXECUTE FUNCTION record_reads_append_only()""",
]


def upgrade():
    op.create_table(
        "record_reads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("entity", sa.String(length=64), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.Column("via", sa.String(length=80), nullable=False),
        sa.Column("count", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_reads")),
    )
    op.create_index("ix_record_reads_read_at", "record_reads", ["read_at"])
    op.create_index("ix_record_reads_record", "record_reads", ["entity", "record_id", "read_at"])
    op.create_index("ix_record_reads_user", "record_reads", ["user_id", "read_at"])
    op.create_index("ix_record_reads_entity", "record_reads", ["entity", "read_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for statement in POSTGRESQL_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS record_reads_no_truncate ON record_reads")
        op.execute("DROP TRIGGER IF EXISTS record_reads_append_only ON record_reads")
        op.execute("DROP FUNCTION IF EXISTS record_reads_append_only()")
    op.drop_table("record_reads")  # SQLite drops the table's triggers with it
