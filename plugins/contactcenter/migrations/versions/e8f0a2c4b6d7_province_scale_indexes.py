"""province scale (issue 18): the creation date of needs and referrals, the period of the monthly
standard reports (a month of five million contacts without reading them all); an agent's contacts
newest first ("My contacts": a page and its count from the index)

Revision ID: e8f0a2c4b6d7
Revises: b5d7f9a1c3e2
Create Date: 2026-12-04 15:10:00
"""

from alembic import op

revision = 'e8f0a2c4b6d7'
down_revision = 'b5d7f9a1c3e2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_contactcenter_contacts_agent_started', 'contactcenter_contacts',
                    ['assigned_user_id', 'started_at', 'id'])
    op.create_index('ix_contactcenter_needs_created', 'contactcenter_needs', ['created_at'])
    op.create_index('ix_contactcenter_referrals_created', 'contactcenter_referrals', ['created_at'])


def downgrade():
    op.drop_index('ix_contactcenter_referrals_created', table_name='contactcenter_referrals')
    op.drop_index('ix_contactcenter_needs_created', table_name='contactcenter_needs')
    op.drop_index('ix_contactcenter_contacts_agent_started', table_name='contactcenter_contacts')
