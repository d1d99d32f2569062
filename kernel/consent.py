"""Consent by purpose: the kernel's part (docs/privacy.md, "Consent").

The kernel knows the purposes a person may consent to (a choice list administrators extend, to
which plugins add theirs through ``passerelle_consent_purposes``) and asks the plugins, through
hooks, whether a message may leave (``passerelle_outbox_check``, called by the outbox for every
message it queues) and which people a report must leave out
(``passerelle_people_without_consent``). The privacy plugin keeps the consents and answers; with
it disabled nothing is refused and nothing is left out.

A message about a person names them as ``"<entity>:<record id>"`` (``person_ref``), with the
purpose it serves and, for the sharing purpose, the partner organisation it goes to (``scope``).
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from kernel.choices import ChoiceList
from kernel.i18n import lazy_gettext as _l

SERVICE_DELIVERY = "service_delivery"
SHARING = "sharing"
SMS_REFERRALS = "sms_referrals"
EMAIL_REFERRALS = "email_referrals"
FOLLOW_UP_CALLS = "follow_up_calls"
NEWSLETTERS = "newsletters"
STATISTICS = "statistics"

PURPOSES = ChoiceList("consent_purpose", [
    (SERVICE_DELIVERY, _l("Service delivery")),
    (SHARING, _l("Sharing with a partner organisation")),
    (SMS_REFERRALS, _l("Referrals by SMS")),
    (EMAIL_REFERRALS, _l("Referrals by e-mail")),
    (FOLLOW_UP_CALLS, _l("Follow-up calls")),
    (NEWSLETTERS, _l("Newsletters")),
    (STATISTICS, _l("Research and funder statistics")),
])


class MessageRefused(Exception):
    """A plugin refused to queue a message (no current consent for its purpose): nothing was
    added to the outbox. ``str()`` is the translated reason, to show the user."""


@dataclass(frozen=True)
class OutgoingMessage:
    """What ``passerelle_outbox_check`` is asked about, before anything is queued."""

    channel: str  # "email" or "sms"
    recipient: str
    subject: str | None
    body: str
    person: str | None = None  # "client:42": the person the message is to or about
    purpose: str | None = None  # a value of PURPOSES
    scope: str | None = None  # for SHARING: the partner organisation's name

    @property
    def person_entity(self) -> str | None:
        return split_person(self.person)[0]

    @property
    def person_id(self) -> int | None:
        return split_person(self.person)[1]


def person_ref(entity_name: str, record_id: int) -> str:
    return f"{entity_name}:{int(record_id)}"


def split_person(reference: str | None) -> tuple[str | None, int | None]:
    name, _sep, number = (reference or "").partition(":")
    return (name, int(number)) if name and number.isascii() and number.isdigit() else (None, None)


def install(app, plugin_set) -> None:
    """Add the purposes plugins declare to the choice list's defaults (administrators' own
    version of the list, once edited, wins as for any list)."""
    known = {value for value, _label in PURPOSES.options}
    for value, label in plugin_set.collect("passerelle_consent_purposes"):
        if value not in known:
            PURPOSES.options.append((value, label))
            known.add(value)


def refusal(message: OutgoingMessage) -> str | None:
    """The first reason a plugin gives for not sending ``message``, or ``None``."""
    plugin_set = current_app.extensions["passerelle.plugins"]
    for reason in reversed(plugin_set.hook.passerelle_outbox_check(message=message)):
        if reason:
            return str(reason)
    return None


def people_without_consent(entity, purpose: str):
    """A ``SELECT`` of the ids of ``entity``'s records with no current consent to ``purpose``
    (the privacy plugin's answer), or ``None`` when no enabled plugin keeps consents."""
    plugin_set = current_app.extensions["passerelle.plugins"]
    for answer in reversed(plugin_set.hook.passerelle_people_without_consent(entity=entity, purpose=purpose)):
        if answer is not None:
            return answer
    return None


def consents_kept() -> bool:
    """Whether an enabled plugin keeps consents (reports offer to leave people out only then)."""
    plugin_set = current_app.extensions["passerelle.plugins"]
    return bool(plugin_set.hook.passerelle_people_without_consent.get_hookimpls())
