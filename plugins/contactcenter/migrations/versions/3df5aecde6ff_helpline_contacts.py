"""helpline: contacts, profiles, needs, referrals, service gaps, surveys, enrolments

Revision ID: 3df5aecde6ff
Revises:
Create Date: 2026-11-23 15:29:55.984450
"""

import sqlalchemy as sa
from alembic import op

# The directory's tables are named as they are now (directory_*, once cc_*): the directory's branch,
# which runs first, renames them before this revision runs on a new database.
revision = '3df5aecde6ff'
down_revision = None
branch_labels = ('helpline',)
depends_on = None


def upgrade():
    op.create_table('helpline_checklist',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('require_tags', sa.Boolean(), nullable=False),
    sa.Column('required_demographics', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_checklist'))
    )
    op.create_table('helpline_lines',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_fr', sa.String(length=255), nullable=True),
    sa.Column('code', sa.String(length=255), nullable=False),
    sa.Column('default_channel', sa.String(length=50), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_lines_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_lines_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_lines')),
    sa.UniqueConstraint('code', name=op.f('uq_helpline_lines_code'))
    )
    with op.batch_alter_table('helpline_lines', schema=None) as batch_op:
        batch_op.create_index('ix_helpline_lines_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('helpline_note_templates',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_note_templates_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_note_templates_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_note_templates'))
    )
    with op.batch_alter_table('helpline_note_templates', schema=None) as batch_op:
        batch_op.create_index('ix_helpline_note_templates_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('helpline_profiles',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('phone', sa.String(length=50), nullable=True),
    sa.Column('email', sa.String(length=255), nullable=True),
    sa.Column('address', sa.String(length=255), nullable=True),
    sa.Column('postal_code', sa.String(length=255), nullable=True),
    sa.Column('preferred_language', sa.String(length=50), nullable=True),
    sa.Column('phone_digits', sa.String(length=50), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_profiles_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_profiles_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_profiles'))
    )
    with op.batch_alter_table('helpline_profiles', schema=None) as batch_op:
        batch_op.create_index('ix_helpline_profiles_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_helpline_profiles_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_profiles_phone_digits'), ['phone_digits'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_profiles_postal_code'), ['postal_code'], unique=False)

    op.create_table('helpline_surveys',
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('name_fr', sa.String(length=255), nullable=True),
    sa.Column('required_to_close', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_surveys_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_surveys_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_surveys'))
    )
    with op.batch_alter_table('helpline_surveys', schema=None) as batch_op:
        batch_op.create_index('ix_helpline_surveys_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('helpline_agent_lines',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['line_id'], ['helpline_lines.id'], name=op.f('fk_helpline_agent_lines_line_id_helpline_lines'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_helpline_agent_lines_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'line_id', name=op.f('pk_helpline_agent_lines'))
    )
    with op.batch_alter_table('helpline_agent_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helpline_agent_lines_line_id'), ['line_id'], unique=False)

    op.create_table('helpline_contacts',
    sa.Column('channel', sa.String(length=50), nullable=False),
    sa.Column('line_id', sa.Integer(), nullable=True),
    sa.Column('caller_number', sa.String(length=50), nullable=True),
    sa.Column('call_id', sa.String(length=255), nullable=True),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('status', sa.String(length=50), nullable=False),
    sa.Column('requester_served', sa.String(length=50), nullable=True),
    sa.Column('service_delivery', sa.String(length=50), nullable=True),
    sa.Column('tags', sa.String(length=255), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('incomplete_reason', sa.Text(), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.Column('assigned_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_helpline_contacts_approved_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['assigned_user_id'], ['users.id'], name=op.f('fk_helpline_contacts_assigned_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_contacts_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['line_id'], ['helpline_lines.id'], name=op.f('fk_helpline_contacts_line_id_helpline_lines'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['helpline_profiles.id'], name=op.f('fk_helpline_contacts_profile_id_helpline_profiles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_contacts_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_contacts'))
    )
    with op.batch_alter_table('helpline_contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helpline_contacts_approved_by_id'), ['approved_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_contacts_assigned_user_id'), ['assigned_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_contacts_call_id'), ['call_id'], unique=False)
        batch_op.create_index('ix_helpline_contacts_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_helpline_contacts_line_id'), ['line_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_contacts_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index('ix_helpline_contacts_profile_started', ['profile_id', 'started_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_contacts_started_at'), ['started_at'], unique=False)
        batch_op.create_index('ix_helpline_contacts_status_line', ['status', 'line_id'], unique=False)

    op.create_table('helpline_survey_questions',
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=False),
    sa.Column('label_fr', sa.String(length=255), nullable=True),
    sa.Column('kind', sa.String(length=50), nullable=False),
    sa.Column('options', sa.String(length=255), nullable=True),
    sa.Column('required', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_survey_questions_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['helpline_surveys.id'], name=op.f('fk_helpline_survey_questions_survey_id_helpline_surveys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_survey_questions_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_survey_questions'))
    )
    with op.batch_alter_table('helpline_survey_questions', schema=None) as batch_op:
        batch_op.create_index('ix_helpline_survey_questions_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_helpline_survey_questions_survey_id'), ['survey_id'], unique=False)

    op.create_table('helpline_enrolments',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('enrolled_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['helpline_contacts.id'], name=op.f('fk_helpline_enrolments_contact_id_helpline_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_enrolments_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['helpline_profiles.id'], name=op.f('fk_helpline_enrolments_profile_id_helpline_profiles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_enrolments_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_enrolments'))
    )
    with op.batch_alter_table('helpline_enrolments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helpline_enrolments_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_helpline_enrolments_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_helpline_enrolments_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_enrolments_programme_id'), ['programme_id'], unique=False)

    op.create_table('helpline_needs',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('is_primary', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['helpline_contacts.id'], name=op.f('fk_helpline_needs_contact_id_helpline_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_needs_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['term_id'], ['directory_taxonomy_terms.id'], name=op.f('fk_helpline_needs_term_id_directory_taxonomy_terms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_needs_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_needs'))
    )
    with op.batch_alter_table('helpline_needs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helpline_needs_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_helpline_needs_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_helpline_needs_term_id'), ['term_id'], unique=False)

    op.create_table('helpline_referrals',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=True),
    sa.Column('email_message_id', sa.Integer(), nullable=True),
    sa.Column('sms_message_id', sa.Integer(), nullable=True),
    sa.Column('link_token', sa.String(length=64), nullable=True),
    sa.Column('link_expires_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['helpline_contacts.id'], name=op.f('fk_helpline_referrals_contact_id_helpline_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_referrals_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['email_message_id'], ['outbox_messages.id'], name=op.f('fk_helpline_referrals_email_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['profile_id'], ['helpline_profiles.id'], name=op.f('fk_helpline_referrals_profile_id_helpline_profiles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resource_id'], ['directory_services.id'], name=op.f('fk_helpline_referrals_resource_id_directory_services'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sms_message_id'], ['outbox_messages.id'], name=op.f('fk_helpline_referrals_sms_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_referrals_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_referrals')),
    sa.UniqueConstraint('link_token', name=op.f('uq_helpline_referrals_link_token'))
    )
    with op.batch_alter_table('helpline_referrals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helpline_referrals_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_helpline_referrals_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_helpline_referrals_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_referrals_resource_id'), ['resource_id'], unique=False)

    op.create_table('helpline_service_gaps',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('term_id', sa.Integer(), nullable=False),
    sa.Column('postal_code', sa.String(length=255), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['helpline_contacts.id'], name=op.f('fk_helpline_service_gaps_contact_id_helpline_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_service_gaps_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['term_id'], ['directory_taxonomy_terms.id'], name=op.f('fk_helpline_service_gaps_term_id_directory_taxonomy_terms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_service_gaps_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_service_gaps'))
    )
    with op.batch_alter_table('helpline_service_gaps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helpline_service_gaps_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_helpline_service_gaps_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_helpline_service_gaps_postal_code'), ['postal_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_helpline_service_gaps_term_id'), ['term_id'], unique=False)

    op.create_table('helpline_survey_responses',
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('complete', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('custom', sa.JSON(), server_default=sa.text("'{}'"), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['helpline_contacts.id'], name=op.f('fk_helpline_survey_responses_contact_id_helpline_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_helpline_survey_responses_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['helpline_surveys.id'], name=op.f('fk_helpline_survey_responses_survey_id_helpline_surveys'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_helpline_survey_responses_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_helpline_survey_responses'))
    )
    with op.batch_alter_table('helpline_survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_helpline_survey_responses_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_helpline_survey_responses_contact_survey', ['contact_id', 'survey_id'], unique=False)
        batch_op.create_index('ix_helpline_survey_responses_in_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.create_index(batch_op.f('ix_helpline_survey_responses_survey_id'), ['survey_id'], unique=False)



def downgrade():
    with op.batch_alter_table('helpline_survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpline_survey_responses_survey_id'))
        batch_op.drop_index('ix_helpline_survey_responses_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index('ix_helpline_survey_responses_contact_survey')
        batch_op.drop_index(batch_op.f('ix_helpline_survey_responses_contact_id'))

    op.drop_table('helpline_survey_responses')
    with op.batch_alter_table('helpline_service_gaps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpline_service_gaps_term_id'))
        batch_op.drop_index(batch_op.f('ix_helpline_service_gaps_postal_code'))
        batch_op.drop_index('ix_helpline_service_gaps_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_helpline_service_gaps_contact_id'))

    op.drop_table('helpline_service_gaps')
    with op.batch_alter_table('helpline_referrals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpline_referrals_resource_id'))
        batch_op.drop_index(batch_op.f('ix_helpline_referrals_profile_id'))
        batch_op.drop_index('ix_helpline_referrals_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_helpline_referrals_contact_id'))

    op.drop_table('helpline_referrals')
    with op.batch_alter_table('helpline_needs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpline_needs_term_id'))
        batch_op.drop_index('ix_helpline_needs_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_helpline_needs_contact_id'))

    op.drop_table('helpline_needs')
    with op.batch_alter_table('helpline_enrolments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpline_enrolments_programme_id'))
        batch_op.drop_index(batch_op.f('ix_helpline_enrolments_profile_id'))
        batch_op.drop_index('ix_helpline_enrolments_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_helpline_enrolments_contact_id'))

    op.drop_table('helpline_enrolments')
    with op.batch_alter_table('helpline_survey_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpline_survey_questions_survey_id'))
        batch_op.drop_index('ix_helpline_survey_questions_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.drop_table('helpline_survey_questions')
    with op.batch_alter_table('helpline_contacts', schema=None) as batch_op:
        batch_op.drop_index('ix_helpline_contacts_status_line')
        batch_op.drop_index(batch_op.f('ix_helpline_contacts_started_at'))
        batch_op.drop_index('ix_helpline_contacts_profile_started')
        batch_op.drop_index(batch_op.f('ix_helpline_contacts_profile_id'))
        batch_op.drop_index(batch_op.f('ix_helpline_contacts_line_id'))
        batch_op.drop_index('ix_helpline_contacts_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_helpline_contacts_call_id'))
        batch_op.drop_index(batch_op.f('ix_helpline_contacts_assigned_user_id'))
        batch_op.drop_index(batch_op.f('ix_helpline_contacts_approved_by_id'))

    op.drop_table('helpline_contacts')
    with op.batch_alter_table('helpline_agent_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpline_agent_lines_line_id'))

    op.drop_table('helpline_agent_lines')
    with op.batch_alter_table('helpline_surveys', schema=None) as batch_op:
        batch_op.drop_index('ix_helpline_surveys_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.drop_table('helpline_surveys')
    with op.batch_alter_table('helpline_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_helpline_profiles_postal_code'))
        batch_op.drop_index(batch_op.f('ix_helpline_profiles_phone_digits'))
        batch_op.drop_index(batch_op.f('ix_helpline_profiles_name'))
        batch_op.drop_index('ix_helpline_profiles_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.drop_table('helpline_profiles')
    with op.batch_alter_table('helpline_note_templates', schema=None) as batch_op:
        batch_op.drop_index('ix_helpline_note_templates_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.drop_table('helpline_note_templates')
    with op.batch_alter_table('helpline_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_helpline_lines_in_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.drop_table('helpline_lines')
    op.drop_table('helpline_checklist')
