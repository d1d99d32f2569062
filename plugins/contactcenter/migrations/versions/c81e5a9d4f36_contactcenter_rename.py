"""The plugin "helpline" (the contact centre) is now "contactcenter": its tables move from
``helpline_*`` to ``contactcenter_*`` with their rows, indexes, constraints and sequences, and the
users' dashboards name its dashlets by the new prefix. The version table ``alembic_version_helpline``
became ``alembic_version_contactcenter`` before this revision ran
(``kernel.migrate.adopt_renamed_version_tables``).

Revision ID: c81e5a9d4f36
Revises: a7c9e1b3d5f2
Create Date: 2026-12-04
"""

from alembic import op

from kernel.toolkit import rename_tables

revision = 'c81e5a9d4f36'
down_revision = 'a7c9e1b3d5f2'
branch_labels = None
depends_on = None

TABLES = [
    "lines", "profiles", "contacts", "needs", "referrals", "service_gaps", "note_templates", "surveys",
    "survey_questions", "survey_responses", "enrolments", "checklist", "agent_lines",
]


def upgrade():
    rename_tables({f"helpline_{name}": f"contactcenter_{name}" for name in TABLES},
                  prefixes=(("helpline_", "contactcenter_"), ("cc_", "directory_")))
    _rename_dashlets('"helpline:', '"contactcenter:')


def downgrade():
    _rename_dashlets('"contactcenter:', '"helpline:')
    rename_tables({f"contactcenter_{name}": f"helpline_{name}" for name in TABLES},
                  prefixes=(("contactcenter_", "helpline_"), ("directory_", "cc_")))


def _rename_dashlets(old: str, new: str) -> None:
    as_text = "CAST(dashlets AS TEXT)"
    value = f"REPLACE({as_text}, '{old}', '{new}')"
    if op.get_bind().dialect.name == "postgresql":
        value = f"CAST({value} AS JSON)"
    op.execute(f"UPDATE dashboard_layouts SET dashlets = {value} WHERE {as_text} LIKE '%{old}%'")
