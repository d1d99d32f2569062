"""Issue 18, province-scale directory: a common keyword's first page is looked for among the
newest services first (PostgreSQL); the results are those of a search among all of them."""

import pytest

from plugins.directory import search as directory_search
from tests.directory.helpers import names_in, sample_client, search

QUERIES = ["logement", "food", "hébergement d'urgence", "kitchen"]


@pytest.mark.parametrize("window", [0, 1, 2, 3, 1_000_000])
def test_the_newest_services_first_give_the_same_results(app, tmp_path, staff_client, monkeypatch, window):
    client = sample_client(app, tmp_path, staff_client)
    expected = {q: names_in(search(client, q=q)) for q in QUERIES}
    assert any(len(names) > 1 for names in expected.values())
    monkeypatch.setattr(directory_search, "RECENT_SERVICES", window)
    monkeypatch.setattr(directory_search, "PAGE_SIZE", 1)
    for q, names in expected.items():
        pages = [names_in(search(client, q=q, page=page)) for page in range(1, len(names) + 1)]
        assert [page[0] for page in pages if page] == names, q
