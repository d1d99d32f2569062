"""Follow-ups: scheduled from a contact with the caller's consent, in the agents' queue (due, mine,
overdue); working one records each referral's outcome, counts attempts, closes it as unreachable
after the allowed failed attempts; unmet needs become service gaps."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kernel.db import db, utcnow
from plugins.contactcenter import workflow
from plugins.contactcenter.followups import service
from plugins.contactcenter.followups.models import DONE, DUE, UNREACHABLE, FollowUpOutcome
from plugins.contactcenter.models import ServiceGap
from tests.contactcenter.followup_helpers import consenting_contact
from tests.contactcenter.helpers import make_contact, make_profile, make_resource, make_term


def referred_contact(user):
    food = make_term("food", "Food", "Alimentation")
    resource = make_resource("Food bank", food, "Banque alimentaire")
    contact = consenting_contact(user)
    referral = workflow.refer(contact, resource.id, user)
    db.session.commit()
    return contact, referral, food


def schedule(contact, user, days=2, **fields):
    values = {"due_at": utcnow() + timedelta(days=days), "channel": "phone", "reason": "Did the food bank help?",
              "consent": True, **fields}
    followup = service.schedule(contact, user, **values)
    db.session.commit()
    return followup


def test_a_follow_up_needs_the_callers_consent_and_a_known_channel(app, admin):
    for contact in (make_contact(admin), make_contact(admin, profile=make_profile(admin))):
        with pytest.raises(service.FollowUpRefused):
            schedule(contact, admin)  # anonymous, then no consent to follow-up calls: the agent's tick is not enough
    with pytest.raises(service.FollowUpRefused):
        schedule(consenting_contact(admin), admin, channel="pigeon")


def test_the_queue_filters_due_mine_and_overdue(app, admin, staff):
    contact = consenting_contact(admin)
    late = schedule(contact, admin, days=-1)
    later = schedule(contact, admin, days=5, assignee_id=staff.id)
    today = schedule(contact, admin, due_at=service.end_of_day(utcnow()))

    def ids(which, user=admin):
        return [followup.id for followup, _contact, _profile in service.queue(user, which)]

    assert ids("overdue") == [late.id]
    assert ids("due") == [late.id, today.id]
    assert ids("mine", staff) == [later.id]
    assert ids("all") == [late.id, today.id, later.id]


def test_reaching_the_caller_records_each_referrals_outcome_and_closes_it(app, admin):
    contact, referral, _food = referred_contact(admin)
    followup = schedule(contact, admin)
    outcome = service.Outcome(referral.id, reached=True, contacted_service=True, got_help=True)
    assert service.record_attempt(followup, [outcome], admin) == DONE
    db.session.commit()
    [saved] = db.session.scalars(select(FollowUpOutcome)).all()
    assert (saved.referral_id, saved.reached, saved.got_help, followup.attempts) == (referral.id, True, True, 1)


def test_after_the_allowed_failed_attempts_it_closes_as_unreachable(app, admin):
    app.config["CONTACTCENTER_FOLLOWUP_MAX_ATTEMPTS"] = 2
    followup = schedule(consenting_contact(admin), admin)
    assert service.record_attempt(followup, [], admin) == DUE
    assert service.record_attempt(followup, [], admin) == UNREACHABLE
    assert followup.attempts == 2 and followup.closed_at is not None


def test_unmet_needs_found_at_follow_up_become_service_gaps(app, admin):
    contact, referral, food = referred_contact(admin)
    housing = make_term("housing", "Housing", "Logement")
    followup = schedule(contact, admin)
    outcomes = [service.Outcome(referral.id, reached=True, contacted_service=True, got_help=False,
                                why_not="waiting_list", new_need_term_id=housing.id)]
    service.record_attempt(followup, outcomes, admin)
    db.session.commit()
    gaps = db.session.scalars(select(ServiceGap).order_by(ServiceGap.term_id)).all()
    assert sorted(gap.term_id for gap in gaps) == sorted([food.id, housing.id])
    assert {gap.contact_id for gap in gaps} == {contact.id}
