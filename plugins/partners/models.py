"""Partners and their contacts, as the guides describe them (a contact belongs to one partner
at most; a partner has any number of contacts)."""

from sqlalchemy.orm import Mapped

from kernel.toolkit import (
    PROVINCES,
    Assignable,
    ChoiceList,
    DuplicateRule,
    Entity,
    Record,
    company_name_key,
    field,
)
from kernel.toolkit import lazy_gettext as _l

PARTNER_TYPES = ChoiceList("partner_type", [
    ("company", _l("Company")), ("consultant", _l("Consultant")), ("organisation", _l("Organisation")),
    ("public_body", _l("Public body")), ("other", _l("Other")),
])
SECTORS = ChoiceList("partner_sector", [
    ("construction", _l("Construction")), ("education", _l("Education")), ("health", _l("Health and social services")),
    ("hospitality", _l("Hospitality and food services")), ("mining", _l("Mining and energy")),
    ("public_administration", _l("Public administration")), ("retail", _l("Retail")),
    ("transport", _l("Transport and logistics")), ("community", _l("Community organisations")),
    ("other", _l("Other")),
])
PARTNER_STATUSES = ChoiceList("partner_status", [
    ("prospect", _l("Prospect")), ("active", _l("Active")), ("inactive", _l("Inactive")),
])


class Partner(Record, Assignable):
    __tablename__ = "partners"
    __entity__ = Entity(
        name="partner", plural="partners", icon="🏢",
        label=_l("Partner"), label_plural=_l("Partners"),
        create_label=_l("Create a partner"), list_label=_l("View partners"),
        title="{name}", default_sort="name", relatable=True, hints=("city",),
        duplicates=DuplicateRule(name_fields=("name",), exact_fields=("email", "phone"),
                                 normalise=company_name_key),
    )

    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True, index=True)
    partner_type: Mapped[str | None] = field("choice", label=_l("Type"), choices=PARTNER_TYPES, list=True,
                                             index=True)
    sector: Mapped[str | None] = field("choice", label=_l("Sector"), choices=SECTORS, list=True, index=True)
    phone: Mapped[str | None] = field("phone", label=_l("Phone"), searchable=True, list=True)
    email: Mapped[str | None] = field("email", label=_l("E-mail"), searchable=True, list=True, index=True)
    website: Mapped[str | None] = field("url", label=_l("Website"))
    street: Mapped[str | None] = field(label=_l("Street"))
    city: Mapped[str | None] = field(label=_l("City"), searchable=True, index=True)
    province: Mapped[str | None] = field("choice", label=_l("Province or territory"), choices=PROVINCES)
    postal_code: Mapped[str | None] = field(label=_l("Postal code"), searchable=True)
    country: Mapped[str | None] = field("country", label=_l("Country"))
    status: Mapped[str | None] = field("choice", label=_l("Status"), choices=PARTNER_STATUSES, list=True,
                                       index=True)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))


class Contact(Record, Assignable):
    __tablename__ = "contacts"
    __entity__ = Entity(
        name="contact", plural="contacts", icon="📇",
        label=_l("Contact"), label_plural=_l("Partner contacts"),
        create_label=_l("Create a partner contact"), list_label=_l("View partner contacts"),
        title="{first_name} {last_name}", default_sort="last_name", relatable=True, permission="partners",
        hints=("partner_id", "city"), person=True,
        duplicates=DuplicateRule(name_fields=("first_name", "last_name"),
                                 exact_fields=("email", "phone", "mobile_phone")),
    )

    first_name: Mapped[str | None] = field(label=_l("First name"), searchable=True, list=True, index=True)
    last_name: Mapped[str] = field(label=_l("Last name"), required=True, searchable=True, list=True, index=True)
    phone: Mapped[str | None] = field("phone", label=_l("Phone"), searchable=True, list=True)
    mobile_phone: Mapped[str | None] = field("phone", label=_l("Mobile phone"), searchable=True)
    job_title: Mapped[str | None] = field(label=_l("Job title"), list=True)
    department: Mapped[str | None] = field(label=_l("Department"))
    email: Mapped[str | None] = field("email", label=_l("E-mail"), searchable=True, list=True, index=True)
    partner_id: Mapped[int | None] = field("reference", label=_l("Partner name"), target="partners", list=True)
    street: Mapped[str | None] = field(label=_l("Street"))
    city: Mapped[str | None] = field(label=_l("City"))
    province: Mapped[str | None] = field("choice", label=_l("Province or territory"), choices=PROVINCES)
    postal_code: Mapped[str | None] = field(label=_l("Postal code"))
    country: Mapped[str | None] = field("country", label=_l("Country"))
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
