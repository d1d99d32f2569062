"""What the resource search's API route (``GET /api/v1/directory/search``) takes and answers, for
the OpenAPI document."""

from __future__ import annotations

from marshmallow import fields, validate

from kernel.toolkit import ApiSchema


class SearchQuerySchema(ApiSchema):
    q = fields.String(metadata={"description": "Keywords (with the administrators' synonyms), 200 characters at most."})
    postal_code = fields.String(metadata={"description": "A postal code or a community's name: results by distance."})
    radius = fields.Float(validate=validate.Range(min=0, min_inclusive=False, max=1000), metadata={
        "description": "Kilometres around the postal code."})
    sort = fields.String(validate=validate.OneOf(("relevance", "distance")))
    area = fields.String(metadata={"description": "A service area served."})
    type = fields.String(metadata={"description": "A service type's code; its sub-types match too."})
    language = fields.String(metadata={"description": "A language spoken (ISO code)."})
    open = fields.String(validate=validate.OneOf(("now",)), metadata={"description": "Open now."})
    open_at = fields.DateTime(metadata={"description": "Open at this date and time (the user's time zone)."})
    phone = fields.String(metadata={"description": "A phone number, or part of one."})
    page = fields.Integer(validate=validate.Range(min=1), metadata={"description": "20 results a page."})
    count = fields.String(validate=validate.OneOf(("exact",)), metadata={
        "description": "Count every match (by default the count stops at 1,000)."})
    full = fields.String(validate=validate.OneOf(("hide",)), metadata={
        "description": "Leave out the programmes that declared they accept no new referrals (their capacity)."})


class ResourceHitSchema(ApiSchema):
    id = fields.Integer(required=True)
    hsds_id = fields.String(allow_none=True, metadata={"description": "The Open Referral (HSDS) id."})
    name = fields.String(required=True)
    description = fields.String(allow_none=True)
    agency = fields.String(allow_none=True)
    address = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    distance_km = fields.Float(allow_none=True)
    distance_is_approximate = fields.Boolean(metadata={"description": "Only the postal code's area is placed."})
    phones = fields.List(fields.String())
    hours = fields.List(fields.String(), metadata={"description": "The weekly hours in words, in the user's language."})
    open_now = fields.Boolean(allow_none=True, metadata={"description": "Open at the time asked (or now)."})


class FacetSchema(ApiSchema):
    code = fields.String(required=True, metadata={"description": "A service type's code."})
    name = fields.String(allow_none=True)
    name_fr = fields.String(allow_none=True)
    count = fields.Integer(required=True)


class SearchResultsSchema(ApiSchema):
    total = fields.Integer(required=True)
    total_is_exact = fields.Boolean(required=True, metadata={
        "description": "False: total stopped at 1,000, and the facets are counted among those."})
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    results = fields.List(fields.Nested(ResourceHitSchema), required=True)
    facets = fields.List(fields.Nested(FacetSchema), required=True, metadata={
        "description": "The service types among the results, the most frequent first."})
