"""Volunteers: who helps, when, with what skills, and which client they help.

An example module, written as a third party would: a separate package importing the kernel only
through ``kernel.toolkit``. It is opt-in (``ENABLED_BY_DEFAULT = False``): installed, it stays off
until ``PASSERELLE_PLUGINS`` names it ("*, volunteers").
"""

from flask import url_for

from kernel.toolkit import (
    Dashlet,
    ModulePlacement,
    Panel,
    ReportColumn,
    Slot,
    db,
    entities,
    hookimpl,
    record_permissions,
    require_toolkit,
)
from kernel.toolkit import lazy_gettext as _l

require_toolkit(1, 2)  # IdentifyingData, PersonData (privacy)

LABEL = _l("Volunteers")
REQUIRES = ("clients",)
ORDER = 60
ENABLED_BY_DEFAULT = False


@hookimpl
def passerelle_entities():
    from passerelle_volunteers.models import Volunteer

    return [Volunteer]


@hookimpl
def passerelle_permissions():
    return record_permissions("volunteers", _l("volunteers"))


@hookimpl
def passerelle_menu_placements():
    return [ModulePlacement("volunteer", "clients", icon="hand-heart")]


@hookimpl
def passerelle_record_panels(entity, record, user):
    """On a client's page, the volunteers helping them, with their availability and skills (in
    place of the kernel's plain list of the records pointing at the client)."""
    from passerelle_volunteers.models import AVAILABILITY

    if entity.name != "client" or not user.can("volunteers.view"):
        return None
    volunteer = entities().get("volunteer")
    helping = volunteer.active().where(volunteer.model.client_id == record.id).order_by(volunteer.model.name)
    actions = []
    if user.can("volunteers.create"):
        actions.append((_l("Add a volunteer"), url_for("records.create_record", plural="volunteers",
                                                       client_id=record.id)))
    # the panel names its read; the kernel sends it with the page's others (one statement)
    return [Panel("volunteers", _l("Volunteers helping"), "volunteers/panel.html", {"availability": AVAILABILITY},
                  actions=actions, replaces=("linked-volunteer-client_id",), reads={"volunteers": helping},
                  build=lambda found: {"volunteers": found["volunteers"]})]


@hookimpl
def passerelle_report_columns():
    from passerelle_volunteers.models import volunteer_count

    return [ReportColumn("client", "volunteers", _l("Volunteers (number)"), volunteer_count,
                         permission="volunteers.view")]


@hookimpl
def passerelle_dashlets():
    return [Dashlet("volunteers:newest", _l("New volunteers"), newest_volunteers, "volunteers.view")]


def newest_volunteers(user):
    volunteer = entities().get("volunteer")
    newest = db.session.scalars(volunteer.active().order_by(volunteer.model.id.desc()).limit(5)).all()
    return "volunteers/dashlet.html", {"volunteers": newest}


@hookimpl
def passerelle_template_slots():
    return [Slot("list_buttons", "volunteers/find_button.html", permission="volunteers.view",
                 entities=("client",))]
from passerelle_volunteers.personal_data import passerelle_identifying_data, passerelle_person_data  # noqa: E402, F401


@hookimpl
def passerelle_consent_purposes():
    """A purpose of its own: a client's consent to being put in touch with a volunteer."""
    return [("volunteer_matching", _l("Being matched with a volunteer"))]
