"""What the follow-ups' API routes (``followups/api.py``) take and answer: the schemas validate
the input (messages translated) and describe it in the OpenAPI document."""

from __future__ import annotations

from datetime import UTC

from marshmallow import fields, post_load, validate

from kernel.toolkit import ApiSchema
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.followups.models import STATUSES
from plugins.contactcenter.followups.service import REASON_MAX
from plugins.contactcenter.models import CHANNELS

REQUIRED = _l("This field is required.")
MESSAGES = {"required": REQUIRED, "null": REQUIRED, "invalid": _l("This value is not valid.")}
WHEN = {**MESSAGES, "invalid": _l("Enter a valid date and time.")}
NUMBER = {**MESSAGES, "invalid": _l("Enter a whole number.")}
CHOICE = _l("Choose a value from the list.")
TOO_LONG = _l("At most {max} characters.")
ID_RANGE = validate.Range(min=1, max=2**31 - 1, error=_l("This value is not valid."))
PAGE_MAX = 200


def as_stored(moment):
    """An ISO 8601 moment as stored: UTC without an offset (one without an offset is UTC)."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def when(description: str, **options):
    return fields.DateTime(error_messages=WHEN, metadata={"description": description}, **options)


class FollowUpQuerySchema(ApiSchema):
    status = fields.String(validate=validate.OneOf(STATUSES.values(), error=CHOICE), error_messages=MESSAGES,
                           metadata={"description": "due, done, unreachable or cancelled."})
    assignee = fields.Integer(strict=False, validate=ID_RANGE, error_messages=NUMBER,
                              metadata={"description": "The assignee's user id."})
    due_after = when("Due at or after this moment (ISO 8601; without an offset, UTC).")
    due_before = when("Due before this moment (ISO 8601; without an offset, UTC).")
    contact = fields.Integer(strict=False, validate=ID_RANGE, error_messages=NUMBER,
                             metadata={"description": "The contact's id."})
    limit = fields.Integer(strict=False, load_default=50, validate=validate.Range(
        min=1, max=PAGE_MAX, error=_l("Give a number from {min} to {max}.")), error_messages=NUMBER,
        metadata={"description": f"How many follow-ups (1 to {PAGE_MAX}, 50 by default)."})
    offset = fields.Integer(strict=False, load_default=0, validate=validate.Range(
        min=0, max=2**31 - 1, error=_l("This value is not valid.")), error_messages=NUMBER,
        metadata={"description": "How many to skip, for the next pages."})

    @post_load
    def utc(self, data, **_kwargs):
        return {name: as_stored(value) if name.startswith("due_") else value for name, value in data.items()}


class FollowUpChangeSchema(ApiSchema):
    """What may change in a follow-up to do (PATCH: any of them)."""

    due_at = when("When to follow up (ISO 8601; without an offset, UTC).", required=True)
    channel = fields.String(required=True, error_messages=MESSAGES, metadata={
        "description": "How: a value of the contact channels (" + ", ".join(CHANNELS.values()) + " by default)."})
    reason = fields.String(load_default="", validate=validate.Length(max=REASON_MAX, error=TOO_LONG),
                           error_messages=MESSAGES, metadata={"description": "Why."})
    assignee_id = fields.Integer(allow_none=True, validate=ID_RANGE, error_messages=NUMBER, metadata={
        "description": "The agent who will follow up (the token's user by default)."})

    @post_load
    def utc(self, data, **_kwargs):
        return {**data, "due_at": as_stored(data["due_at"])} if "due_at" in data else data


class FollowUpCreateSchema(FollowUpChangeSchema):
    contact_id = fields.Integer(required=True, validate=ID_RANGE, error_messages=NUMBER,
                                metadata={"description": "The contact followed up."})
    consent_to_contact = fields.Boolean(load_default=False, error_messages={**MESSAGES, "invalid": _l(
        "Choose yes or no.")}, metadata={"description": (
            "The caller agreed to be contacted again: counts only where no module keeps consents. Otherwise the "
            "caller's profile needs a current consent to follow-up calls, or the follow-up is refused (422).")})


class FollowUpCancelSchema(ApiSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX, error=TOO_LONG),
                           error_messages=MESSAGES, metadata={"description": "Why the follow-up is cancelled."})


class FollowUpSchema(ApiSchema):
    id = fields.Integer(required=True)
    contact_id = fields.Integer(required=True)
    profile_id = fields.Integer(required=True, allow_none=True, metadata={"description": "The caller's profile."})
    assignee_id = fields.Integer(required=True, allow_none=True)
    due_at = fields.String(required=True, metadata={"description": "UTC, ISO 8601."})
    channel = fields.String(required=True)
    reason = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES.values()))
    consent = fields.String(required=True, validate=validate.OneOf(("given", "missing", "anonymous", "not_kept")),
                            metadata={"description": "The caller's consent to follow-up calls now (missing: "
                                                     "withdrawn or expired; the follow-up cannot be worked)."})
    attempts = fields.Integer(required=True)
    cancel_reason = fields.String(required=True, allow_none=True)
    created_at = fields.String(required=True)
    closed_at = fields.String(required=True, allow_none=True)
    url = fields.String(required=True, metadata={"description": "The follow-up's page, for the agent."})


class FollowUpPageSchema(ApiSchema):
    items = fields.List(fields.Nested(FollowUpSchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "How many follow-ups match the filters."})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)
