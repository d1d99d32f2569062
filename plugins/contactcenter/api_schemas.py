"""What the phone system's webhook (``POST /api/v1/contactcenter/incoming``) takes and answers,
for the OpenAPI document."""

from __future__ import annotations

from marshmallow import fields

from kernel.toolkit import ApiSchema


class IncomingCallSchema(ApiSchema):
    line = fields.String(required=True, metadata={"description": "The source line's identifier in the phone system."})
    caller = fields.String(allow_none=True, metadata={"description": "The caller's number, as the phone system gives it."})
    call_id = fields.String(allow_none=True, metadata={
        "description": "The phone system's id of the call: the same id gives the same contact (255 characters at most)."})
    agent = fields.String(allow_none=True, metadata={"description": "The e-mail address of the agent taking the call."})
    channel = fields.String(allow_none=True, metadata={
        "description": "How the contact came (phone by default, or the line's default channel)."})


class ContactStartedSchema(ApiSchema):
    id = fields.Integer(required=True)
    status = fields.String(required=True)
    line_id = fields.Integer(required=True, allow_none=True)
    caller_number = fields.String(required=True, allow_none=True)
    call_id = fields.String(required=True, allow_none=True)
    assigned_user_id = fields.Integer(required=True, allow_none=True)
    url = fields.String(required=True, metadata={"description": "The contact's screen, for the agent."})
