"""Demo consents: most demo people consented to the purposes of their messages and to statistics,
a few withdrew or never were asked, so that the panels, the referral screen and the reports'
exclusion show something true to life."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kernel.toolkit import CONSENT_PURPOSES, clock, entities
from plugins.privacy.consent.models import FORM, VERBAL, Consent

PURPOSES_OF = {"client": ("service_delivery", "email_referrals", "statistics", "newsletters"),
               "caller_profile": ("sms_referrals", "email_referrals", "follow_up_calls", "statistics"),
               "contact": ("newsletters",)}


def load(session, users) -> None:
    recorder = next(iter(users.values()), None)
    today = clock.today()
    known = set(CONSENT_PURPOSES.values())
    for name, purposes in PURPOSES_OF.items():
        entity = entities().get(name)
        if entity is None:
            continue
        ids = session.scalars(select(entity.model.id).where(entity.model.deleted_at.is_(None)).order_by(entity.model.id))
        for position, record_id in enumerate(ids):
            if position % 7 == 6:
                continue  # never asked
            for purpose in purposes:
                if purpose not in known:
                    continue
                withdrawn = position % 5 == 4 and purpose == "statistics"
                session.add(Consent(entity=name, record_id=record_id, purpose=purpose, scope="", given=not withdrawn,
                                    decided_on=today - timedelta(days=30 + position % 60),
                                    channel=VERBAL if name == "caller_profile" else FORM,
                                    recorded_by_id=getattr(recorder, "id", None)))
