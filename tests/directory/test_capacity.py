"""Programmes' capacity (issue 20): staff declare it from the resource page, result cards show it,
and the search can hide the full programmes (those not accepting new referrals) in every kind of
search (keywords, service type, place), without a query per result."""

import pytest
from sqlalchemy import event, select

from kernel.db import db
from plugins.directory.capacity.models import Capacity
from tests.directory.helpers import names_in, sample_client, search
from tests.directory.package import FOOD_NEWS, SHELTER, service_id_of


def declare(client, hsds_id, **form):
    return client.post(f"/resources/{service_id_of(hsds_id)}/capacity", data=form)


@pytest.fixture
def sample(app, tmp_path, staff_client):
    return sample_client(app, tmp_path, staff_client)


def test_staff_declare_a_programmes_capacity_from_its_page(sample, staff):
    answer = declare(sample, SHELTER, accepting="no", open_spots="0", waiting_list="14")
    assert answer.status_code == 302
    page = sample.get(answer.headers["Location"]).get_data(as_text=True)
    assert "Capacity updated." in page and "Not accepting new referrals" in page and "14 on the waiting list" in page
    assert staff.name in page
    db.session.expire_all()
    capacity = db.session.get(Capacity, service_id_of(SHELTER))
    assert (capacity.accepting, capacity.open_spots, capacity.waiting_list, capacity.updated_by_id) == (
        False, 0, 14, staff.id)


@pytest.mark.parametrize("form, message", [
    ({"accepting": "yes", "open_spots": "-1"}, "Enter a whole number between 0 and 100"),
    ({"accepting": "yes", "waiting_list": "lots"}, "Enter a whole number between 0 and 100"),
    ({"accepting": "yes", "waiting_list": "²"}, "Enter a whole number between 0 and 100"),
    ({"accepting": "yes", "open_spots": "100001"}, "Enter a whole number between 0 and 100"),
    ({"open_spots": "3"}, "Say whether the programme accepts new referrals."),
])
def test_bad_values_are_refused_with_a_message_and_nothing_saved(sample, form, message):
    answer = declare(sample, SHELTER, **form)
    assert answer.status_code == 422 and message in answer.get_data(as_text=True)
    assert db.session.scalar(select(Capacity)) is None


def test_declaring_needs_the_edit_permission(app, tmp_path, make_user, login_as):
    reader = sample_client(app, tmp_path, login_as(make_user("readonly", email="reader@example.org")))
    assert declare(reader, SHELTER, accepting="no").status_code == 403
    assert "Update the capacity" not in reader.get(f"/resources/{service_id_of(SHELTER)}/full").get_data(as_text=True)


def test_an_unknown_resource_answers_404(sample):
    assert sample.post("/resources/999999/capacity", data={"accepting": "yes"}).status_code == 404


def test_result_cards_show_the_capacity(sample):
    declare(sample, SHELTER, accepting="no", waiting_list="3")
    declare(sample, FOOD_NEWS, accepting="yes", open_spots="5")
    page = search(sample, q="logement")
    assert "5 open spots" in page
    shelter = search(sample, q="shelter")
    assert "Not accepting new referrals" in shelter and "3 on the waiting list" in shelter


def test_hide_full_programmes_in_every_kind_of_search(sample):
    declare(sample, SHELTER, accepting="no")
    declare(sample, FOOD_NEWS, accepting="yes", open_spots="0")  # still accepting: kept
    everything = names_in(search(sample, area="o"))
    assert "Emergency shelter" in everything
    hidden = names_in(search(sample, area="o", full="hide"))
    assert "Emergency shelter" not in hidden and len(hidden) == len(everything) - 1
    assert "Emergency shelter" not in names_in(search(sample, q="shelter", full="hide"))
    assert "Emergency shelter" in names_in(search(sample, q="shelter"))
    assert "Community kitchen" in names_in(search(sample, q="logement", full="hide"))
    assert "Emergency shelter" not in names_in(search(sample, postal_code="K1P 1J1", full="hide"))
    assert "Emergency shelter" not in names_in(search(sample, area="montreal", type="BH-1800", full="hide"))
    assert 'name="full" value="hide" checked' in search(sample, area="o", full="hide")


def test_the_cards_capacity_is_read_with_the_rest_of_the_cards(app, sample):
    for hsds_id in (SHELTER, FOOD_NEWS):
        declare(sample, hsds_id, accepting="yes", open_spots="2")
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if "directory_capacity" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        search(sample, area="o")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1 and "directory_phones" in statements[0]  # the cards' one statement


def test_a_resource_without_capacity_says_so(sample):
    page = sample.get(f"/resources/{service_id_of(SHELTER)}/full").get_data(as_text=True)
    assert "No capacity declared." in page


def test_the_search_api_hides_full_programmes_too(app, sample, staff, token_for):
    declare(sample, SHELTER, accepting="no")
    answer = app.test_client().get("/api/v1/directory/search", headers=token_for(staff),
                                   query_string={"area": "o", "full": "hide"})
    names = [hit["name"] for hit in answer.get_json()["results"]]
    assert names and "Emergency shelter" not in names
