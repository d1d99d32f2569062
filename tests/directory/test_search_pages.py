"""Pages of results: relevance tiers continue from one page to the next, a place search sorted
by relevance keeps the name matches first, and resources in the trash are never found."""

import re

import pytest

from plugins.directory import search as search_module
from plugins.directory import views
from tests.directory.helpers import names_in, sample_client, search
from tests.directory.package import FOOD_NEWS, service_id_of

pytestmark = pytest.mark.usefixtures("no_synonym_groups")  # the tiers of the words as typed


def count_in(page: str) -> int:
    return int(re.search(r'<p class="result-count">(\d+) resources? found', page).group(1))


@pytest.fixture
def one_per_page(monkeypatch):
    monkeypatch.setattr(search_module, "PAGE_SIZE", 1)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)


def test_pages_follow_the_relevance_tiers(app, tmp_path, staff_client, one_per_page):
    client = sample_client(app, tmp_path, staff_client)
    pages = [search(client, q="logement", page=number) for number in (1, 2, 3, 4)]
    assert [names_in(page) for page in pages[:3]] in (
        [["Social housing"], ["Housing help"], ["Community kitchen"]],
        [["Housing help"], ["Social housing"], ["Community kitchen"]],
    )
    assert names_in(pages[3]) == []
    assert {count_in(page) for page in pages} == {3}
    assert "Next page" in pages[1] and "Next page" not in pages[2]


def test_near_a_place_by_relevance_or_by_distance(app, tmp_path, staff_client):
    client = sample_client(app, tmp_path, staff_client)
    by_relevance = names_in(search(client, q="logement", postal_code="K1P 1J1", sort="relevance"))
    assert by_relevance == ["Social housing", "Housing help", "Community kitchen"]  # names first, then nearest
    by_distance = names_in(search(client, q="logement", postal_code="K1P 1J1", sort="distance"))
    assert by_distance[:2] in (["Social housing", "Community kitchen"], ["Community kitchen", "Social housing"])
    assert by_distance[2] == "Housing help"


def test_a_resource_in_the_trash_is_not_found(app, tmp_path, admin_client):
    client = sample_client(app, tmp_path, admin_client)
    record_id = service_id_of(FOOD_NEWS)
    assert client.post(f"/resources/{record_id}/delete", data={"version": "1"}).status_code == 302
    page = search(client, q="logement")
    assert "Community kitchen" not in names_in(page)
    assert count_in(page) == 2
    near = search(client, postal_code="K1P 1J1", radius=10)
    assert names_in(near) == ["Social housing"] and count_in(near) == 1
    assert "BD-1800.2000" not in near.split('id="resource-results"')[1]  # no facet for the type it alone had there
    assert "Community kitchen" not in names_in(search(client, type="BD-1800"))


@pytest.fixture
def count_cap_of_two(monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", 2)


def test_counts_stop_at_the_cap_unless_asked_exactly(app, tmp_path, staff_client, count_cap_of_two, one_per_page):
    client = sample_client(app, tmp_path, staff_client)
    capped = search(client, q="logement")
    assert "More than 2 resources found" in capped and "Count them exactly" in capped
    assert "Counted among the first 2 resources found." in capped
    assert re.findall(r'<span class="count">(\d+)\+</span>', capped)  # type counts are "at least"
    assert all(int(number) <= 2 for number in re.findall(r'<span class="count">(\d+)\+</span>', capped))
    assert "Next page" in capped  # beyond the cap, a full page has a next one
    assert "Next page" in search(client, q="logement", page=2)
    assert "Next page" not in search(client, q="logement", page=4)  # the first page found empty
    assert "Next page" not in search(client, q="logement", page=3, count="exact")
    exact = search(client, q="logement", count="exact")
    assert count_in(exact) == 3 and "More than" not in exact
    assert "Counted among" not in exact and not re.findall(r'<span class="count">\d+\+</span>', exact)


def test_under_the_cap_the_counts_are_exact(app, tmp_path, staff_client, count_cap_of_two):
    client = sample_client(app, tmp_path, staff_client)
    near = search(client, postal_code="K1P 1J1", radius=10)
    assert count_in(near) == 2 and "More than" not in near and "Count them exactly" not in near  # at the cap


def test_french_capped_counts(app, tmp_path, staff_client, count_cap_of_two, make_user, login_as):
    sample_client(app, tmp_path, staff_client)
    page = search(login_as(make_user("staff", language="fr")), q="logement")
    assert "Plus de 2 ressources trouvées" in page and "Les compter exactement" in page
    assert "Comptés parmi les 2 premières ressources trouvées." in page


def test_a_radius_search_pages_and_counts_in_one_go(app, tmp_path, staff_client, count_cap_of_two, one_per_page):
    client = sample_client(app, tmp_path, staff_client)
    pages = [search(client, postal_code="H2X", radius=25, page=number) for number in (1, 2, 3)]
    names = [names_in(page) for page in pages]
    assert sorted(name for page_names in names for name in page_names) == ["Emergency shelter", "Food bank",
                                                                         "Housing help"]
    assert all("More than 2 resources found" in page for page in pages)
    assert re.findall(r'<span class="count">(\d+)\+</span>', pages[0])  # type counts among the first two
    exact = search(client, postal_code="H2X", radius=25, count="exact")
    assert count_in(exact) == 3 and "More than" not in exact


def test_the_cards_are_read_by_one_statement_built_once(app, tmp_path, staff_client, monkeypatch):
    """Issue 18: the result cards' reads (services, agencies, places, phones, hours, capacities)
    are built once with the page's ids as parameters: another search uses the very same statement
    (SQLAlchemy finds it compiled) and shows its own cards."""
    from kernel import onepass
    from kernel.onepass import OnePass

    client = sample_client(app, tmp_path, staff_client)
    monkeypatch.setattr(onepass, "_PREPARED", {})  # not emptied between the two searches when full
    built = []
    statement_of = OnePass._statement
    monkeypatch.setattr(OnePass, "_statement", lambda self, postgresql, base=None, prepared=None: built.append(
        ("services" in self._rows, self._all_prepared, statement_of(self, postgresql, base, prepared))) or built[-1][2])
    housing, kitchen = search(client, q="logement"), search(client, q="kitchen")
    cards = [(prepared, statement) for is_cards, prepared, statement in built if is_cards]
    assert len(cards) == 2 and all(prepared for prepared, _statement in cards)
    assert cards[0][1] is cards[1][1]
    assert {"Social housing", "Housing help", "Community kitchen"} <= set(names_in(housing))
    assert names_in(kitchen) == ["Community kitchen"]
