"""The closing checklist: what the organisation requires before a contact closes, each item with
its status indicator — complete (green tick), needs attention (yellow warning), missing (red
cross) or pending (clock)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kernel.db import db
from kernel.i18n import lazy_gettext as _l
from kernel.outbox import OutboxMessage
from kernel.registry import entities
from plugins.helpline.messages import delivery
from plugins.helpline.models import ChecklistSettings, Contact, Profile, Survey, SurveyResponse
from plugins.helpline.workflow import needs_of, referrals_of

COMPLETE, ATTENTION, MISSING, PENDING = "complete", "attention", "missing", "pending"
STATE_LABELS = {COMPLETE: _l("Complete"), ATTENTION: _l("Needs attention"), MISSING: _l("Missing"),
                PENDING: _l("Pending")}
# Profile fields an organisation may require before closing (custom fields of profiles too).
DEMOGRAPHIC_FIELDS = ("postal_code", "phone", "email", "address", "preferred_language")


@dataclass
class Item:
    key: str
    label: object
    state: str
    detail: str = ""
    blocking: bool = True  # False: shown for information, never stops the closing
    tab: str = "details"  # where the agent completes it

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def stops_closing(self) -> bool:
        return self.blocking and self.state in (MISSING, ATTENTION)


def settings() -> ChecklistSettings:
    found = db.session.scalar(select(ChecklistSettings).limit(1))
    return found or ChecklistSettings(require_tags=False, required_demographics=[])


def demographic_choices() -> list[tuple[str, str]]:
    """Profile fields that can be required: the usual ones and the administrators' custom fields."""
    profile_entity = entities().get("caller_profile")
    names = [name for name in DEMOGRAPHIC_FIELDS] + list(profile_entity.custom_fields)
    return [(name, str(profile_entity.fields[name].label)) for name in names if name in profile_entity.fields]


def checklist(contact: Contact, needs=None, referrals=None, surveys=None) -> list[Item]:
    """``needs``, ``referrals`` and the active ``surveys``, when the caller has them loaded
    already, spare their queries."""
    rules = settings()
    needs = needs_of(contact.id) if needs is None else needs
    items = [
        Item("needs", _l("At least one service need"), COMPLETE if needs else MISSING),
        Item("primary_need", _l("Primary service need marked"),
             COMPLETE if any(need.is_primary for need in needs) else (ATTENTION if needs else MISSING)),
        Item("requester_served", _l("Requester served"), COMPLETE if contact.requester_served else MISSING),
        Item("service_delivery", _l("Service delivery"), COMPLETE if contact.service_delivery else MISSING),
    ]
    if rules.required_demographics:
        items.append(demographics_item(contact, rules.required_demographics))
    if rules.require_tags:
        items.append(Item("tags", _l("Tags"), COMPLETE if contact.tag_list else MISSING))
    items += survey_items(contact, surveys)
    delivery = delivery_item(referrals_of(contact.id) if referrals is None else referrals)
    if delivery:
        items.append(delivery)
    return items


def demographics_item(contact: Contact, required: list[str]) -> Item:
    profile_entity = entities().get("caller_profile")
    profile = db.session.get(Profile, contact.profile_id) if contact.profile_id else None
    wanted = [name for name in required if name in profile_entity.fields]
    missing = [str(profile_entity.fields[name].label) for name in wanted
               if profile is None or profile_entity.value_of(profile, name) in (None, "")]
    return Item("demographics", _l("Required demographics"), MISSING if missing else COMPLETE,
                detail=", ".join(missing))


def survey_items(contact: Contact, active_surveys=None) -> list[Item]:
    if active_surveys is None:
        active_surveys = db.session.scalars(select(Survey).where(Survey.deleted_at.is_(None),
                                                                 Survey.active.is_(True)).order_by(Survey.id))
    surveys = [survey for survey in active_surveys if survey.required_to_close]
    if not surveys:
        return []
    responses = {response.survey_id: response for response in db.session.scalars(
        select(SurveyResponse).where(SurveyResponse.contact_id == contact.id, SurveyResponse.deleted_at.is_(None),
                                     SurveyResponse.survey_id.in_([survey.id for survey in surveys])))}
    survey_entity = entities().get("intake_survey")
    items = []
    for survey in surveys:
        response = responses.get(survey.id)
        state = COMPLETE if response and response.complete else (ATTENTION if response else MISSING)
        items.append(Item(f"survey_{survey.id}", _l("Survey: %(name)s", name=survey_entity.title_of(survey)), state,
                          tab="programmes"))
    return items


def delivery_item(referrals) -> Item | None:
    """How the referrals sent by e-mail or SMS are doing, for information only: ⚠ when one failed or
    reached nobody (written to the log), 🕒 while one is still queued or leaving."""
    message_ids = [message_id for referral in referrals
                   for message_id in (referral.email_message_id, referral.sms_message_id) if message_id]
    if not message_ids:
        return None
    found = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(message_ids))))
    states = {delivery(message)[0] for message in found}
    details = sorted({delivery(message)[1] for message in found if delivery(message)[0] != COMPLETE})
    state = next((wanted for wanted in (MISSING, ATTENTION, PENDING) if wanted in states), COMPLETE)
    return Item("delivery", _l("Referrals sent"), ATTENTION if state == MISSING else state,
                detail=", ".join(details), blocking=False, tab="referrals")


def can_close(items: list[Item]) -> bool:
    return not any(item.stops_closing for item in items)
