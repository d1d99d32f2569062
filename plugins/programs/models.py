"""Programme and service catalogues, participations and service records."""

from datetime import date

from sqlalchemy.orm import Mapped

from kernel.toolkit import (
    Assignable,
    ChoiceList,
    Entity,
    Record,
    bilingual_title,
    end_not_before_start,
    field,
)
from kernel.toolkit import lazy_gettext as _l

RELATED_TO = ("client", "partner")
PARTICIPATION_STATUSES = ChoiceList("participation_status", [
    ("registered", _l("Registered")), ("in_progress", _l("In progress")), ("completed", _l("Completed")),
    ("withdrawn", _l("Withdrawn")),
])


class Programme(Record):
    __tablename__ = "programmes"
    __entity__ = Entity(
        name="programme", plural="programmes", icon="🎓", label=_l("Programme"), label_plural=_l("Programmes"),
        create_label=_l("Create a programme"), list_label=_l("View programmes"),
        title=bilingual_title("name_fr", "name_en"), default_sort="name_fr", permission="programs",
    )

    name_fr: Mapped[str] = field(label=_l("Name in French"), required=True, searchable=True, list=True, index=True)
    name_en: Mapped[str | None] = field(label=_l("Name in English"), searchable=True, list=True)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
    active: Mapped[bool] = field("boolean", label=_l("Active"), list=True, default=True)


class Participation(Record, Assignable):
    __tablename__ = "programme_participations"
    __entity__ = Entity(
        name="participation", plural="participations", icon="🎓",
        label=_l("Programme participation"), label_plural=_l("Programme participations"),
        create_label=_l("Add a participation"), list_label=_l("View participations"),
        title="#{id}", default_sort="-start_date", permission="programs",
        validators=(end_not_before_start("start_date", "end_date"),),
    )

    related_to: Mapped[str] = field("related", label=_l("Client or partner"), targets=RELATED_TO, required=True,
                                    list=True)
    programme_id: Mapped[int] = field("reference", label=_l("Programme"), target="programmes", required=True,
                                      list=True)
    start_date: Mapped[date] = field("date", label=_l("Start date"), required=True, list=True, index=True)
    end_date: Mapped[date | None] = field("date", label=_l("End date"), list=True)
    status: Mapped[str | None] = field("choice", label=_l("Status"), choices=PARTICIPATION_STATUSES, list=True,
                                       index=True)
    notes: Mapped[str | None] = field("longtext", label=_l("Notes"))


class Service(Record):
    __tablename__ = "services"
    __entity__ = Entity(
        name="service", plural="services", icon="🧰", label=_l("Service"), label_plural=_l("Services"),
        create_label=_l("Create a service"), list_label=_l("View services"),
        title=bilingual_title("name_fr", "name_en"), default_sort="name_fr", permission="programs",
    )

    name_fr: Mapped[str] = field(label=_l("Name in French"), required=True, searchable=True, list=True, index=True)
    name_en: Mapped[str | None] = field(label=_l("Name in English"), searchable=True, list=True)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
    active: Mapped[bool] = field("boolean", label=_l("Active"), list=True, default=True)


class ServiceRecord(Record, Assignable):
    __tablename__ = "service_records"
    __entity__ = Entity(
        name="service_record", plural="service-records", icon="🧰",
        label=_l("Service obtained"), label_plural=_l("Services obtained"),
        create_label=_l("Record a service"), list_label=_l("View services obtained"),
        title="{activity_number}", default_sort="-start_date", permission="programs",
        validators=(end_not_before_start("start_date", "end_date"),),
    )

    activity_number: Mapped[str] = field(
        label=_l("Activity number"), required=True, identifier=True, suggest_next=True, searchable=True, list=True,
        help=_l("Each activity has its own number; reports rely on it."))
    related_to: Mapped[str] = field("related", label=_l("Client or partner"), targets=RELATED_TO, required=True,
                                    list=True)
    service_id: Mapped[int] = field("reference", label=_l("Service"), target="services", required=True, list=True)
    start_date: Mapped[date] = field("date", label=_l("Start date"), required=True, list=True, index=True)
    end_date: Mapped[date | None] = field("date", label=_l("End date"), list=True)
    notes: Mapped[str | None] = field("longtext", label=_l("Notes"))
