"""The global search never fails on a module whose records are named by a function (a programme,
a service or a resource named in French and English)."""

import pytest

from kernel import records
from kernel.db import db
from kernel.registry import entities


@pytest.mark.parametrize("q", ["CV", "0", "'", "Emploi"])
def test_search_lists_programmes_named_in_both_languages(admin_client, admin, q):
    programme = entities().get("programme")
    records.create(programme, {"name_fr": "Emploi 0 CV'", "name_en": "Jobs 0 CV'"}, admin)
    db.session.commit()

    response = admin_client.get("/search", query_string={"q": q})

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Jobs 0 CV" in page or "Emploi 0 CV" in page
