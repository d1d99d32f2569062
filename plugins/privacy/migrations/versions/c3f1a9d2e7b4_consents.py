"""consents by purpose

Revision ID: c3f1a9d2e7b4
Revises: b674811d24cc
Create Date: 2026-12-04 11:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'c3f1a9d2e7b4'
down_revision = 'b674811d24cc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'privacy_consents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('entity', sa.String(length=50), nullable=False),
        sa.Column('record_id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=50), nullable=False),
        sa.Column('scope', sa.String(length=255), nullable=False),
        sa.Column('given', sa.Boolean(), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('expires_on', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_privacy_consents_recorded_by_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_privacy_consents')),
    )
    op.create_index('ix_privacy_consents_person', 'privacy_consents', ['entity', 'record_id', 'purpose', 'id'])
    op.create_index('ix_privacy_consents_purpose', 'privacy_consents', ['entity', 'purpose', 'record_id', 'id'])


def downgrade():
    op.drop_index('ix_privacy_consents_purpose', table_name='privacy_consents')
    op.drop_index('ix_privacy_consents_person', table_name='privacy_consents')
    op.drop_table('privacy_consents')
