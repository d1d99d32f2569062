"""The contact centre's Refer button is a filler of the kernel's slot ``result_card_actions`` for
resources: it shows wherever a resource's actions are placed (the directory's cards and page, the
global search), only to those who may refer, and the directory keeps its own link otherwise."""

from kernel.db import db
from plugins.contactcenter.models import Referral
from tests.contactcenter.helpers import make_contact, make_profile, make_resource
from tests.directory.package import HOUSING_HELP, load_sample, service_id_of

REFER_FORM = 'action="/contactcenter/contacts/{id}/referrals"'


def test_the_global_search_offers_refer_on_a_resource_for_the_active_contact(app, staff, staff_client):
    resource = make_resource("Lantern shelter", None)
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.get(f"/contactcenter/contacts/{contact.id}")  # the active contact
    page = staff_client.get("/search", query_string={"q": "Lantern"}).get_data(as_text=True)
    assert REFER_FORM.format(id=contact.id) in page and f'name="resource_id" value="{resource.id}"' in page
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    assert db.session.query(Referral).filter_by(contact_id=contact.id, resource_id=resource.id).count() == 1


def test_no_refer_button_for_another_kind_of_record_in_the_search(app, staff, staff_client):
    contact = make_contact(staff, profile=make_profile(staff, name="Lantern Caller"))
    staff_client.get(f"/contactcenter/contacts/{contact.id}")
    page = staff_client.get("/search", query_string={"q": "Lantern"}).get_data(as_text=True)
    assert "Lantern Caller" in page and "refer-form" not in page


def test_a_user_who_may_not_refer_gets_the_directorys_own_link(app, staff, readonly, login_as, tmp_path):
    load_sample(app, tmp_path)
    contact = make_contact(staff, profile=make_profile(staff))
    browser = login_as(readonly)
    browser.get(f"/contactcenter/contacts/{contact.id}")
    results = browser.get("/resources/search", query_string={"phone": "5145550404", "contact": contact.id},
                          headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f"/resources/{service_id_of(HOUSING_HELP)}/full?refer=1" in results and "refer-form" not in results


def test_without_the_contact_centre_the_directory_keeps_its_own_link(make_app, make_user, login_as, tmp_path):
    app = make_app(PASSERELLE_PLUGINS="directory")
    with app.app_context():
        load_sample(app, tmp_path)
        browser = login_as(make_user("staff"))
        results = browser.get("/resources/search", query_string={"phone": "5145550404"},
                              headers={"HX-Request": "true"}).get_data(as_text=True)
        detail = browser.get(f"/resources/{service_id_of(HOUSING_HELP)}/full").get_data(as_text=True)
    assert f"/resources/{service_id_of(HOUSING_HELP)}/full?refer=1" in results and "refer-form" not in results
    assert "Housing help" in detail and "refer-form" not in detail
