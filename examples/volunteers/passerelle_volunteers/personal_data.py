"""The volunteers module's part in privacy (docs/privacy.md): a volunteer is a person whose name
and contact details identify them; the client they help is someone else, whose erasure only
clears the link; a client's export says how many volunteers help them and when, never who."""

from kernel.toolkit import IdentifyingData, PersonData, db, entities, hookimpl
from kernel.toolkit import lazy_gettext as _l

__all__ = ["passerelle_identifying_data", "passerelle_person_data"]


@hookimpl
def passerelle_identifying_data():
    return [IdentifyingData("volunteer", fields=("name", "email", "phone", "skills"), detach=("client_id",),
                            keeps=_l("The availability."))]


@hookimpl
def passerelle_person_data(entity, record_id):
    if entity.name != "client":
        return None
    from passerelle_volunteers.models import AVAILABILITY, Volunteer

    labels = dict(AVAILABILITY.all_items())
    helping = db.session.scalars(entities().get("volunteer").active().where(Volunteer.client_id == record_id)
                                 .order_by(Volunteer.id)).all()
    rows = [{str(_l("Availability")): str(labels.get(volunteer.availability, volunteer.availability or ""))}
            for volunteer in helping]
    return [PersonData("volunteers.helping", _l("Volunteers helping you"), rows)] if rows else None
