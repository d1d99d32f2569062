"""Anonymising a contact empties what was written about the caller around it: its follow-ups' reason,
cancel reason and changes, and its warm referrals' notes, steps and e-mail (issue 19 meets issue 20)."""

from datetime import timedelta

from sqlalchemy import select

from kernel.db import db, utcnow
from kernel.outbox import OutboxMessage
from kernel.personal_data.applying import apply
from kernel.personal_data.planning import plan
from kernel.registry import entities
from plugins.contactcenter import workflow
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.models import FollowUp, FollowUpChange
from plugins.contactcenter.models import Contact
from plugins.contactcenter.warm_referrals.models import WarmReferral, WarmReferralEvent
from tests.contactcenter.followup_helpers import consenting_contact
from tests.contactcenter.test_warm_referrals import referral, sent_link  # noqa: F401 - the fixture

NAME = "Aputi"


def _anonymise(contact_id: int) -> None:
    apply(plan(entities().get("helpline_contact"), [contact_id], "anonymise"))
    db.session.commit()
    db.session.expire_all()


def test_a_follow_ups_words_about_the_caller_are_emptied(app, staff):
    contact = consenting_contact(staff, name=f"{NAME} Kilabuk")
    followup = service.schedule(contact, staff, due_at=utcnow() + timedelta(days=2), channel="phone",
                                reason=f"Call {NAME} about the shelter")
    service.edit(followup, staff, {"reason": f"Call {NAME} back about the shelter"})
    service.cancel(followup, staff, f"{NAME} found a place")
    workflow.force_close(db.session.get(Contact, contact.id), staff, "Done")
    db.session.commit()
    _anonymise(contact.id)
    followup = db.session.scalar(select(FollowUp))
    assert followup.status and NAME not in (followup.reason or "") and NAME not in (followup.cancel_reason or "")
    for change in db.session.scalars(select(FollowUpChange)):
        assert NAME not in f"{change.old_value}{change.new_value}"


def test_a_warm_referrals_notes_and_email_are_emptied(app, staff, staff_client, referral):  # noqa: F811
    path = sent_link(staff, staff_client, referral, note=f"{NAME} needs a bed tonight")
    partner = app.test_client()
    partner.post(f"{path}/accept")
    partner.post(f"{path}/outcome", data={"outcome": "helped", "note": f"{NAME} has a bed"})
    _made, _profile, contact = referral
    workflow.force_close(db.session.get(Contact, contact.id), staff, "Done")
    db.session.commit()
    _anonymise(contact.id)
    warm = db.session.scalar(select(WarmReferral))
    assert (warm.status, warm.outcome) == ("closed", "helped")  # the reports' facts stay
    assert NAME not in f"{warm.note}{warm.decline_note}{warm.outcome_note}"
    assert all(NAME not in (event.detail or "") for event in db.session.scalars(select(WarmReferralEvent)))
    assert all(NAME not in (body or "") for body in db.session.scalars(select(OutboxMessage.body)))
