"""Fixtures of the directory's tests."""

import pytest
from sqlalchemy import delete

from kernel.db import db
from plugins.directory.models import synonym_groups


@pytest.fixture
def no_synonym_groups(app):
    """For tests that set their own synonyms, or none: the starter groups that the migrations leave
    in a new database (seen by whichever test runs first) would widen every keyword."""
    db.session.execute(delete(synonym_groups))
    db.session.commit()
