"""Demo retention: a rule an organisation would start from (left inactive, so the demo's records
stay as they are until an administrator turns it on) and a legal hold on one client, so that both
screens show what a complete entry looks like."""

from __future__ import annotations

from sqlalchemy import select

from kernel.toolkit import entities
from plugins.privacy.retention.models import LegalHold, RetentionRule


def demo_rules() -> list[RetentionRule]:
    rules = []
    if entities().get("helpline_contact") is not None:
        rules.append(RetentionRule(
            entity_name="helpline_contact", event="closed", months=24, action="anonymise", active=False,
            note="Politique de confidentialité de la ligne\u00a0: les appels sont anonymisés deux ans après "
                 "leur fermeture\u00a0; les statistiques mensuelles restent exactes."))
    if entities().get("case_file") is not None:
        rules.append(RetentionRule(
            entity_name="case_file", event="closed", months=84, action="anonymise", active=False,
            note="Entente de financement\u00a0: dossiers conservés sept ans après la fermeture."))
    return rules


def demo_holds(session) -> list[LegalHold]:
    client = entities().get("client")
    if client is None:
        return []
    first_id = session.scalar(select(client.model.id).order_by(client.model.id).limit(1))
    if first_id is None:
        return []
    return [LegalHold(entity_name="client", record_id=first_id,
                      reason="Demande d’accès en cours\u00a0: conserver le dossier jusqu’à la réponse.")]
