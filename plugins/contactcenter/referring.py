"""The "Refer" buttons: this plugin fills the kernel's template slot ``result_card_actions`` of
resources (the directory's result cards and resource page) with a button referring the caller of
the agent's active contact (``templates/contactcenter/_refer_button.html``)."""

from __future__ import annotations

from flask import request, session, url_for
from flask_login import current_user

from kernel.toolkit import Panel, db, once_per_request
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.models import OPEN, Contact


def refer_target() -> Contact | None:
    """The open contact a "Refer" button refers for: the one named in the address (the contact
    screen's Resources tab), else the last contact screen the agent opened."""
    return once_per_request("contactcenter_refer_target", _find_refer_target)


def _find_refer_target() -> Contact | None:
    if not (current_user.is_authenticated and current_user.can("contactcenter.edit")):
        return None
    contact_id = request.args.get("contact", type=int) or session.get("helpline_contact")
    contact = db.session.get(Contact, contact_id) if contact_id else None
    return contact if contact is not None and contact.deleted_at is None and contact.status == OPEN else None


def contact_screen_panel(entity, record, user) -> list[Panel] | None:
    """On a contact's record page, the way to its working screen."""
    if entity.name != "helpline_contact" or not user.can("contactcenter.view"):
        return None
    url = url_for("contactcenter.contact_screen", contact_id=record.id)
    return [Panel("contactcenter_screen", _l("Contact screen"), "contactcenter/_screen_panel.html", {"url": url},
                  actions=[(_l("Open the contact screen"), url)], order=10)]
