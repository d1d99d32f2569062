"""A person's consents in their own data: given back in their export; when they are anonymised
the decisions stay (they name no one) but their free-text notes are emptied, and deleted with them."""

from __future__ import annotations

from sqlalchemy import delete, select, update

from kernel.toolkit import CONSENT_PURPOSES, IdentifyingData, PersonData, db, entities
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l


def consent_declarations() -> list[IdentifyingData]:
    return [IdentifyingData(entity.name, dependants=_consents_of(entity.name)) for entity in entities() if entity.person]


def _consents_of(entity_name: str):
    def forget(ids, deleting) -> dict:
        from plugins.privacy.consent.models import Consent

        mine = (Consent.entity == entity_name) & Consent.record_id.in_(ids)
        if deleting:
            removed = db.session.execute(delete(Consent).where(mine)).rowcount
            return {_l("Consents deleted"): removed} if removed else {}
        db.session.execute(update(Consent).where(mine, Consent.note.is_not(None)).values(note=None))
        return {}
    return forget


def consent_rows(entity, record_id: int) -> list[PersonData] | None:
    from plugins.privacy.consent.models import CHANNELS, Consent

    consents = db.session.scalars(select(Consent).where(Consent.entity == entity.name, Consent.record_id == record_id)
                                  .order_by(Consent.id)).all()
    if not consents:
        return None
    channels, purposes = dict(CHANNELS.all_items()), dict(CONSENT_PURPOSES.all_items())
    rows = [{_("Purpose"): str(purposes.get(consent.purpose, consent.purpose)), _("Partner organisation"): consent.scope or "",
             _("Given"): _("Yes") if consent.given else _("No"), _("Date"): consent.decided_on.isoformat(),
             _("Channel"): str(channels.get(consent.channel, consent.channel)),
             _("Expires on"): consent.expires_on.isoformat() if consent.expires_on else "",
             _("Note"): consent.note or ""} for consent in consents]
    return [PersonData("privacy.consents", _l("Consents"), rows)]
