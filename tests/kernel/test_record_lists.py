"""List views: quick search ignoring case and accents, sorting, pagination, My items."""

from kernel import records
from kernel.db import db
from kernel.registry import entities


def _add_clients(user, names):
    entity = entities().get("client")
    for first, last in names:
        records.create(entity, {"first_name": first, "last_name": last}, user)
    db.session.commit()


def test_quick_search_ignores_case_and_accents(staff_client, staff):
    _add_clients(staff, [("Émile", "Noël"), ("Zoé", "Côté"), ("John", "Smith")])
    page = staff_client.get("/clients/?q=emile").get_data(as_text=True)
    assert "Émile Noël" in page and "John Smith" not in page
    page = staff_client.get("/clients/?q=COTE zoe").get_data(as_text=True)
    assert "Zoé Côté" in page and "Émile" not in page


def test_sorting_by_a_column_and_pages(staff_client, staff):
    _add_clients(staff, [(f"Person{i:02d}", f"Name{i:02d}") for i in range(25)])
    first_page = staff_client.get("/clients/?sort=-last_name&per_page=10").get_data(as_text=True)
    assert first_page.index("Name24") < first_page.index("Name23")
    assert "Name14" not in first_page and "25 records" in first_page
    third_page = staff_client.get("/clients/?sort=-last_name&per_page=10&page=3").get_data(as_text=True)
    assert "Name00" in third_page and "Page 3 of 3" in third_page


def test_my_items_shows_only_records_assigned_to_me(staff_client, staff, make_user):
    other = make_user("staff", name="Other")
    _add_clients(staff, [("Mine", "Tremblay")])
    _add_clients(other, [("Theirs", "Gagnon")])
    page = staff_client.get("/clients/?mine=1").get_data(as_text=True)
    assert "Mine Tremblay" in page and "Theirs Gagnon" not in page
