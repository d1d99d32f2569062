"""case files, barriers, action steps, placements, visits, settings

Revision ID: 97cdc2c839f3
Revises:
Create Date: 2026-11-23 15:32:48.737120
"""

import sqlalchemy as sa
from alembic import op

revision = '97cdc2c839f3'
down_revision = None
branch_labels = ('sae',)
depends_on = None


def upgrade():
    op.create_table('sae_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_number_format', sa.String(length=255), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sae_settings'))
    )
    op.create_table('sae_members',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('on_team', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('on_duty', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sae_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_sae_members'))
    )
    op.create_table('sae_case_files',
    sa.Column('file_number', sa.String(length=255), nullable=False),
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('assigned_user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=50), nullable=False),
    sa.Column('intake_date', sa.Date(), nullable=False),
    sa.Column('referral_source', sa.String(length=50), nullable=True),
    sa.Column('employment_goal', sa.String(length=255), nullable=True),
    sa.Column('closure_date', sa.Date(), nullable=True),
    sa.Column('outcome', sa.String(length=50), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['assigned_user_id'], ['users.id'], name=op.f('fk_sae_case_files_assigned_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_sae_case_files_client_id_clients'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sae_case_files_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_sae_case_files_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sae_case_files')),
    sa.UniqueConstraint('file_number', name=op.f('uq_sae_case_files_file_number'))
    )
    with op.batch_alter_table('sae_case_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sae_case_files_client_id'), ['client_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_case_files_closure_date'), ['closure_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_case_files_assigned_user_id'), ['assigned_user_id'], unique=False)
        batch_op.create_index('ix_sae_case_files_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_sae_case_files_intake_date'), ['intake_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_case_files_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_case_files_referral_source'), ['referral_source'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_case_files_status'), ['status'], unique=False)

    op.create_table('sae_visits',
    sa.Column('client_id', sa.Integer(), nullable=False),
    sa.Column('visited_at', sa.DateTime(), nullable=False),
    sa.Column('reason', sa.String(length=50), nullable=False),
    sa.Column('details', sa.Text(), nullable=True),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('postal_code', sa.String(length=255), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['client_id'], ['clients.id'], name=op.f('fk_sae_visits_client_id_clients'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sae_visits_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_sae_visits_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sae_visits'))
    )
    with op.batch_alter_table('sae_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sae_visits_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_sae_visits_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_sae_visits_reason'), ['reason'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_visits_visited_at'), ['visited_at'], unique=False)

    op.create_table('sae_action_steps',
    sa.Column('case_file_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=255), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=50), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['case_file_id'], ['sae_case_files.id'], name=op.f('fk_sae_action_steps_case_file_id_sae_case_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sae_action_steps_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_sae_action_steps_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sae_action_steps'))
    )
    with op.batch_alter_table('sae_action_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sae_action_steps_case_file_id'), ['case_file_id'], unique=False)
        batch_op.create_index('ix_sae_action_steps_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_sae_action_steps_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_action_steps_target_date'), ['target_date'], unique=False)

    op.create_table('sae_barriers',
    sa.Column('case_file_id', sa.Integer(), nullable=False),
    sa.Column('barrier', sa.String(length=50), nullable=False),
    sa.Column('details', sa.String(length=255), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['case_file_id'], ['sae_case_files.id'], name=op.f('fk_sae_barriers_case_file_id_sae_case_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sae_barriers_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_sae_barriers_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sae_barriers'))
    )
    with op.batch_alter_table('sae_barriers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sae_barriers_barrier'), ['barrier'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_barriers_case_file_id'), ['case_file_id'], unique=False)
        batch_op.create_index('ix_sae_barriers_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('sae_placements',
    sa.Column('case_file_id', sa.Integer(), nullable=False),
    sa.Column('employer_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=255), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('hours_per_week', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('hourly_wage', sa.Numeric(precision=12, scale=2), nullable=True),
    sa.Column('outcome', sa.String(length=50), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['case_file_id'], ['sae_case_files.id'], name=op.f('fk_sae_placements_case_file_id_sae_case_files'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_sae_placements_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['employer_id'], ['partners.id'], name=op.f('fk_sae_placements_employer_id_partners'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_sae_placements_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sae_placements'))
    )
    with op.batch_alter_table('sae_placements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sae_placements_case_file_id'), ['case_file_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_placements_employer_id'), ['employer_id'], unique=False)
        batch_op.create_index('ix_sae_placements_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_sae_placements_outcome'), ['outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_placements_start_date'), ['start_date'], unique=False)

    op.create_table('sae_follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['sae_placements.id'], name=op.f('fk_sae_follow_ups_placement_id_sae_placements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sae_follow_ups'))
    )
    with op.batch_alter_table('sae_follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sae_follow_ups_placement_id'), ['placement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sae_follow_ups_task_id'), ['task_id'], unique=False)



def downgrade():
    with op.batch_alter_table('sae_follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sae_follow_ups_task_id'))
        batch_op.drop_index(batch_op.f('ix_sae_follow_ups_placement_id'))

    op.drop_table('sae_follow_ups')
    with op.batch_alter_table('sae_placements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sae_placements_start_date'))
        batch_op.drop_index(batch_op.f('ix_sae_placements_outcome'))
        batch_op.drop_index('ix_sae_placements_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_sae_placements_employer_id'))
        batch_op.drop_index(batch_op.f('ix_sae_placements_case_file_id'))

    op.drop_table('sae_placements')
    with op.batch_alter_table('sae_barriers', schema=None) as batch_op:
        batch_op.drop_index('ix_sae_barriers_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_sae_barriers_case_file_id'))
        batch_op.drop_index(batch_op.f('ix_sae_barriers_barrier'))

    op.drop_table('sae_barriers')
    with op.batch_alter_table('sae_action_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sae_action_steps_target_date'))
        batch_op.drop_index(batch_op.f('ix_sae_action_steps_status'))
        batch_op.drop_index('ix_sae_action_steps_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_sae_action_steps_case_file_id'))

    op.drop_table('sae_action_steps')
    with op.batch_alter_table('sae_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sae_visits_visited_at'))
        batch_op.drop_index(batch_op.f('ix_sae_visits_reason'))
        batch_op.drop_index('ix_sae_visits_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_sae_visits_client_id'))

    op.drop_table('sae_visits')
    with op.batch_alter_table('sae_case_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sae_case_files_status'))
        batch_op.drop_index(batch_op.f('ix_sae_case_files_referral_source'))
        batch_op.drop_index(batch_op.f('ix_sae_case_files_outcome'))
        batch_op.drop_index(batch_op.f('ix_sae_case_files_intake_date'))
        batch_op.drop_index('ix_sae_case_files_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_sae_case_files_assigned_user_id'))
        batch_op.drop_index(batch_op.f('ix_sae_case_files_closure_date'))
        batch_op.drop_index(batch_op.f('ix_sae_case_files_client_id'))

    op.drop_table('sae_case_files')
    op.drop_table('sae_members')
    op.drop_table('sae_settings')
