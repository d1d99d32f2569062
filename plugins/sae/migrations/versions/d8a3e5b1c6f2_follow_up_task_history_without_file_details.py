"""follow-up tasks' history without the case file's details

c4e1f0a9b2d7 took the case file's number out of follow-up tasks' subjects and the placement's
start date out of their descriptions, but a task whose subject or description someone had edited
keeps the generated text in its history (the old value of that change), shown on the task page to
everyone who sees activities. Those generated values are replaced there as they were in the task
(the generic subject; no description); who changed what and when stays.

Revision ID: d8a3e5b1c6f2
Revises: c4e1f0a9b2d7
Create Date: 2026-12-05 11:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = 'd8a3e5b1c6f2'
down_revision = 'c4e1f0a9b2d7'
branch_labels = None
depends_on = None

# the texts the follow-ups used to generate (c4e1f0a9b2d7), English and French
GENERATED_SUBJECTS = {"en": "SAE follow-up at ", "fr": "Suivi SAE à "}
GENERIC_SUBJECTS = {"en": "Follow-up at {days} days", "fr": "Suivi à {days} jours"}
GENERATED_DESCRIPTIONS = ("Check in with the client about the placement that started on ",
                          "Faire le point avec le client sur le placement commencé le ")


def without_file_details(field, value, days):
    if not value:
        return value
    if field == "subject":
        language = next((code for code, start in GENERATED_SUBJECTS.items() if value.startswith(start)), None)
        return value if language is None else GENERIC_SUBJECTS[language].format(days=days)
    return None if value.startswith(GENERATED_DESCRIPTIONS) else value


def upgrade():
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("tasks"):
        return  # the activities plugin is not installed: no follow-up task was made
    rows = bind.execute(sa.text(
        "SELECT record_changes.id, record_changes.field, record_changes.old_value, record_changes.new_value, "
        "sae_follow_ups.days FROM record_changes "
        "JOIN sae_follow_ups ON sae_follow_ups.task_id = record_changes.record_id "
        "WHERE record_changes.entity = 'task' AND record_changes.field IN ('subject', 'description')")).all()
    for change_id, field, old_value, new_value, days in rows:
        old, new = without_file_details(field, old_value, days), without_file_details(field, new_value, days)
        if (old, new) != (old_value, new_value):
            bind.execute(sa.text("UPDATE record_changes SET old_value = :old, new_value = :new WHERE id = :id"),
                         {"old": old, "new": new, "id": change_id})


def downgrade():
    pass  # the details are in the case file and the placement; the old texts are not brought back
