"""follow-up tasks without the case file's details: generic subject, no placement date

Follow-up tasks used to carry the case file's number in their subject and the placement's start
date in their description, which everyone who sees activities could read. The generated texts of
existing tasks are replaced by the generic subject (texts someone rewrote are left alone); the
details now show in a panel of the task page for the SAE team.

Revision ID: c4e1f0a9b2d7
Revises: f7b2df7e3283
Create Date: 2026-12-05 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from kernel.toolkit import fold

revision = 'c4e1f0a9b2d7'
down_revision = 'f7b2df7e3283'
branch_labels = None
depends_on = None

GENERATED_SUBJECTS = {"en": "SAE follow-up at ", "fr": "Suivi SAE à "}
GENERIC_SUBJECTS = {"en": "Follow-up at {days} days", "fr": "Suivi à {days} jours"}
GENERATED_DESCRIPTIONS = ("Check in with the client about the placement that started on ",
                          "Faire le point avec le client sur le placement commencé le ")


def upgrade():
    bind = op.get_bind()
    if not sa.inspect(bind).has_table("tasks"):
        return  # the activities plugin is not installed: no follow-up task was made
    rows = bind.execute(sa.text(
        "SELECT tasks.id, tasks.subject, tasks.description, sae_follow_ups.days FROM tasks "
        "JOIN sae_follow_ups ON sae_follow_ups.task_id = tasks.id")).all()
    for task_id, subject, description, days in rows:
        language = next((code for code, start in GENERATED_SUBJECTS.items() if (subject or "").startswith(start)), None)
        if language is not None:
            subject = GENERIC_SUBJECTS[language].format(days=days)
        if description and description.startswith(GENERATED_DESCRIPTIONS):
            description = None
        bind.execute(sa.text("UPDATE tasks SET subject = :subject, description = :description, "
                             "search_text = :search_text WHERE id = :id"),
                     {"subject": subject, "description": description, "search_text": fold(subject or ""),
                      "id": task_id})


def downgrade():
    pass  # the details are in the case file and the placement; the old texts are not brought back
