"""What the kernel's API routes other than the records' take and answer, for the OpenAPI
document (``kernel.openapi``): tokens and likely duplicates."""

from __future__ import annotations

from marshmallow import fields

from kernel.openapi import ApiSchema, parameter_schema


class NewTokenSchema(ApiSchema):
    password = fields.String(required=True, metadata={"description": "The token's user's password, typed again."})
    name = fields.String(metadata={"description": "What the token is for (255 characters at most)."})
    expires_at = fields.Date(allow_none=True, metadata={"description": "A day after today, or none."})


class TokenSchema(ApiSchema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    token = fields.String(required=True, metadata={"description": "Shown once: keep it secret."})
    expires_at = fields.Date(required=True, allow_none=True)


class DuplicateSchema(ApiSchema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    score = fields.Integer(required=True, metadata={"description": "How alike the names are, 0 to 100."})
    reasons = fields.List(fields.String(), required=True, metadata={
        "description": 'Why it matches: "name", "email", "phone" or another exact field\'s name.'})


class DuplicatesSchema(ApiSchema):
    items = fields.List(fields.Nested(DuplicateSchema), required=True)


def duplicate_parameters(entity) -> list[dict]:
    """The fields of the entity's duplicate rule (the values of a record about to be created),
    then ``exclude_id`` and ``limit``."""
    from kernel.duplicates import rule_of
    from kernel.views.duplicates import MAX_API_LIMIT

    rule = rule_of(entity)
    values = [{"name": name, "in": "query", "schema": parameter_schema(entity.fields[name])}
              for name in (rule.fields() if rule else ()) if name in entity.fields]
    return values + [
        {"name": "exclude_id", "in": "query", "schema": {"type": "integer"},
         "description": "Leave out this record (checking an existing one)."},
        {"name": "limit", "in": "query",
         "schema": {"type": "integer", "minimum": 1, "maximum": MAX_API_LIMIT, "default": 5}},
    ]

