"""Searching through the Resources screen and reading the names of the results in order."""

import re

from tests.directory.package import load_sample


def names_in(page: str) -> list[str]:
    return re.findall(r'<h2><a href="/resources/\d+/full">([^<]+)</a></h2>', page)


def search(client, **criteria) -> str:
    response = client.get("/resources/search", query_string=criteria)
    assert response.status_code == 200, response.data[:300]
    return response.get_data(as_text=True)


def sample_client(app, tmp_path, client):
    load_sample(app, tmp_path)
    return client
