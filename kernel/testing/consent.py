"""``give_consent``: the consents a test's person needs before a message to them may leave.

Messages to a person (a referral by SMS…) are refused without a current consent for their purpose
when the privacy plugin is enabled (docs/privacy.md). Tests that send them give the consent first::

    give_consent("caller_profile", profile.id, "sms_referrals", "email_referrals")

With the privacy plugin disabled it does nothing, as the outbox then refuses nothing. The caller
commits (or the request under test does)."""

from __future__ import annotations

ALL_MESSAGES = ("sms_referrals", "email_referrals", "follow_up_calls", "newsletters")


def give_consent(entity_name: str, record_id: int, *purposes: str, scope: str | None = None, user=None,
                 channel: str = "form", expires_on=None) -> None:
    from kernel.registry import plugins

    if plugins().get("privacy") is None:
        return
    # The testing kit knows the plugin that keeps consents by name, as kernel.testing may: tests
    # of other modules should not need to.
    from plugins.privacy.consent.state import record

    for purpose in purposes or ALL_MESSAGES:
        record(entity_name, record_id, purpose=purpose, given=True, channel=channel, user=user, scope=scope,
               expires_on=expires_on)
