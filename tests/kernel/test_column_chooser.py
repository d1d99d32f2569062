"""The column chooser: the user picks columns and their order, applies, and the choice is kept."""

from kernel import records
from kernel.db import db
from kernel.registry import entities


def test_chosen_columns_and_order_are_kept(staff_client, staff):
    records.create(entities().get("client"), {"first_name": "Zoé", "last_name": "Côté", "city": "Iqaluit"}, staff)
    db.session.commit()
    response = staff_client.post("/clients/columns", data={
        "columns": ["city", "last_name", "first_name"], "per_page": "50", "list_query": "q=cote"})
    assert response.status_code == 302 and response.location.endswith("/clients/?q=cote")
    page = staff_client.get("/clients/").get_data(as_text=True)
    header = page[page.index("<thead>"):page.index("</thead>")]
    assert header.index("City") < header.index("Last name") < header.index("First name")
    assert "E-mail" not in header
    assert '<option value="50" selected>' in page


def test_columns_in_the_url_win_for_this_view(staff_client):
    page = staff_client.get("/clients/?cols=email,phone").get_data(as_text=True)
    header = page[page.index("<thead>"):page.index("</thead>")]
    assert "E-mail" in header and "Phone" in header and "City" not in header


def test_at_least_one_column(staff_client):
    staff_client.post("/clients/columns", data={"list_query": ""})
    page = staff_client.get("/clients/").get_data(as_text=True)
    assert "Last name" in page[page.index("<thead>"):page.index("</thead>")]
