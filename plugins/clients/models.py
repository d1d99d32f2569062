"""The client record, as the guides and a newcomer-services organisation describe it."""

from datetime import date

from sqlalchemy.orm import Mapped

from kernel.toolkit import PROVINCES, Assignable, ChoiceList, DuplicateRule, Entity, Record, field
from kernel.toolkit import lazy_gettext as _l

LANGUAGES = ChoiceList("client_language", [
    ("fr", _l("French")), ("en", _l("English")), ("iu", _l("Inuktitut")), ("other", _l("Other")),
])
GENDERS = ChoiceList("gender", [
    ("woman", _l("Woman")), ("man", _l("Man")), ("non_binary", _l("Non-binary")),
    ("undisclosed", _l("Prefers not to say")),
])
IMMIGRATION_STATUSES = ChoiceList("immigration_status", [
    ("permanent_resident", _l("Permanent resident")), ("citizen", _l("Canadian citizen")),
    ("protected_person", _l("Protected person / refugee")), ("refugee_claimant", _l("Refugee claimant")),
    ("work_permit", _l("Temporary worker")), ("study_permit", _l("International student")),
    ("visitor", _l("Visitor")), ("other", _l("Other")),
])
EMPLOYMENT_STATUSES = ChoiceList("employment_status", [
    ("job_seeker", _l("Looking for work")), ("employed_full_time", _l("Employed full time")),
    ("employed_part_time", _l("Employed part time")), ("self_employed", _l("Self-employed")),
    ("student", _l("Student")), ("not_looking", _l("Not looking for work")),
])
FILE_STATUSES = ChoiceList("client_file_status", [
    ("open", _l("Open")), ("in_progress", _l("In progress")), ("on_hold", _l("On hold")),
    ("closed", _l("Closed")),
])
CLIENT_STATUSES = ChoiceList("client_status", [
    ("new", _l("New")), ("active", _l("Active")), ("inactive", _l("Inactive")),
])


class Client(Record, Assignable):
    __tablename__ = "clients"
    __entity__ = Entity(
        name="client", plural="clients", icon="👤",
        label=_l("Client"), label_plural=_l("Clients"),
        create_label=_l("Create a client"), list_label=_l("View clients"),
        title="{first_name} {last_name}", default_sort="last_name", relatable=True, hints=("city", "date_of_birth"),
        sensitive=True, person=True,
        duplicates=DuplicateRule(name_fields=("first_name", "last_name"),
                                 exact_fields=("email", "phone", "mobile_phone")),
    )

    first_name: Mapped[str | None] = field(label=_l("First name"), searchable=True, list=True, index=True)
    last_name: Mapped[str] = field(label=_l("Last name"), required=True, searchable=True, list=True, index=True)
    preferred_language: Mapped[str | None] = field("choice", label=_l("Preferred language"), choices=LANGUAGES)
    date_of_birth: Mapped[date | None] = field("date", label=_l("Date of birth"))
    gender: Mapped[str | None] = field("choice", label=_l("Gender"), choices=GENDERS)
    phone: Mapped[str | None] = field("phone", label=_l("Phone"), searchable=True, list=True)
    mobile_phone: Mapped[str | None] = field("phone", label=_l("Mobile phone"), searchable=True)
    email: Mapped[str | None] = field("email", label=_l("E-mail"), searchable=True, list=True, index=True)
    street: Mapped[str | None] = field(label=_l("Street"))
    city: Mapped[str | None] = field(label=_l("City"), index=True)
    province: Mapped[str | None] = field("choice", label=_l("Province or territory"), choices=PROVINCES)
    postal_code: Mapped[str | None] = field(label=_l("Postal code"), searchable=True)
    country: Mapped[str | None] = field("country", label=_l("Country"))
    country_of_origin: Mapped[str | None] = field("country", label=_l("Country of origin"), index=True)
    arrival_date: Mapped[date | None] = field("date", label=_l("Arrival date"))
    immigration_status: Mapped[str | None] = field(
        "choice", label=_l("Immigration status"), choices=IMMIGRATION_STATUSES, index=True)
    employment_status: Mapped[str | None] = field(
        "choice", label=_l("Employment status"), choices=EMPLOYMENT_STATUSES, index=True)
    file_status: Mapped[str | None] = field(
        "choice", label=_l("File status"), choices=FILE_STATUSES, list=True, index=True)
    client_status: Mapped[str | None] = field(
        "choice", label=_l("Client status"), choices=CLIENT_STATUSES, list=True, index=True)
    cv_up_to_date: Mapped[bool] = field("boolean", label=_l("CV up to date"), list=True)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
