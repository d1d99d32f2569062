"""a directory that stays current: when each agency and resource was last verified and by whom

Revision ID: b3c5d7e9f1a2
Revises: a1f7c3e9d248
Create Date: 2026-12-04 14:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'b3c5d7e9f1a2'
down_revision = 'a1f7c3e9d248'
branch_labels = None
depends_on = None

VERIFIED_TABLES = ('directory_organizations', 'directory_services')


def _add_verified_by(table):
    # SQLite cannot ALTER a constraint in: the reference is written inline in its ADD COLUMN
    # (a batch copy would drop a table others point at).
    if op.get_bind().dialect.name == 'sqlite':
        op.execute(f'ALTER TABLE {table} ADD COLUMN last_verified_by_id INTEGER '
                   f'CONSTRAINT fk_{table}_last_verified_by_id_users REFERENCES users (id) ON DELETE SET NULL')
    else:
        op.add_column(table, sa.Column('last_verified_by_id', sa.Integer(), nullable=True))
        op.create_foreign_key(f'fk_{table}_last_verified_by_id_users', table, 'users',
                              ['last_verified_by_id'], ['id'], ondelete='SET NULL')


def upgrade():
    for table in VERIFIED_TABLES:
        op.add_column(table, sa.Column('last_verified_at', sa.DateTime(), nullable=True))
        op.create_index(op.f(f'ix_{table}_last_verified_at'), table, ['last_verified_at'], unique=False)
        _add_verified_by(table)
        op.add_column(table, sa.Column('last_verified_via', sa.String(length=16), nullable=True))


def downgrade():
    for table in VERIFIED_TABLES:
        op.drop_index(op.f(f'ix_{table}_last_verified_at'), table_name=table)
        if op.get_bind().dialect.name != 'sqlite':
            op.drop_constraint(f'fk_{table}_last_verified_by_id_users', table, type_='foreignkey')
        op.drop_column(table, 'last_verified_via')
        op.drop_column(table, 'last_verified_by_id')
        op.drop_column(table, 'last_verified_at')
