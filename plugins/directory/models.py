"""Community resources modelled on Open Referral HSDS 3: agencies offer services, delivered at
locations, with phones, schedules, service areas, languages and taxonomy terms.

Agencies, services, locations and taxonomy terms are kernel entities (generic list, filters,
export, history, API). The rows that only describe a service (phones, schedules, areas,
languages) and the link tables are plain tables, written by the HSDS import."""



from datetime import datetime

from sqlalchemy import JSON, Column, Date, Float, ForeignKey, Index, Integer, String, Table, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from kernel.toolkit import LANGUAGES, Base, ChoiceList, Entity, Record, bilingual_title, field
from kernel.toolkit import lazy_gettext as _l

PERMISSION = "directory"

# The languages the application speaks (kernel LANGUAGES): an agency's e-mails (its verification
# link) go out in the one it chose, else in the organisation's default language.
_LANGUAGE_NAMES = {"fr": _l("French"), "en": _l("English")}
CORRESPONDENCE_LANGUAGES = ChoiceList("agency_language", [
    (code, _LANGUAGE_NAMES.get(code, name)) for code, name in LANGUAGES.items()
])


class Agency(Record):
    __tablename__ = "directory_organizations"
    __entity__ = Entity(
        name="agency", plural="agencies", icon="🏢", label=_l("Agency"), label_plural=_l("Agencies"),
        create_label=_l("Create an agency"), list_label=_l("View agencies"), title="{name}",
        default_sort="name", permission=PERMISSION, relatable=True,
    )

    hsds_id: Mapped[str | None] = field(label=_l("HSDS identifier"), unique=True)
    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True, index=True)
    name_fr: Mapped[str | None] = field(label=_l("Name in French"), searchable=True)
    alternate_name: Mapped[str | None] = field(label=_l("Alternate name"), searchable=True)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
    description_fr: Mapped[str | None] = field("longtext", label=_l("Description in French"))
    email: Mapped[str | None] = field("email", label=_l("E-mail"), list=True)
    website: Mapped[str | None] = field("url", label=_l("Web site"))
    language: Mapped[str | None] = field("choice", label=_l("Correspondence language"),
                                         choices=CORRESPONDENCE_LANGUAGES,
                                         help=_l("The language of the e-mails sent to the agency"))
    public: Mapped[bool] = field("boolean", label=_l("Shown in the public directory"), list=True,
                                 index=True, default=False,
                                 help=_l("Off by default: only what is marked public is shown to the public"))
    # When the record was last confirmed current (issue 20, plugins/directory/verification): by a
    # user, or by the agency through its verification link (last_verified_via "agency").
    last_verified_at: Mapped[datetime | None] = field("datetime", label=_l("Last verified"), editable=False,
                                                      index=True)
    # No foreign key: SQLite's plain ADD COLUMN cannot carry one (accounts are deactivated, not deleted).
    last_verified_by_id: Mapped[int | None] = mapped_column(Integer, index=True)
    last_verified_via: Mapped[str | None] = mapped_column(String(16))


class Resource(Record):
    __tablename__ = "directory_services"
    __entity__ = Entity(
        name="resource", plural="resources", icon="🧭", label=_l("Resource"), label_plural=_l("Resources"),
        create_label=_l("Create a resource"), list_label=_l("View resources"),
        title=bilingual_title("name_fr", "name"), default_sort="name", permission=PERMISSION, relatable=True,
    )

    hsds_id: Mapped[str | None] = field(label=_l("HSDS identifier"), unique=True)
    organization_id: Mapped[int] = field("reference", label=_l("Agency"), target="directory_organizations",
                                         required=True, list=True)
    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True, index=True)
    name_fr: Mapped[str | None] = field(label=_l("Name in French"), searchable=True, list=True)
    alternate_name: Mapped[str | None] = field(label=_l("Alternate name"), searchable=True)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
    description_fr: Mapped[str | None] = field("longtext", label=_l("Description in French"))
    url: Mapped[str | None] = field("url", label=_l("Web site"))
    email: Mapped[str | None] = field("email", label=_l("E-mail"))
    status: Mapped[str | None] = field(label=_l("Status"), list=True, default="active",
                                       help=_l("active, inactive, defunct or temporarily closed"))
    eligibility_description: Mapped[str | None] = field("longtext", label=_l("Eligibility"))
    minimum_age: Mapped[int | None] = field("integer", label=_l("Minimum age"))
    maximum_age: Mapped[int | None] = field("integer", label=_l("Maximum age"))
    fees_description: Mapped[str | None] = field("longtext", label=_l("Fees"))
    application_process: Mapped[str | None] = field("longtext", label=_l("Application process"))
    interpretation_services: Mapped[str | None] = field("longtext", label=_l("Interpretation services"))
    wait_time: Mapped[str | None] = field(label=_l("Wait time"))
    accreditations: Mapped[str | None] = field("longtext", label=_l("Accreditations"))
    licenses: Mapped[str | None] = field(label=_l("Licences"))
    alert: Mapped[str | None] = field("longtext", label=_l("Alert"))
    public: Mapped[bool] = field("boolean", label=_l("Shown in the public directory"), list=True,
                                 index=True, default=False,
                                 help=_l("Off by default: only what is marked public is shown to the public"))
    # When the record was last confirmed current (issue 20, plugins/directory/verification): by a
    # user, or by the agency through its verification link (last_verified_via "agency").
    last_verified_at: Mapped[datetime | None] = field("datetime", label=_l("Last verified"), editable=False,
                                                      index=True)
    # No foreign key: SQLite's plain ADD COLUMN cannot carry one (accounts are deactivated, not deleted).
    last_verified_by_id: Mapped[int | None] = mapped_column(Integer, index=True)
    last_verified_via: Mapped[str | None] = mapped_column(String(16))


