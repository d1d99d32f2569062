"""Records for the verification cycle's tests: an agency with an e-mail address and its services,
verified (or created) long ago or recently."""

from datetime import timedelta

from sqlalchemy import select

from kernel.db import db, utcnow
from plugins.directory.models import Agency, Resource

LONG_AGO = timedelta(days=500)


def agency_with_services(name="Food Bank North", email="info@foodbank.example", *, age=LONG_AGO, services=2,
                         verified_ago=None, language=None):
    """An agency created ``age`` ago (verified ``verified_ago`` ago when given) and its services."""
    created = utcnow() - age
    verified = utcnow() - verified_ago if verified_ago is not None else None
    agency = Agency(name=name, email=email, created_at=created, updated_at=created, last_verified_at=verified,
                    language=language)
    db.session.add(agency)
    db.session.flush()
    for number in range(services):
        db.session.add(Resource(name=f"{name} service {number + 1}", organization_id=agency.id, created_at=created,
                                updated_at=created, last_verified_at=verified, description="Meals every day",
                                eligibility_description="Anyone", fees_description="Free"))
    db.session.commit()
    return agency


def services_of(agency):
    return list(db.session.scalars(select(Resource).where(Resource.organization_id == agency.id)
                                   .order_by(Resource.id)))
