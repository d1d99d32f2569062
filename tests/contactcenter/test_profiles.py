"""The caller's profile: offered when the number matches, found by name (with typos), phone in any
format or e-mail, or created; duplicates merged by a supervisor with all their contacts."""

from sqlalchemy import func, select

from kernel.db import db
from plugins.contactcenter.models import Contact, Profile
from tests.contactcenter.helpers import fresh, make_contact, make_line, make_profile

HTMX = {"HX-Request": "true"}


def test_a_new_contact_asks_for_the_profile_and_offers_those_with_the_number(app, staff, staff_client):
    make_line()
    known = make_profile(staff, "Émile Noël", "(867) 979-1234")
    make_profile(staff, "Anne Tremblay", "867-979-9999")
    contact = make_contact(staff, caller="+1 867 979 1234")
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert "Select or create the profile" in page and "Create a new profile" in page
    assert "Profiles with this phone number" in page and "Émile Noël" in page and "Anne Tremblay" not in page
    staff_client.post(f"/contactcenter/contacts/{contact.id}/profile", data={"profile_id": known.id})
    assert fresh(Contact, contact.id).profile_id == known.id
    assert "Caller details" in staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)


def search(client, contact, q) -> str:
    return client.get(f"/contactcenter/contacts/{contact.id}/profiles", query_string={"q": q}, headers=HTMX).get_data(
        as_text=True)


def test_profiles_are_found_by_phone_in_any_format_e_mail_and_name_with_typos(app, staff, staff_client):
    make_profile(staff, "Émile Noël", "(867) 979-1234", email="emile@example.org")
    make_profile(staff, "Marie Tremblay", "613 555 0000")
    contact = make_contact(staff, caller=None)
    for query in ("8679791234", "+1 (867) 979-1234", "867.979.1234", "979-1234", "EMILE@example.org", "emile noel",
                  "Noël", "Emille Noel"):
        page = search(staff_client, contact, query)
        assert "Émile Noël" in page, query
        assert "Marie Tremblay" not in page, query
    assert "No profile matches" in search(staff_client, contact, "Zacharie")


def test_a_new_profile_is_created_from_the_contact_and_attached(app, staff, staff_client):
    contact = make_contact(staff, caller="867 979 4321")
    page = staff_client.get(f"/contactcenter/contacts/{contact.id}").get_data(as_text=True)
    assert 'value="(867) 979-4321"' in page  # the caller's number is already typed in
    bad = staff_client.post(f"/contactcenter/contacts/{contact.id}/profile/new", data={"phone": "867 979 4321",
                                                                                "email": "not-an-address"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "This field is required" in text and "e-mail" in text.lower()
    assert db.session.scalar(select(Profile.id)) is None
    staff_client.post(f"/contactcenter/contacts/{contact.id}/profile/new", data={
        "name": "Zoé Kilabuk", "phone": "867 979 4321", "postal_code": "X0A 0H0", "preferred_language": "fr"})
    profile = db.session.scalar(select(Profile))
    assert (profile.name, profile.postal_code, profile.phone_digits) == ("Zoé Kilabuk", "X0A 0H0", "8679794321")
    assert fresh(Contact, contact.id).profile_id == profile.id


def test_a_supervisor_merges_duplicate_profiles_with_all_their_contacts(app, staff, make_user, login_as):
    supervisor = make_user("supervisor", email="sam@example.org")
    kept = make_profile(staff, "Émile Noël", "(867) 979-1234")
    duplicate = make_profile(staff, "Emile Noel", "867-979-1234")
    contacts = [make_contact(staff, profile=duplicate), make_contact(staff, profile=kept)]
    client = login_as(supervisor)
    offered = client.get(f"/admin/merge/caller-profiles/{kept.id}").get_data(as_text=True)
    assert "Emile Noel" in offered
    response = client.post(f"/admin/merge/caller-profiles/{kept.id}/{duplicate.id}", data={
        "keep": str(kept.id), f"version-{kept.id}": str(kept.version),
        f"version-{duplicate.id}": str(duplicate.version)})
    assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
    assert {fresh(Contact, contact.id).profile_id for contact in contacts} == {kept.id}
    assert fresh(Profile, duplicate.id).deleted_at is not None
    assert login_as(staff).get(f"/admin/merge/caller-profiles/{kept.id}").status_code == 403


def test_creating_a_likely_duplicate_offers_the_existing_profile_first(app, staff, staff_client):
    existing = make_profile(staff, "Émile Noël", "(867) 979-1234")
    contact = make_contact(staff, caller="613 555 0000")
    values = {"name": "Emile Noel", "phone": "867-979-1234"}
    warned = staff_client.post(f"/contactcenter/contacts/{contact.id}/profile/new", data=values)
    page = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "look like the one you are creating" in page
    assert f'name="profile_id" value="{existing.id}"' in page and 'name="confirm_duplicates" value="1"' in page
    assert db.session.scalar(select(func.count()).select_from(Profile)) == 1
    staff_client.post(f"/contactcenter/contacts/{contact.id}/profile/new", data={**values, "confirm_duplicates": "1"})
    assert db.session.scalar(select(func.count()).select_from(Profile)) == 2
