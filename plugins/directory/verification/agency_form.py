"""The agency's verification form, opened through its secure link: its records as they stand
(loaded in a few queries, whatever the number of services), and what it answers: "all correct", or
proposed changes stored for a resource manager's review (never applied here)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from marshmallow import ValidationError
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from kernel.toolkit import db, entities, records, secure_links, utcnow
from plugins.directory.cards import in_language
from plugins.directory.hours import hours_text
from plugins.directory.models import Agency, Resource, Site, languages, phones, schedules, service_at_location
from plugins.directory.verification import structured
from plugins.directory.verification.models import (
    CHANGES,
    CONFIRMED,
    PURPOSE,
    VerificationProposal,
    VerificationRequest,
)
from plugins.directory.verification.service import (
    PROPOSABLE,
    clean_value,
    field_label,
    mark_agency_records_verified,
    services_of,
)


@dataclass
class ServiceView:
    service: Resource
    name: str
    phones: list = field(default_factory=list)
    hours: list = field(default_factory=list)
    sites: list = field(default_factory=list)
    languages: list = field(default_factory=list)
    values: dict = field(default_factory=dict)  # phones, hours, languages as the inputs show them
    own_sites: list = field(default_factory=list)  # the places whose address inputs this service shows


def open_request(token: str):
    """The link, its agency and its request; 404 when any is gone (the link's own 404/410 first)."""
    link = secure_links.open_link(PURPOSE, token)
    agency = db.session.get(Agency, link.record_id)
    request = db.session.scalar(select(VerificationRequest).where(VerificationRequest.link_id == link.id))
    if agency is None or agency.deleted_at is not None or request is None:
        raise NotFound()
    if request.opened_at is None:
        request.opened_at = utcnow()
    return link, agency, request


def _grouped(query, key: str) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    for row in db.session.execute(query):
        grouped[row._mapping[key]].append(dict(row._mapping))
    return grouped


def sites_of_services(ids: list[int]) -> dict[int, list[Site]]:
    """Each service's places (one query), in the order they were linked."""
    sites = defaultdict(list)
    if ids:
        for service_id, site in db.session.execute(
                select(service_at_location.c.service_id, Site).join(Site, Site.id == service_at_location.c.location_id)
                .where(service_at_location.c.service_id.in_(ids), Site.deleted_at.is_(None))
                .order_by(service_at_location.c.id)):
            sites[service_id].append(site)
    return sites


def own_sites(services: list[Resource], sites: dict[int, list[Site]]) -> dict[int, list[Site]]:
    """A place several services share is shown (and proposed) once, with the first of them."""
    seen, owned = set(), {}
    for service in services:
        owned[service.id] = [site for site in sites.get(service.id, []) if site.id not in seen]
        seen |= {site.id for site in owned[service.id]}
    return owned


def service_views(agency_id: int, form=None) -> list[ServiceView]:
    """The agency's services as its form shows them; with ``form`` (a refused answer), the
    structured inputs show what was typed."""
    from plugins.directory.resource_form import language_name

    services = services_of(agency_id)
    ids = [service.id for service in services]
    if not ids:
        return []
    service_phones, service_hours, service_languages = rows_of_services(ids)
    current = current_values_of(ids, (service_phones, service_hours, service_languages))
    sites = sites_of_services(ids)
    owned = own_sites(services, sites)
    return [ServiceView(service, in_language(service, "name"), service_phones.get(service.id, []),
                        hours_text(service_hours.get(service.id, [])), sites.get(service.id, []),
                        [language_name(row["code"], row["name"]) for row in service_languages.get(service.id, [])],
                        structured.parse(form, service, current[service.id])[0] if form is not None
                        else current[service.id],
                        owned[service.id])
            for service in services]


def rows_of_services(ids: list[int]) -> tuple[dict, dict, dict]:
    """The services' phones, schedules and languages, ``{service id: [row, …]}``: three queries."""
    return (_grouped(select(phones).where(phones.c.service_id.in_(ids)), "service_id"),
            _grouped(select(schedules).where(schedules.c.service_id.in_(ids)), "service_id"),
            _grouped(select(languages).where(languages.c.service_id.in_(ids)), "service_id"))


def current_values_of(ids: list[int], rows: tuple[dict, dict, dict] | None = None) -> dict[int, dict]:
    """Each service's phones, weekly hours and languages as the resource form reads them."""
    service_phones, service_hours, service_languages = rows or rows_of_services(ids)
    return {service_id: structured.values_of_rows(service_phones.get(service_id, []),
                                                  service_hours.get(service_id, []),
                                                  service_languages.get(service_id, []))
            for service_id in ids}


def form_key(kind: str, record_id: int, name: str) -> str:
    return f"{kind}-{record_id}-{name}"


def proposed_changes(form, kind: str, record) -> dict:
    """The fields the agency changed on this record's part of the form (unchanged ones are left out)."""
    changes = {}
    for name in PROPOSABLE[kind]:
        key = form_key(kind, record.id, name)
        if key not in form:
            continue
        proposed = clean_value(form.get(key))
        if proposed != (getattr(record, name) or None):
            changes[name] = proposed
    return changes


def check_changes(kind: str, record, changes: dict) -> dict:
    """{form key: message} of the proposed values a save would refuse (a bad e-mail, an empty name)."""
    if not changes:
        return {}
    try:
        records.validate(entities().get(kind), changes, partial=True, record=record)
    except ValidationError as error:
        return {form_key(kind, record.id, name): " ".join(str(m) for m in (text if isinstance(text, list) else [text]))
                for name, text in error.normalized_messages().items()}
    return {}


def collect_proposals(form, agency: Agency, services: list[Resource]) -> tuple[list[dict], dict]:
    """(proposals, errors): one proposal per record the agency changed or commented on."""
    proposals, errors = [], {}
    ids = [service.id for service in services]
    owned = own_sites(services, sites_of_services(ids))
    current = current_values_of(ids) if ids else {}
    for kind, record in [("agency", agency), *(("resource", service) for service in services)]:
        changes = proposed_changes(form, kind, record)
        errors |= check_changes(kind, record, changes)
        if kind == "resource":
            _shown, rows_changed, rows_errors = structured.parse(form, record, current[record.id])
            sites_changed, sites_errors = structured.parse_sites(form, owned[record.id])
            changes |= rows_changed | sites_changed
            errors |= rows_errors | sites_errors
        comment = clean_value(form.get(form_key(kind, record.id, "comment")))
        if changes or comment:
            proposals.append({"entity": kind, "record_id": record.id, "changes": changes, "comment": comment})
    return proposals, errors


def confirm(request: VerificationRequest, agency: Agency) -> None:
    mark_agency_records_verified(agency)
    _answered(request, CONFIRMED)


def propose(request: VerificationRequest, agency: Agency, proposals: list[dict]) -> None:
    """Store the proposals; the records the agency left unchanged are verified now, by the agency."""
    for proposal in proposals:
        db.session.add(VerificationProposal(request_id=request.id, organization_id=agency.id, **proposal))
    mark_agency_records_verified(agency, except_ids={(p["entity"], p["record_id"]) for p in proposals})
    _answered(request, CHANGES)


def _answered(request: VerificationRequest, outcome: str) -> None:
    request.answered_at, request.outcome = utcnow(), outcome


def labels(kind: str) -> dict[str, str]:
    return {name: field_label(kind, name) for name in PROPOSABLE[kind]}