class Site(Record):
    __tablename__ = "directory_locations"
    __entity__ = Entity(
        name="resource_location", plural="resource-locations", icon="📍", label=_l("Service location"),
        label_plural=_l("Service locations"), create_label=_l("Create a service location"),
        list_label=_l("View service locations"), title="{name}", default_sort="name", permission=PERMISSION,
    )

    hsds_id: Mapped[str | None] = field(label=_l("HSDS identifier"), unique=True)
    organization_id: Mapped[int | None] = field("reference", label=_l("Agency"), target="directory_organizations",
                                                list=True)
    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True)
    alternate_name: Mapped[str | None] = field(label=_l("Alternate name"))
    location_type: Mapped[str] = field(label=_l("Location type"), required=True, default="physical")
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
    transportation: Mapped[str | None] = field("longtext", label=_l("Transportation"))
    url: Mapped[str | None] = field("url", label=_l("Web site"))
    address_hsds_id: Mapped[str | None] = field(label=_l("HSDS address identifier"))
    address_1: Mapped[str | None] = field(label=_l("Address"), searchable=True, list=True)
    address_2: Mapped[str | None] = field(label=_l("Address (continued)"))
    city: Mapped[str | None] = field(label=_l("City"), searchable=True, list=True)
    region: Mapped[str | None] = field(label=_l("Region"))
    state_province: Mapped[str | None] = field(label=_l("Province or state"), list=True)
    # Indexed: a full postal code used by located places gives the caller's point (geo.find_place).
    postal_code: Mapped[str | None] = field(label=_l("Postal code"), searchable=True, list=True, index=True)
    country: Mapped[str | None] = field(label=_l("Country"))
    address_type: Mapped[str | None] = field(label=_l("Address type"))
    attention: Mapped[str | None] = field(label=_l("Attention"))
    accessibility: Mapped[str | None] = field("longtext", label=_l("Accessibility"))
    latitude: Mapped[float | None] = mapped_column(Float, index=True)
    longitude: Mapped[float | None] = mapped_column(Float, index=True)
    public: Mapped[bool] = field("boolean", label=_l("Shown in the public directory"), list=True,
                                 index=True, default=False,
                                 help=_l("Off by default: only what is marked public is shown to the public"))


class TaxonomyTerm(Record):
    __tablename__ = "directory_taxonomy_terms"
    __entity__ = Entity(
        name="taxonomy_term", plural="taxonomy-terms", icon="🏷", label=_l("Service type"),
        label_plural=_l("Service types"), create_label=_l("Create a service type"),
        list_label=_l("View service types"), title=bilingual_title("name_fr", "name"), default_sort="code",
        permission=PERMISSION,
    )

    hsds_id: Mapped[str | None] = field(label=_l("HSDS identifier"), unique=True)
    code: Mapped[str | None] = field(label=_l("Code"), searchable=True, list=True, index=True,
                                     help=_l("Hierarchical code, e.g. BD-1800.2000"))
    name: Mapped[str] = field(label=_l("Name"), required=True, searchable=True, list=True)
    name_fr: Mapped[str | None] = field(label=_l("Name in French"), searchable=True, list=True)
    description: Mapped[str | None] = field("longtext", label=_l("Description"))
    parent_hsds_id: Mapped[str | None] = field(label=_l("Parent term (HSDS identifier)"))
    taxonomy: Mapped[str | None] = field(label=_l("Taxonomy"), list=True)
    taxonomy_hsds_id: Mapped[str | None] = field(label=_l("Taxonomy (HSDS identifier)"))
    language: Mapped[str | None] = field(label=_l("Language"))
    term_uri: Mapped[str | None] = field("url", label=_l("Term address"))


