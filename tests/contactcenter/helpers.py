"""Building blocks of the contact centre tests: lines, resources of the directory, contacts and profiles
made through the kernel's save service, as the application makes them."""

from __future__ import annotations

import re

from sqlalchemy import insert, select

from kernel import records
from kernel.db import db
from kernel.registry import entities
from kernel.testing import give_consent
from plugins.contactcenter import workflow
from plugins.contactcenter.models import Contact, SourceLine
from plugins.directory.models import Agency, Resource, TaxonomyTerm, service_taxonomy


def make_line(code="main", name="Main line", name_fr="Ligne principale") -> SourceLine:
    line = SourceLine(name=name, name_fr=name_fr, code=code, default_channel="phone")
    db.session.add(line)
    db.session.commit()
    return line


def make_term(code: str, name: str, name_fr: str | None = None) -> TaxonomyTerm:
    term = TaxonomyTerm(code=code, name=name, name_fr=name_fr)
    db.session.add(term)
    db.session.commit()
    return term


def make_resource(name: str, term: TaxonomyTerm | None, name_fr: str | None = None, **fields) -> Resource:
    agency = db.session.scalar(select(Agency).limit(1))
    if agency is None:
        agency = Agency(name="Community Help Network")
        db.session.add(agency)
        db.session.flush()
    resource = Resource(name=name, name_fr=name_fr, organization_id=agency.id, **fields)
    db.session.add(resource)
    db.session.flush()
    if term is not None:
        db.session.execute(insert(service_taxonomy).values(service_id=resource.id, term_id=term.id))
    db.session.commit()
    return resource


def make_contact(user, *, line=None, caller="867-979-1234", profile=None, agent=None) -> Contact:
    contact = workflow.start_contact(user, channel="phone", line=line, caller_number=caller, agent=agent or user)
    if profile is not None:
        workflow.choose_profile(contact, profile, user)
    db.session.commit()
    return contact


def make_profile(user, name="Émile Noël", phone="(867) 979-1234", consent=True, **fields):
    """A caller profile who consented to referrals by SMS and e-mail (``consent=False``: no consent)."""
    profile = records.create(entities().get("caller_profile"), {"name": name, "phone": phone, **fields}, user)
    if consent:
        give_consent("caller_profile", profile.id, "sms_referrals", "email_referrals", user=user)
    db.session.commit()
    return profile


def fresh(model, record_id):
    db.session.expire_all()
    return db.session.get(model, record_id)


def form_actions(page: str) -> list[str]:
    """The actions of the forms of a page (to check what a closed contact still offers)."""
    return re.findall(r'<form[^>]*action="([^"]+)"', page)
