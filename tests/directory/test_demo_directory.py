"""The demo data of a new installation has a directory of Nunavut services (invented names), in
both languages, placed, with phones, hours, types and languages: a new agent's first searches find
something (issue 16 §3)."""

import re

from sqlalchemy import func, select

from kernel.db import db
from kernel.setup import demo_password, first_start
from kernel.users import User
from plugins.directory.models import Resource, Site, languages, phones, schedules, service_taxonomy
from tests.conftest import login
from tests.directory.helpers import names_in


def count(table):
    return db.session.scalar(select(func.count()).select_from(table))


def test_the_demo_directory_is_full_and_searchable(app):
    assert first_start(load_demo=True)
    resources = count(Resource)
    assert resources >= 30
    assert db.session.scalar(select(func.count()).where(Resource.name_fr.is_not(None))) == resources
    assert count(phones) == resources and count(service_taxonomy) == resources
    assert count(schedules) >= resources and count(languages) >= resources
    cities = set(db.session.scalars(select(Site.city)))
    assert {"Iqaluit", "Rankin Inlet", "Cambridge Bay", "Pangnirtung", "Kinngait"} <= cities
    assert db.session.scalar(select(func.count()).where(Site.latitude.is_(None))) == 0
    staff = db.session.scalar(select(User).where(User.role == "staff"))
    client = login(app.test_client(), staff, password=demo_password(staff.email))  # a French-speaking agent
    page = client.get("/resources/search?q=nourriture&postal_code=X0A+0H0&radius=25").get_data(as_text=True)
    assert "Banque alimentaire d'Iqaluit" in names_in(page.replace("&#39;", "'"))
    assert re.search(r'<span class="distance">0[.,]\d km</span>', page)
    page = client.get("/resources/search?phone=979-5555").get_data(as_text=True)
    assert [name.replace("&#39;", "'") for name in names_in(page)] == ["Banque alimentaire d'Iqaluit"]
    assert "lun. au ven., 11 h à 13 h" in page
    english = client.get("/resources/search?q=shelter&postal_code=Rankin+Inlet&radius=50",
                         headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert names_in(english)