def _hsds_id():
    return Column("hsds_id", String(255), unique=True)


taxonomies = Table(
    "directory_taxonomies", Base.metadata,
    Column("id", Integer, primary_key=True), _hsds_id(), Column("name", String(255), nullable=False),
    Column("description", Text), Column("uri", String(255)), Column("version", String(255)),
)

service_at_location = Table(
    "directory_service_at_location", Base.metadata,
    Column("id", Integer, primary_key=True), _hsds_id(),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("location_id", ForeignKey("directory_locations.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("description", Text),
)

service_taxonomy = Table(
    "directory_service_taxonomy", Base.metadata,
    Column("id", Integer, primary_key=True), _hsds_id(),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE"), nullable=False),
    Column("term_id", ForeignKey("directory_taxonomy_terms.id", ondelete="CASCADE"), nullable=False),
    # Both ways, holding both ids: facet counts and the type filter read only the index.
    Index("ix_directory_service_taxonomy_service_term", "service_id", "term_id"),
    Index("ix_directory_service_taxonomy_term_service", "term_id", "service_id"),
)

phones = Table(
    "directory_phones", Base.metadata,
    Column("id", Integer, primary_key=True), _hsds_id(),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE"), index=True),
    Column("location_id", ForeignKey("directory_locations.id", ondelete="CASCADE"), index=True),
    Column("organization_id", ForeignKey("directory_organizations.id", ondelete="CASCADE"), index=True),
    Column("number", String(50), nullable=False), Column("digits", String(50), index=True),
    Column("extension", String(20)), Column("type", String(50)), Column("description", Text),
)

schedules = Table(
    "directory_schedules", Base.metadata,
    Column("id", Integer, primary_key=True), _hsds_id(),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE"), index=True),
    Column("location_id", ForeignKey("directory_locations.id", ondelete="CASCADE"), index=True),
    Column("valid_from", Date), Column("valid_to", Date), Column("dtstart", Date), Column("until", Date),
    Column("timezone", Float), Column("count", Integer), Column("wkst", String(2)),
    Column("freq", String(10)), Column("interval", Integer), Column("byday", String(50)),
    Column("byweekno", String(255)), Column("bymonthday", String(255)), Column("byyearday", String(255)),
    Column("opens_at", String(8)), Column("closes_at", String(8)),
    Column("description", Text), Column("schedule_link", String(255)), Column("attending_type", Text),
    Column("notes", Text),
    # Holidays (no hours, a validity period): the "open at" filter reads them without a scan.
    Index("ix_directory_schedules_holidays", "service_id", "valid_from", "valid_to",
          sqlite_where=text("opens_at IS NULL"), postgresql_where=text("opens_at IS NULL")),
)

# One row per weekday a service opens: the "open now" filter reads it with an index.
opening_hours = Table(
    "directory_opening_hours", Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE"), nullable=False),
    Column("weekday", Integer, nullable=False), Column("opens", Integer, nullable=False),
    Column("closes", Integer, nullable=False), Column("valid_from", Date), Column("valid_to", Date),
    # Holds every column the filter tests: whether a service is open is one probe of the index.
    Index("ix_directory_opening_hours_service", "service_id", "weekday", "opens", "closes", "valid_from", "valid_to"),
)

service_areas = Table(
    "directory_service_areas", Base.metadata,
    Column("id", Integer, primary_key=True), _hsds_id(),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE"), index=True),
    Column("name", String(255)), Column("folded_name", String(255), index=True), Column("description", Text),
    Column("extent", Text), Column("extent_type", String(50)), Column("uri", String(255)),
)

languages = Table(
    "directory_languages", Base.metadata,
    Column("id", Integer, primary_key=True), _hsds_id(),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE")),
    Column("location_id", ForeignKey("directory_locations.id", ondelete="CASCADE"), index=True),
    Column("name", String(255)), Column("code", String(20), index=True), Column("note", Text),
    Index("ix_directory_languages_service_code", "service_id", "code", "name"),  # the filter reads only the index
)

synonym_groups = Table(
    "directory_synonym_groups", Base.metadata,
    Column("id", Integer, primary_key=True), Column("words", String(255), nullable=False),
)

postal_codes = Table(
    "directory_postal_codes", Base.metadata,
    Column("code", String(10), primary_key=True),
    Column("latitude", Float, nullable=False), Column("longitude", Float, nullable=False),
)

# Communities an administrator placed (name folded: case and accents ignored).
communities = Table(
    "directory_communities", Base.metadata,
    Column("folded_name", String(255), primary_key=True), Column("name", String(255), nullable=False),
    Column("latitude", Float, nullable=False), Column("longitude", Float, nullable=False),
)

# The search table: one row per service and place it is delivered at (or one with no place).
search_rows = Table(
    "directory_search", Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("location_id", Integer),
    Column("latitude", Float), Column("longitude", Float),
    Column("words", Text, nullable=False, default=""),
    # A place search reads latitude, longitude and service from the index alone.
    Index("ix_directory_search_place", "latitude", "longitude", "service_id"),
    # On the row with the words: the grid cells of all the service's places (plugins.directory.geo),
    # for a keyword search near a postal code on PostgreSQL (an array; JSON on SQLite, whose search
    # does not read it). Its index is the keyword index, over both (migration b3e5a7c9d1f2).
    Column("cells", ARRAY(Integer).with_variant(JSON(none_as_null=True), "sqlite")),
)

# The services of each type in name order (kept by ``index.rebuild`` like ``directory_search``): a search
# by type sorted by name reads the type's services in index order and stops at a page, instead of
# reading every name of the type's services to sort them.
search_types = Table(
    "directory_search_types", Base.metadata,
    Column("id", Integer, primary_key=True),
    Column("term_id", Integer, nullable=False),
    Column("name", String(255), nullable=False, default=""),
    Column("service_id", ForeignKey("directory_services.id", ondelete="CASCADE"), nullable=False, index=True),
    Index("ix_directory_search_types_order", "term_id", "name", "service_id"),
)

# The keyword index on SQLite: one FTS5 document per service (rowid = service id) with the name
# part of the words and the rest (see plugins.directory.index). Contentless: the words are in
# directory_search; the triggers give the values to remove.
SEARCH_FTS = "directory_search_fts"
_NAME_PART = "substr({row}.words, 1, instr({row}.words, '|') - 1)"
_OTHER_PART = "substr({row}.words, instr({row}.words, '|') + 1)"
SEARCH_FTS_STATEMENTS = [
    f"CREATE VIRTUAL TABLE {SEARCH_FTS} USING fts5(name, other, content='', "
    "tokenize='unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {SEARCH_FTS}_insert AFTER INSERT ON directory_search WHEN new.words <> '' BEGIN "
    f"INSERT INTO {SEARCH_FTS}(rowid, name, other) VALUES (new.service_id, {_NAME_PART.format(row='new')}, "
    f"{_OTHER_PART.format(row='new')}); END",
    f"CREATE TRIGGER {SEARCH_FTS}_delete AFTER DELETE ON directory_search WHEN old.words <> '' BEGIN "
    f"INSERT INTO {SEARCH_FTS}({SEARCH_FTS}, rowid, name, other) VALUES ('delete', old.service_id, "
    f"{_NAME_PART.format(row='old')}, {_OTHER_PART.format(row='old')}); END",
]
# The keyword index on PostgreSQL: the words (in one GIN index with the cells), and their name part,
# as text-search vectors.
SEARCH_TSV = "to_tsvector('simple', words)"
SEARCH_NAME_TSV = "to_tsvector('simple', split_part(words, '|', 1))"




# Mapped classes for the plain tables, so that the migrations know the plugin owns them.
class TaxonomyRow(Base):
    __table__ = taxonomies


class ServiceAtLocationRow(Base):
    __table__ = service_at_location


class ServiceTaxonomyRow(Base):
    __table__ = service_taxonomy


class PhoneRow(Base):
    __table__ = phones


class ScheduleRow(Base):
    __table__ = schedules


class OpeningHoursRow(Base):
    __table__ = opening_hours


class ServiceAreaRow(Base):
    __table__ = service_areas


class LanguageRow(Base):
    __table__ = languages


class SynonymGroupRow(Base):
    __table__ = synonym_groups


class PostalCodeRow(Base):
    __table__ = postal_codes


class CommunityRow(Base):
    __table__ = communities


class SearchRow(Base):
    __table__ = search_rows


from plugins.directory.capacity.models import Capacity  # noqa: E402, F401  programmes' capacity (issue 20)

# The HSDS API's modified_after filter (plugins.directory.hsds_api) reads these (migration d9f1b3c5e7a9).
Index("ix_directory_services_updated_at", Resource.updated_at)
Index("ix_directory_locations_updated_at", Site.updated_at)
