"""the services of each type in name order: a search by type reads a page, not every name

Revision ID: e5b8c2d94f17
Revises: 7fb374f9348e
Create Date: 2026-11-23 19:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'e5b8c2d94f17'
down_revision = '7fb374f9348e'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cc_search_types',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('term_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['cc_services.id'], name=op.f('fk_cc_search_types_service_id_cc_services'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cc_search_types')),
    )
    with op.batch_alter_table('cc_search_types', schema=None) as batch_op:
        batch_op.create_index('ix_cc_search_types_order', ['term_id', 'name', 'service_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cc_search_types_service_id'), ['service_id'], unique=False)
    op.execute(
        "INSERT INTO cc_search_types (term_id, name, service_id) "
        "SELECT link.term_id, service.name, link.service_id FROM cc_service_taxonomy link "
        "JOIN cc_services service ON service.id = link.service_id WHERE service.deleted_at IS NULL"
    )


def downgrade():
    with op.batch_alter_table('cc_search_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cc_search_types_service_id'))
        batch_op.drop_index('ix_cc_search_types_order')
    op.drop_table('cc_search_types')
