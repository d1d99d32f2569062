"""A resource is found by the last seven digits of its phone number ("979-5555"), as caller
profiles are (issue 16 §3); a whole number in any format still matches it exactly."""

from sqlalchemy import insert

from kernel.db import db
from plugins.directory.models import phones
from plugins.directory.search import phone_digits
from tests.contactcenter.helpers import make_resource, make_term
from tests.directory.helpers import names_in, search


def with_phone(name, number, term):
    resource = make_resource(name, term)
    db.session.execute(insert(phones).values(service_id=resource.id, number=number, digits=phone_digits(number)))
    db.session.commit()


def test_the_last_seven_digits_find_the_resource(app, staff_client):
    term = make_term("BD-1800", "Food")
    with_phone("Iqaluit food bank", "(867) 979-5555", term)
    with_phone("Rankin Inlet pantry", "867-645-5555", term)
    for written in ("979-5555", "979 5555", "9795555", "867-979-5555", "+1 867 979 5555"):
        assert names_in(search(staff_client, phone=written)) == ["Iqaluit food bank"], written
    assert set(names_in(search(staff_client, phone="5555"))) == {"Iqaluit food bank", "Rankin Inlet pantry"}
    assert names_in(search(staff_client, phone="979-5556")) == []
