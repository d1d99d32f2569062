"""privacy plugin: the start of its migration branch

Revision ID: 0a1b2c3d4e5f
Revises:
Create Date: 2026-12-04 10:50:00
"""

revision = '0a1b2c3d4e5f'
down_revision = None
branch_labels = ('privacy',)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
