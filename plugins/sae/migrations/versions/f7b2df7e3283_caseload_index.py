"""caseload index: a counsellor's case files by status

Revision ID: f7b2df7e3283
Revises: 97cdc2c839f3
Create Date: 2026-11-23 15:58:00.261028
"""

from alembic import op

revision = 'f7b2df7e3283'
down_revision = '97cdc2c839f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_sae_case_files_caseload', 'sae_case_files', ['assigned_user_id', 'status', 'deleted_at'])


def downgrade():
    op.drop_index('ix_sae_case_files_caseload', table_name='sae_case_files')
