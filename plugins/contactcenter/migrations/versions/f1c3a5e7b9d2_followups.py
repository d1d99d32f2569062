"""follow-ups of contacts and the outcome of each referral

Revision ID: f1c3a5e7b9d2
Revises: e4b7c2d9a1f0
Create Date: 2026-12-04 12:30:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'f1c3a5e7b9d2'
down_revision = 'e4b7c2d9a1f0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contactcenter_followups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('assignee_id', sa.Integer(), nullable=True),
        sa.Column('due_at', sa.DateTime(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('consent_to_contact', sa.Boolean(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['contact_id'], ['contactcenter_contacts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['assignee_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_contactcenter_followups_status_due', 'contactcenter_followups', ['status', 'due_at'])
    op.create_index('ix_contactcenter_followups_assignee_status_due', 'contactcenter_followups',
                    ['assignee_id', 'status', 'due_at'])
    op.create_index('ix_contactcenter_followups_contact', 'contactcenter_followups', ['contact_id'])
    op.create_table(
        'contactcenter_followup_outcomes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('followup_id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=True),
        sa.Column('reached', sa.Boolean(), nullable=False),
        sa.Column('contacted_service', sa.Boolean(), nullable=True),
        sa.Column('got_help', sa.Boolean(), nullable=True),
        sa.Column('why_not', sa.String(length=20), nullable=True),
        sa.Column('new_need_term_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['followup_id'], ['contactcenter_followups.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['referral_id'], ['contactcenter_referrals.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['new_need_term_id'], ['directory_taxonomy_terms.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_contactcenter_followup_outcomes_followup', 'contactcenter_followup_outcomes', ['followup_id'])
    op.create_index('ix_contactcenter_followup_outcomes_referral', 'contactcenter_followup_outcomes', ['referral_id'])
    op.create_index('ix_contactcenter_followup_outcomes_recorded', 'contactcenter_followup_outcomes', ['recorded_at'])


def downgrade():
    op.drop_table('contactcenter_followup_outcomes')
    op.drop_table('contactcenter_followups')
