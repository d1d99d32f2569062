"""partner accounts (issue 20): a user account linked to one directory agency sees only the warm
referrals sent to that agency

Revision ID: f9b1d3e5a7c9
Revises: e8f0a2c4b6d7
Create Date: 2026-12-04 20:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'f9b1d3e5a7c9'
down_revision = 'e8f0a2c4b6d7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contactcenter_partner_accounts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'), nullable=False,
                  unique=True),
        sa.Column('agency_id', sa.Integer(), sa.ForeignKey('directory_organizations.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
    )
    op.create_index('ix_contactcenter_partner_accounts_agency', 'contactcenter_partner_accounts', ['agency_id'])
    op.create_index('ix_contactcenter_warm_referrals_agency_sent', 'contactcenter_warm_referrals',
                    ['agency_id', 'sent_at'])


def downgrade():
    op.drop_index('ix_contactcenter_warm_referrals_agency_sent', table_name='contactcenter_warm_referrals')
    op.drop_index('ix_contactcenter_partner_accounts_agency', table_name='contactcenter_partner_accounts')
    op.drop_table('contactcenter_partner_accounts')
