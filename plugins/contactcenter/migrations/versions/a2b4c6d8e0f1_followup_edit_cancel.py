"""follow-ups: the reason of a cancelled one, their history, an index on the due date

Revision ID: a2b4c6d8e0f1
Revises: f1c3a5e7b9d2
Create Date: 2026-12-04 14:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'a2b4c6d8e0f1'
down_revision = 'f1c3a5e7b9d2'
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN: a batch copy on SQLite would rebuild the table others point at
    op.add_column('contactcenter_followups', sa.Column('cancel_reason', sa.Text(), nullable=True))
    op.create_index('ix_contactcenter_followups_due', 'contactcenter_followups', ['due_at'])
    op.create_table(
        'contactcenter_followup_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('followup_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('field', sa.String(length=20), nullable=True),
        sa.Column('old_value', sa.Text(), nullable=True),
        sa.Column('new_value', sa.Text(), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['followup_id'], ['contactcenter_followups.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_contactcenter_followup_changes_followup', 'contactcenter_followup_changes',
                    ['followup_id', 'changed_at'])


def downgrade():
    op.drop_table('contactcenter_followup_changes')
    op.drop_index('ix_contactcenter_followups_due', table_name='contactcenter_followups')
    op.drop_column('contactcenter_followups', 'cancel_reason')  # plain too (SQLite 3.35+), for the same reason
