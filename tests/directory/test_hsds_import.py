"""The official HSDS 3 example package loads in both its CSV and JSON forms, to the same data."""

from sqlalchemy import select

from kernel.db import db
from plugins.directory.models import Agency, Resource, Site, phones, service_at_location
from tests.directory.package import official_data, run_cli
from tests.directory.snapshot import snapshot

COUNSELLING = "ac148810-d857-441c-9679-408f346de14b"


def test_the_csv_form_of_the_official_example_loads(app):
    result = run_cli(app, "import-hsds", official_data() / "csv")
    assert result.exit_code == 0, result.output
    assert "rejected: 0" in result.output
    service = db.session.scalar(select(Resource).where(Resource.hsds_id == COUNSELLING))
    assert service.name == "Community Counselling"
    assert db.session.get(Agency, service.organization_id).name == "Example Organization Inc."
    site = db.session.scalar(select(Site))
    assert (site.postal_code, site.city) == ("ABC 1234", "MyCity")
    assert site.latitude is None  # the example's latitude 100 is out of range: said, and left out
    assert "latitude 100 is out of range" in result.output
    assert db.session.execute(select(phones.c.number)).scalar() == "+44 1234 234567"
    assert db.session.execute(select(service_at_location)).first() is not None


def test_the_json_form_loads_the_same_data_as_the_csv_form(app):
    data = official_data()
    assert run_cli(app, "import-hsds", data / "csv").exit_code == 0
    from_csv = snapshot()
    _empty_directory()
    result = run_cli(app, "import-hsds", data / "json")
    assert result.exit_code == 0, result.output
    from_json = snapshot()
    # The official CSV term names taxonomy 07ff6aee…, its JSON form nests taxonomy 5c4d79d7…: a difference
    # in the examples themselves, not in the import.
    for term in from_csv["directory_taxonomy_terms"] + from_json["directory_taxonomy_terms"]:
        term.pop("taxonomy_hsds_id")
    for table in ("directory_services", "directory_taxonomy_terms", "directory_phones", "directory_schedules", "directory_service_areas",
                  "directory_languages", "directory_service_at_location", "directory_taxonomies"):
        assert from_json[table] == from_csv[table], table
    assert [row["hsds_id"] for row in from_json["directory_locations"]] == [row["hsds_id"] for row in from_csv["directory_locations"]]


def test_a_single_json_file_loads(app):
    result = run_cli(app, "import-hsds", official_data() / "json" / "service_full.json")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Resource.name).where(Resource.hsds_id == COUNSELLING)) == "Community Counselling"


def _empty_directory():
    from kernel.db import Base

    with db.engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name.startswith("directory_"):
                connection.execute(table.delete())
    db.session.expire_all()
