"""security log: append-only triggers (no UPDATE; no DELETE of events younger than 30 days), address index

Revision ID: 3b9d5f7a1c2e
Revises: f1a2b3c4d5e6
Create Date: 2026-12-04 05:00:00

The triggers hold for every connection, the application's included: nothing edits an event, and
only the retention job's DELETE of events older than the floor goes through. The floor (30 days)
is ``kernel.security.events.APPEND_ONLY_DAYS``; it is written out here so that this migration
keeps meaning what it meant. A later migration that rebuilds ``security_events`` on SQLite
(``batch_alter_table``) must create these triggers again.
"""

import sqlalchemy as sa  # noqa: F401
from alembic import op

revision = "3b9d5f7a1c2e"
down_revision = "f1a2b3c4d5e6"
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER security_events_no_update BEFORE UPDATE ON security_events
    BEGIN SELECT RAISE(ABORT, 'security_events is append-only: events cannot be changed'); END""",
    """CREATE TRIGGER security_events_no_early_delete BEFORE DELETE ON security_events
    WHEN OLD.occurred_at > datetime('now', '-30 days')
    BEGIN SELECT RAISE(ABORT, 'security_events: events younger than 30 days cannot be deleted'); END""",
]

POSTGRESQL_FUNCTION = """
CREATE FUNCTION security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'security_events is append-only: events cannot be changed';
    END IF;
    IF TG_OP = 'TRUNCATE' OR OLD.occurred_at > (now() AT TIME ZONE 'UTC') - interval '30 days' THEN
        RAISE EXCEPTION 'security_events: events younger than 30 days cannot be deleted';
    END IF;
    RETURN OLD;
END
$$"""

POSTGRESQL_TRIGGERS = [
    """CREATE TRIGGER security_events_append_only BEFORE UPDATE OR DELETE ON security_events
    FOR EACH ROW EXECUTE FUNCTION security_events_append_only()""",
    """CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events
    FOR EACH STATEMENT EXECUTE FUNCTION security_events_append_only()""",
]


def upgrade():
    op.create_index("ix_security_events_address", "security_events", ["address"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for statement in POSTGRESQL_TRIGGERS:
            op.execute(statement)
    else:
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS security_events_no_truncate ON security_events")
        op.execute("DROP TRIGGER IF EXISTS security_events_append_only ON security_events")
        op.execute("DROP FUNCTION IF EXISTS security_events_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS security_events_no_early_delete")
        op.execute("DROP TRIGGER IF EXISTS security_events_no_update")
    op.drop_index("ix_security_events_address", table_name="security_events")
