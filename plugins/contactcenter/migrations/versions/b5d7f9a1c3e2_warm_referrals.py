"""warm referrals sent to partner organisations (status, decline reason, outcome) and their history

Revision ID: b5d7f9a1c3e2
Revises: a2b4c6d8e0f1
Create Date: 2026-12-04 14:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'b5d7f9a1c3e2'
down_revision = 'a2b4c6d8e0f1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contactcenter_warm_referrals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('agency_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('language', sa.String(length=8), nullable=False),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('decline_reason', sa.String(length=20), nullable=True),
        sa.Column('decline_note', sa.Text(), nullable=True),
        sa.Column('outcome', sa.String(length=20), nullable=True),
        sa.Column('outcome_note', sa.Text(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.Column('opened_at', sa.DateTime(), nullable=True),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('outcome_at', sa.DateTime(), nullable=True),
        sa.Column('link_id', sa.Integer(), nullable=True),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['referral_id'], ['contactcenter_referrals.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['contact_id'], ['contactcenter_contacts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['agency_id'], ['directory_organizations.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('referral_id'),
    )
    op.create_index('ix_contactcenter_warm_referrals_status_sent', 'contactcenter_warm_referrals',
                    ['status', 'sent_at'])
    op.create_index('ix_contactcenter_warm_referrals_sent', 'contactcenter_warm_referrals', ['sent_at'])
    op.create_index('ix_contactcenter_warm_referrals_contact', 'contactcenter_warm_referrals', ['contact_id'])
    op.create_table(
        'contactcenter_warm_referral_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('warm_referral_id', sa.Integer(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('detail', sa.Text(), nullable=True),
        sa.Column('by_user_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['warm_referral_id'], ['contactcenter_warm_referrals.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_contactcenter_warm_referral_events_warm', 'contactcenter_warm_referral_events',
                    ['warm_referral_id', 'at'])


def downgrade():
    op.drop_index('ix_contactcenter_warm_referral_events_warm', table_name='contactcenter_warm_referral_events')
    op.drop_table('contactcenter_warm_referral_events')
    op.drop_index('ix_contactcenter_warm_referrals_contact', table_name='contactcenter_warm_referrals')
    op.drop_index('ix_contactcenter_warm_referrals_sent', table_name='contactcenter_warm_referrals')
    op.drop_index('ix_contactcenter_warm_referrals_status_sent', table_name='contactcenter_warm_referrals')
    op.drop_table('contactcenter_warm_referrals')
