"""text contacts: the conversation's messages (SMS in and out), and the contacts' channel indexed

Revision ID: e4b7c2d9a1f0
Revises: c81e5a9d4f36
Create Date: 2026-12-04 12:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'e4b7c2d9a1f0'
down_revision = 'c81e5a9d4f36'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'contactcenter_text_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('contact_id', sa.Integer(), nullable=False),
        sa.Column('direction', sa.String(length=3), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('phone_key', sa.String(length=50), nullable=True),
        sa.Column('gateway_id', sa.String(length=64), nullable=True),
        sa.Column('outbox_message_id', sa.Integer(), nullable=True),
        sa.Column('sent_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['contact_id'], ['contactcenter_contacts.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['outbox_message_id'], ['outbox_messages.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('gateway_id'),
    )
    op.create_index('ix_contactcenter_text_messages_contact_at', 'contactcenter_text_messages', ['contact_id', 'at'])
    op.create_index('ix_contactcenter_text_messages_phone_at', 'contactcenter_text_messages', ['phone_key', 'at'])
    op.create_index('ix_contactcenter_contacts_channel', 'contactcenter_contacts', ['channel'])


def downgrade():
    op.drop_index('ix_contactcenter_contacts_channel', table_name='contactcenter_contacts')
    op.drop_index('ix_contactcenter_text_messages_phone_at', table_name='contactcenter_text_messages')
    op.drop_index('ix_contactcenter_text_messages_contact_at', table_name='contactcenter_text_messages')
    op.drop_table('contactcenter_text_messages')
