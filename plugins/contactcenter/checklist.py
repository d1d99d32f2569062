"""The closing checklist: what the organisation requires before a contact closes, each item with
its status indicator — complete (green tick), needs attention (yellow warning), missing (red
cross) or pending (clock).

The server knows the first three. Pending is the screen's own: an item the agent has answered on
the screen but not saved yet (``contactcenter.js`` watches the inputs each item names)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from kernel.toolkit import OutboxMessage, db, entities
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.messages import delivery
from plugins.contactcenter.models import (
    ChecklistSettings,
    Contact,
    Profile,
    Survey,
    SurveyQuestion,
    SurveyResponse,
)
from plugins.contactcenter.workflow import needs_of, referrals_of

COMPLETE, ATTENTION, MISSING, PENDING = "complete", "attention", "missing", "pending"
STATE_LABELS = {COMPLETE: _l("Complete"), ATTENTION: _l("Needs attention"), MISSING: _l("Missing"),
                PENDING: _l("Pending: not saved yet")}
# Profile fields an organisation may require before closing (custom fields of profiles too).
DEMOGRAPHIC_FIELDS = ("postal_code", "phone", "email", "address", "preferred_language")
# The contact screen's forms where the agent answers the items (their ids in contact.html).
DETAILS_FORM, NEED_FORM = "caller-details-form", "add-need-form"


@dataclass
class Item:
    key: str
    label: object
    state: str
    detail: str = ""
    blocking: bool = True  # False: shown for information, never stops the closing
    tab: str = "details"  # where the agent completes it
    form: str = ""  # the id of the screen's form where the agent answers it…
    inputs: tuple[str, ...] = ()  # …the names of its inputs there…
    answer: str = "all"  # …and whether "all" of them or "any" must be filled for it to be answered

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
    has_primary = any(need.is_primary for need in needs)
    # Adding a need answers the two need items while they are not complete (the first need added,
    # or the first while none is primary, becomes the primary one).
    need_picker = {"form": NEED_FORM, "inputs": ("term_id",)}
    items = [
        Item("needs", _l("At least one service need"), COMPLETE if needs else MISSING,
             **({} if needs else need_picker)),
        Item("primary_need", _l("Primary service need marked"),
             COMPLETE if has_primary else (ATTENTION if needs else MISSING), **({} if has_primary else need_picker)),
        Item("requester_served", _l("Requester served"), COMPLETE if contact.requester_served else MISSING,
             form=DETAILS_FORM, inputs=("requester_served",)),
        Item("service_delivery", _l("Service delivery"), COMPLETE if contact.service_delivery else MISSING,
             form=DETAILS_FORM, inputs=("service_delivery",)),
    ]
    if rules.required_demographics:
        items.append(demographics_item(contact, rules.required_demographics))
    if rules.require_tags:
        items.append(Item("tags", _l("Tags"), COMPLETE if contact.tag_list else MISSING,
                          form=DETAILS_FORM, inputs=("tags",), answer="any"))
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
                detail=", ".join(missing), form=DETAILS_FORM, inputs=tuple(wanted))


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
    questions = survey_questions([survey.id for survey in surveys])
    survey_entity = entities().get("intake_survey")
    items = []
    for survey in surveys:
        response = responses.get(survey.id)
        state = COMPLETE if response and response.complete else (ATTENTION if response else MISSING)
        required = [f"q{question_id}" for question_id, is_required in questions.get(survey.id, []) if is_required]
        every = [f"q{question_id}" for question_id, _is_required in questions.get(survey.id, [])]
        items.append(Item(f"survey_{survey.id}", _l("Survey: %(name)s", name=survey_entity.title_of(survey)), state,
                          tab="programmes", form=f"survey-form-{survey.id}", inputs=tuple(required or every),
                          answer="all" if required else "any"))
    return items


def survey_questions(survey_ids: list[int]) -> dict[int, list[tuple[int, bool]]]:
    """``{survey_id: [(question_id, required), …]}`` of these surveys, in one query."""
    questions: dict[int, list[tuple[int, bool]]] = {}
    for survey_id, question_id, required in db.session.execute(
            select(SurveyQuestion.survey_id, SurveyQuestion.id, SurveyQuestion.required)
            .where(SurveyQuestion.survey_id.in_(survey_ids), SurveyQuestion.deleted_at.is_(None))
            .order_by(SurveyQuestion.position, SurveyQuestion.id)):
        questions.setdefault(survey_id, []).append((question_id, bool(required)))
    return questions


def delivery_item(referrals) -> Item | None:
    """How the referrals sent by e-mail or SMS are doing, for information only: ⚠ while one is
    still in the outbox, failed, or reached nobody (written to the log); ✔ once all are sent."""
    message_ids = [message_id for referral in referrals
                   for message_id in (referral.email_message_id, referral.sms_message_id) if message_id]
    if not message_ids:
        return None
    found = [message_state(message) for message in
             db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(message_ids)))]
    details = sorted({said for state, said in found if state != COMPLETE})
    state = COMPLETE if all(state == COMPLETE for state, _said in found) else ATTENTION
    return Item("delivery", _l("Referrals sent"), state, detail=", ".join(details), blocking=False,
                tab="referrals")


def message_state(message: OutboxMessage) -> tuple[str, str]:
    """(state, what happened) of a referral's message on the contact screen. One still queued or
    leaving needs attention: the caller has nothing yet (the clock is kept for what the agent
    typed and has not saved)."""
    if message.status == "queued":
        return ATTENTION, _("Queued: not sent yet")
    if message.status == "sending":
        return ATTENTION, _("Sending: not sent yet")
    state, said = delivery(message)
    return (ATTENTION if state == PENDING else state), said


def can_close(items: list[Item]) -> bool:
    return not any(item.stops_closing for item in items)
