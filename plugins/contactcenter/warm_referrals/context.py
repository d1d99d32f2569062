"""What the contact screen's referral partial needs of warm referrals (``_on_referral.html``)."""

from __future__ import annotations

from flask import current_app

from plugins.contactcenter.warm_referrals.models import DECLINE_REASONS, EVENTS, OUTCOMES, STATUSES


def warm_referral_context() -> dict:
    from plugins.contactcenter.warm_referrals.service import for_referrals

    return {"contactcenter_warm_referrals": for_referrals, "warm_statuses": STATUSES, "warm_reasons": DECLINE_REASONS,
            "warm_outcomes": OUTCOMES, "warm_events": EVENTS,
            "warm_default_language": current_app.config.get("DEFAULT_LANGUAGE", "fr")}
