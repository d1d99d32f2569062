"""finer places for distances (communities, located postal codes) and starter synonym groups

Revision ID: b2d4f6a8c0e1
Revises: e5b8c2d94f17
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'b2d4f6a8c0e1'
down_revision = 'e5b8c2d94f17'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cc_communities',
        sa.Column('folded_name', sa.String(length=255), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=False),
        sa.Column('longitude', sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint('folded_name', name=op.f('pk_cc_communities')),
    )
    with op.batch_alter_table('cc_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cc_locations_postal_code'), ['postal_code'], unique=False)
    from plugins.directory.starter_synonyms import load_starter_synonyms  # the plugin was "contactcenter"

    load_starter_synonyms(op.get_bind(), "cc_synonym_groups")


def downgrade():
    with op.batch_alter_table('cc_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cc_locations_postal_code'))
    op.drop_table('cc_communities')
