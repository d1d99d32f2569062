"""The volunteer record, and what reports count of it."""

from sqlalchemy import func, select
from sqlalchemy.orm import Mapped

from kernel.toolkit import ChoiceList, Entity, Record, entities, field
from kernel.toolkit import lazy_gettext as _l

AVAILABILITY = ChoiceList("volunteer_availability", [
    ("weekdays", _l("Weekdays")), ("evenings", _l("Evenings")), ("weekends", _l("Weekends")),
])


class Volunteer(Record):
    __tablename__ = "volunteers"
    __entity__ = Entity(name="volunteer", plural="volunteers", label=_l("Volunteer"),
                        label_plural=_l("Volunteers"), title="{name}", icon="hand-heart",
                        create_label=_l("Add a volunteer"), list_label=_l("View volunteers"),
                        person=True)
    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True)
    email: Mapped[str | None] = field("email", label=_l("E-mail"), searchable=True, list=True)
    phone: Mapped[str | None] = field("phone", label=_l("Phone"), searchable=True)
    availability: Mapped[str | None] = field("choice", label=_l("Availability"), choices=AVAILABILITY,
                                             list=True, filterable=True)
    skills: Mapped[str | None] = field("longtext", label=_l("Skills"),
                                       help=_l("Languages spoken, trades, a driving licence…"))
    client_id: Mapped[int | None] = field("reference", label=_l("Client helped"), target="clients", list=True)


def volunteer_count(period):
    """Report column: how many volunteers help the client (whatever the report's period)."""
    client = entities().get("client").model
    return (select(func.count(Volunteer.id))
            .where(Volunteer.client_id == client.id, Volunteer.deleted_at.is_(None))
            .scalar_subquery())
