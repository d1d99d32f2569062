"""Building blocks of the follow-up tests: a contact whose caller consented to follow-up calls (a
follow-up needs it), and withdrawing that consent."""

from __future__ import annotations

from kernel.db import db
from kernel.testing import give_consent
from tests.contactcenter.helpers import make_contact, make_profile

PURPOSE = "follow_up_calls"


def consenting_contact(user, name="Émile Noël", phone="(867) 979-1234", **fields):
    """A contact with a caller profile who consented to follow-up calls."""
    profile = make_profile(user, name=name, phone=phone)
    give_consent("caller_profile", profile.id, PURPOSE, user=user, channel="verbal")
    db.session.commit()
    return make_contact(user, profile=profile, **fields)


def withdraw_consent(profile_id: int, user) -> None:
    from plugins.privacy.consent.state import record

    record("caller_profile", profile_id, purpose=PURPOSE, given=False, channel="verbal", user=user)
    db.session.commit()
