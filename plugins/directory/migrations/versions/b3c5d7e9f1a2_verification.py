"""a directory that stays current: when each agency and resource was last verified and by whom;
the verification requests e-mailed to agencies, the changes they propose, agents' "wrong" reports

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


def upgrade():
    for table in VERIFIED_TABLES:
        op.add_column(table, sa.Column('last_verified_at', sa.DateTime(), nullable=True))
        op.create_index(op.f(f'ix_{table}_last_verified_at'), table, ['last_verified_at'], unique=False)
        # No foreign key to users: SQLite's ADD COLUMN cannot carry one that Alembic compares.
        op.add_column(table, sa.Column('last_verified_by_id', sa.Integer(), nullable=True))
        op.create_index(op.f(f'ix_{table}_last_verified_by_id'), table, ['last_verified_by_id'], unique=False)
        op.add_column(table, sa.Column('last_verified_via', sa.String(length=16), nullable=True))
    _create_requests()
    _create_proposals()
    _create_wrong_reports()


def _create_requests():
    op.create_table(
        'directory_verification_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('reminders_sent', sa.Integer(), nullable=False),
        sa.Column('last_reminder_at', sa.DateTime(), nullable=True),
        sa.Column('opened_at', sa.DateTime(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.ForeignKeyConstraint(['organization_id'], ['directory_organizations.id'], ondelete='CASCADE',
                                name=op.f('fk_directory_verification_requests_organization_id_directory_organizations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_directory_verification_requests')),
    )
    table = 'directory_verification_requests'
    op.create_index('ix_directory_verification_requests_due', table, ['answered_at', 'sent_at'], unique=False)
    op.create_index(op.f(f'ix_{table}_organization_id'), table, ['organization_id'], unique=False)
    op.create_index(op.f(f'ix_{table}_sent_at'), table, ['sent_at'], unique=False)


def _create_proposals():
    table = 'directory_verification_proposals'
    op.create_table(
        table,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('request_id', sa.Integer(), nullable=True),
        sa.Column('organization_id', sa.Integer(), nullable=False),
        sa.Column('entity', sa.String(length=32), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('decisions', sa.JSON(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(), nullable=True),
        sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['request_id'], ['directory_verification_requests.id'], ondelete='SET NULL',
                                name=op.f(f'fk_{table}_request_id_directory_verification_requests')),
        sa.ForeignKeyConstraint(['organization_id'], ['directory_organizations.id'], ondelete='CASCADE',
                                name=op.f(f'fk_{table}_organization_id_directory_organizations')),
        sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f(f'fk_{table}_reviewed_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    )
    op.create_index('ix_directory_verification_proposals_status', table, ['status', 'created_at'], unique=False)
    for column in ('request_id', 'organization_id', 'reviewed_by_id'):
        op.create_index(op.f(f'ix_{table}_{column}'), table, [column], unique=False)


def _create_wrong_reports():
    table = 'directory_wrong_reports'
    op.create_table(
        table,
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=32), nullable=False),
        sa.Column('details', sa.Text(), nullable=True),
        sa.Column('reported_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.Column('resolution_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['service_id'], ['directory_services.id'], ondelete='CASCADE',
                                name=op.f(f'fk_{table}_service_id_directory_services')),
        sa.ForeignKeyConstraint(['reported_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f(f'fk_{table}_reported_by_id_users')),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], ondelete='SET NULL',
                                name=op.f(f'fk_{table}_resolved_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f(f'pk_{table}')),
    )
    op.create_index('ix_directory_wrong_reports_status', table, ['status', 'created_at'], unique=False)
    for column in ('service_id', 'reported_by_id', 'resolved_by_id'):
        op.create_index(op.f(f'ix_{table}_{column}'), table, [column], unique=False)


def downgrade():
    op.drop_table('directory_wrong_reports')
    op.drop_table('directory_verification_proposals')
    op.drop_table('directory_verification_requests')
    for table in VERIFIED_TABLES:
        op.drop_index(op.f(f'ix_{table}_last_verified_at'), table_name=table)
        op.drop_index(op.f(f'ix_{table}_last_verified_by_id'), table_name=table)
        op.drop_column(table, 'last_verified_via')
        op.drop_column(table, 'last_verified_by_id')
        op.drop_column(table, 'last_verified_at')
