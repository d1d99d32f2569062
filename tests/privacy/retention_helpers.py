"""Building blocks of the retention, export and erasure tests: a caller with a closed contact
that names them everywhere a name can go, and a scan of every table and index for a word."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import JSON, LargeBinary, String, Text, func, inspect, select, text
from sqlalchemy.types import NullType

from kernel import records
from kernel.db import db
from kernel.outbox import OutboxMessage
from kernel.registry import entities
from plugins.contactcenter import workflow
from plugins.contactcenter.models import Contact, Need, Referral, SourceLine
from plugins.directory.models import Agency, Resource, TaxonomyTerm

CALLER = "Gisèle Tremblay-Okpik"
PHONE = "(867) 979-5555"
EMAIL = "gisele.tremblay@example.org"
TRACES = ("tremblay", "okpik", "8679795555", "979-5555", "gisele.tremblay")


def a_line() -> SourceLine:
    line = SourceLine(name="Main line", name_fr="Ligne principale", code="main", default_channel="phone")
    db.session.add(line)
    db.session.commit()
    return line


def a_term(code="housing", name="Housing") -> TaxonomyTerm:
    term = TaxonomyTerm(code=code, name=name)
    db.session.add(term)
    db.session.commit()
    return term


def a_resource(name="Shelter on Main") -> Resource:
    agency = Agency(name="Community Help Network")
    db.session.add(agency)
    db.session.flush()
    resource = Resource(name=name, organization_id=agency.id)
    db.session.add(resource)
    db.session.commit()
    return resource


def a_profile(user, name=CALLER, phone=PHONE, email=EMAIL, **fields):
    profile = records.create(entities().get("caller_profile"),
                             {"name": name, "phone": phone, "email": email, "postal_code": "X0A 0H0",
                              "preferred_language": "fr", **fields}, user)
    db.session.commit()
    return profile


def a_closed_contact(user, profile, line, term, resource, *, started=datetime(2024, 3, 5, 14, 0),
                     note=f"{CALLER} called about housing.") -> Contact:
    contact = workflow.start_contact(user, channel="phone", line=line, caller_number=profile.phone, agent=user)
    workflow.choose_profile(contact, profile, user)
    contact.started_at = started
    contact.notes = note
    db.session.add(Need(contact_id=contact.id, term_id=term.id, is_primary=True))
    message = OutboxMessage(channel="sms", recipient=profile.phone or "", body=f"{CALLER}: {resource.name}, 555-0100")
    reminder = OutboxMessage(channel="sms", recipient="+18679795555", body=f"Reminder for {CALLER}: call us back")
    db.session.add_all([message, reminder])
    db.session.flush()
    db.session.add(Referral(contact_id=contact.id, resource_id=resource.id, profile_id=profile.id,
                            sms_message_id=message.id))
    contact.status, contact.ended_at = "closed", started.replace(hour=15)
    db.session.commit()
    return contact


def monthly_counts() -> Counter:
    """What the monthly report counts: contacts by month, line and channel, and needs by type."""
    counts = Counter()
    for started, line_id, channel in db.session.execute(select(Contact.started_at, Contact.line_id, Contact.channel)):
        counts[("contacts", started.year, started.month, line_id, channel)] += 1
    for term_id, number in db.session.execute(select(Need.term_id, func.count()).group_by(Need.term_id)):
        counts[("needs", term_id)] += number
    return counts


def traces_of(words=TRACES) -> list[str]:
    """``table.column`` of every text, JSON or binary column, in every table of the database (the
    full-text index's own tables included), holding one of ``words`` (any case)."""
    connection = db.session.connection()
    found = []
    tables = inspect(connection).get_table_names()
    for table in tables:
        for column in inspect(connection).get_columns(table):
            kind = column["type"]
            if not isinstance(kind, (String, Text, JSON, LargeBinary, NullType)):
                continue
            name = connection.dialect.identifier_preparer.quote(column["name"])
            quoted = connection.dialect.identifier_preparer.quote(table)
            cast = "CAST({} AS TEXT)" if connection.dialect.name == "postgresql" else "CAST({} AS BLOB)"
            as_text = cast.format(name)
            for word in words:
                like = f"%{word}%"
                hit = connection.execute(text(f"SELECT 1 FROM {quoted} WHERE lower({as_text}) LIKE :like LIMIT 1"),
                                         {"like": like}).first()
                if hit is not None:
                    found.append(f"{table}.{column['name']} ({word})")
    return found


def search_index_finds(word: str) -> bool:
    """Whether the quick-search index of caller profiles and contacts still finds ``word``."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return any(db.session.scalar(select(func.count()).select_from(model).where(model.search_text.contains(word)))
                   for model in (entities().get("caller_profile").model, Contact))
    hits = 0
    for table in ("contactcenter_profiles_search", "contactcenter_contacts_search"):
        hits += connection.execute(text(f"SELECT count(*) FROM {table} WHERE {table} MATCH :query"),
                                   {"query": f'"{word}"'}).scalar()
    return hits > 0
