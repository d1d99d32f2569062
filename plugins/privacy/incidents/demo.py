"""A demo incident in the register, closed, with its assessment, notifications and measures, so
that the register shows what a complete entry looks like."""

from __future__ import annotations

from datetime import timedelta

from kernel.toolkit import clock
from plugins.privacy.incidents.models import Incident


def demo_incidents(users: dict) -> list[Incident]:
    today = clock.today()
    officer = users.get("administrator")
    return [Incident(
        summary="Plan d’action envoyé au mauvais partenaire",
        occurred_on=today - timedelta(days=40), discovered_on=today - timedelta(days=39), kind="disclosure",
        description="Une conseillère a envoyé par courriel le plan d’action d’une cliente à un partenaire qui "
                    "ne la suit pas (adresse proposée par la saisie automatique).",
        people_concerned="Une cliente du service d’aide à l’emploi.", people_count=1,
        data_concerned="Nom, objectif d’emploi, obstacles à l’emploi (dont un obstacle de santé).",
        risk="serious",
        risk_assessment="Renseignement de santé, donc sensible\u00a0; le destinataire est un organisme tenu à la "
                        "confidentialité, qui a confirmé la suppression\u00a0: risque réduit mais réel.",
        commission_notified_on=today - timedelta(days=38), people_notified_on=today - timedelta(days=38),
        notifications="Commission d’accès à l’information\u00a0: formulaire d’avis. Cliente\u00a0: appel de sa conseillère, "
                      "puis lettre.",
        measures="Confirmation écrite de la suppression par le partenaire\u00a0; saisie automatique des adresses "
                 "désactivée\u00a0; rappel à l’équipe.",
        status="closed", assigned_user_id=getattr(officer, "id", None),
    )]
