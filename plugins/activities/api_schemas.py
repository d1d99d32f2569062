"""What the calendar's API routes (``plugins/activities/api.py``) take and answer, for the
OpenAPI document."""

from __future__ import annotations

from marshmallow import fields, validate

from kernel.toolkit import ApiSchema
from plugins.activities.calendar import SHARING

KINDS = ("call", "meeting", "task")


class PeriodSchema(ApiSchema):
    start = fields.String(required=True, metadata={
        "description": "The period's first day or moment (ISO 8601); without an offset, in the user's time zone."})
    end = fields.String(required=True, metadata={"description": "The moment after the period (ISO 8601)."})
    owner = fields.String(metadata={
        "description": 'Whose activities: "me", a colleague\'s user id, or none for everyone whose calendar '
                       "the user sees."})


class EventSchema(ApiSchema):
    title = fields.String(required=True)
    start = fields.String(required=True, metadata={
        "description": "Wall-clock time in the answer's time zone, without an offset; a day for a task."})
    end = fields.String(metadata={"description": "Calls and meetings only."})
    allDay = fields.Boolean(metadata={"description": "True for a task (due that day)."})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    recordId = fields.Integer(required=True, metadata={"description": "The id of the call, meeting or task."})
    version = fields.Integer(required=True)


class EventsSchema(ApiSchema):
    timezone = fields.String(required=True, metadata={"description": "The user's time zone (IANA name)."})
    events = fields.List(fields.Nested(EventSchema), required=True)


class InviteesSchema(ApiSchema):
    invitees = fields.List(fields.Integer(), required=True, metadata={"description": "User ids."})


class SharingSchema(ApiSchema):
    sharing = fields.String(required=True, validate=validate.OneOf(SHARING), metadata={
        "description": "Who sees the user's calendar: nobody, the chosen viewers, or everyone."})
    viewers = fields.List(fields.Integer(), metadata={"description": "The chosen viewers' user ids."})
