"""What every screen of the contact centre shares: its blueprint, finding a contact, the way back
to its screen, and reading submitted field values."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, url_for

from kernel.toolkit import entities, records
from plugins.contactcenter.models import Contact

blueprint = Blueprint("contactcenter", __name__)


def entity(name: str):
    return entities().get(name)


def contact_or_404(contact_id: int) -> Contact:
    contact = records.get(entity("helpline_contact"), contact_id)
    if contact is None:
        abort(404)
    return contact


def screen_url(contact: Contact, tab: str = "details") -> str:
    return url_for("contactcenter.contact_screen", contact_id=contact.id, tab=tab)


def back_to(contact: Contact, tab: str):
    return redirect(screen_url(contact, tab))


def raw_values(target_entity, form, names) -> dict:
    """The submitted values of these fields; empty inputs become ``None``."""
    raw = {}
    for name in names:
        meta = target_entity.fields.get(name)
        if meta is None or not meta.editable:
            continue
        if meta.kind == "boolean":
            raw[name] = name in form
        elif name in form:
            value = form.get(name, "").strip()
            raw[name] = value or None
    return raw

