"""A confidentiality incident: what happened, to whom and to which information, the risk of
serious injury, the notifications made and the measures taken."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Mapped

from kernel.toolkit import Assignable, ChoiceList, Entity, Record, end_not_before_start, field
from kernel.toolkit import lazy_gettext as _l

PERMISSION = "privacy.incidents"  # privacy.incidents.view, .create, .edit, .delete: administrators

KINDS = ChoiceList("privacy_incident_kind", [
    ("access", _l("Access not authorised by law")),
    ("use", _l("Use not authorised by law")),
    ("disclosure", _l("Disclosure not authorised by law")),
    ("loss", _l("Loss of personal information")),
    ("other", _l("Other breach of its protection")),
])

RISKS = ChoiceList("privacy_incident_risk", [
    ("not_assessed", _l("Not assessed yet")),
    ("low", _l("No risk of serious injury")),
    ("serious", _l("Risk of serious injury")),
])

STATUSES = ChoiceList("privacy_incident_status", [
    ("open", _l("Open")),
    ("closed", _l("Closed")),
])


class Incident(Record, Assignable):
    __tablename__ = "privacy_incidents"
    __entity__ = Entity(
        name="privacy_incident", plural="privacy-incidents", icon="shield-alert",
        label=_l("Confidentiality incident"), label_plural=_l("Confidentiality incidents"),
        create_label=_l("Record an incident"), list_label=_l("View the incident register"),
        title="{summary}", default_sort="-occurred_on", permission=PERMISSION,
        validators=(end_not_before_start("occurred_on", "discovered_on"),
                    end_not_before_start("discovered_on", "commission_notified_on"),
                    end_not_before_start("discovered_on", "people_notified_on")),
    )

    summary: Mapped[str] = field(label=_l("Summary"), required=True, searchable=True, list=True)
    occurred_on: Mapped[date] = field("date", label=_l("Date of the incident"), required=True, list=True,
                                      index=True, help=_l("When it happened, or began, as far as known."))
    discovered_on: Mapped[date | None] = field("date", label=_l("Date it was discovered"), index=True)
    kind: Mapped[str] = field("choice", label=_l("Kind of incident"), choices=KINDS, required=True, list=True,
                              index=True)
    description: Mapped[str] = field("longtext", label=_l("What happened"), required=True,
                                     help=_l("The circumstances, and how the organisation learnt of it."))
    people_concerned: Mapped[str | None] = field(
        "longtext", label=_l("People concerned"), help=_l("Who they are (clients, callers, staff…)."))
    people_count: Mapped[int | None] = field("integer", label=_l("Number of people concerned"), list=True)
    data_concerned: Mapped[str | None] = field(
        "longtext", label=_l("Personal information concerned"),
        help=_l("Which information (names, contact details, case notes, health…), or a description of it."))
    risk: Mapped[str] = field("choice", label=_l("Risk of serious injury"), choices=RISKS, required=True,
                              list=True, index=True, default="not_assessed")
    risk_assessment: Mapped[str | None] = field(
        "longtext", label=_l("Assessment of the risk"),
        help=_l("How sensitive the information is, the foreseeable consequences of its use, and how likely "
                "it is to be used to cause harm."))
    commission_notified_on: Mapped[date | None] = field(
        "date", label=_l("Date the Commission was notified"),
        help=_l("The Commission d’accès à l’information, promptly when there is a risk of serious injury."))
    people_notified_on: Mapped[date | None] = field("date", label=_l("Date the people concerned were notified"))
    notifications: Mapped[str | None] = field(
        "longtext", label=_l("Notifications made"),
        help=_l("To whom (the Commission, the people concerned, others who could reduce the risk), how, and "
                "what was said."))
    measures: Mapped[str | None] = field(
        "longtext", label=_l("Measures taken"),
        help=_l("To reduce the risk of injury, and so that it does not happen again."))
    status: Mapped[str] = field("choice", label=_l("Status"), choices=STATUSES, required=True, list=True,
                                index=True, default="open")
