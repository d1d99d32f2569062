"""A text contact goes through the same steps as a call (issue 20, two-way SMS): the SMS opens it,
the agent takes it, picks the caller's profile, records the needs and a referral, and closes it
against the same checklist, which refuses it while something is missing."""

from sqlalchemy import select

from kernel.db import db, utcnow
from kernel.inbound_sms import InboundSms, receive_sms
from plugins.contactcenter.models import Contact, Need, Referral
from tests.contactcenter.helpers import fresh, make_profile, make_resource, make_term


def test_a_text_contact_has_the_profile_step_needs_referrals_and_checklist_of_a_call(app, staff, staff_client):
    profile_id = make_profile(staff, name="Aputi Kilabuk", phone="867 979 1234").id
    term = make_term("BH-1800.8500", "Emergency shelter")
    resource_id = make_resource("Night shelter", term).id
    term_id = term.id
    receive_sms(InboundSms("+1 867 979 1234", "+18675550000", "I need a place to sleep", utcnow(), "SM7"))
    db.session.commit()
    contact = db.session.scalar(select(Contact))
    contact_id = contact.id
    assert contact.channel == "sms"

    assert staff_client.post(f"/contactcenter/contacts/{contact_id}/take").status_code in (200, 302, 303)
    page = staff_client.get(f"/contactcenter/contacts/{contact_id}").get_data(as_text=True)
    assert "I need a place to sleep" in page and "Aputi Kilabuk" in page  # the thread at the profile step

    staff_client.post(f"/contactcenter/contacts/{contact_id}/profile", data={"profile_id": profile_id})
    assert fresh(Contact, contact_id).profile_id == profile_id

    refused = staff_client.post(f"/contactcenter/contacts/{contact_id}/close",
                                data={"version": fresh(Contact, contact_id).version})
    assert refused.status_code == 422 and "cannot be closed yet" in refused.get_data(as_text=True)
    assert fresh(Contact, contact_id).status != "closed"

    staff_client.post(f"/contactcenter/contacts/{contact_id}/needs", data={"term_id": term_id})
    staff_client.post(f"/contactcenter/contacts/{contact_id}/referrals", data={"resource_id": resource_id})
    staff_client.post(f"/contactcenter/contacts/{contact_id}/details", data={
        "requester_served": "yes", "service_delivery": "referral", "version": fresh(Contact, contact_id).version})
    assert [need.term_id for need in db.session.scalars(select(Need).where(Need.contact_id == contact_id))] == [term_id]
    assert [referral.resource_id for referral in
            db.session.scalars(select(Referral).where(Referral.contact_id == contact_id))] == [resource_id]

    closed = staff_client.post(f"/contactcenter/contacts/{contact_id}/close",
                               data={"version": fresh(Contact, contact_id).version})
    assert closed.status_code in (200, 302, 303), closed.get_data(as_text=True)[:500]
    saved = fresh(Contact, contact_id)
    assert (saved.status, saved.channel) == ("closed", "sms")
