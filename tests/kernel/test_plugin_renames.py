"""Renamed plugins keep their data: an instance made before ``contactcenter`` (the directory)
became ``directory`` and ``helpline`` (the contact centre) became ``contactcenter`` is upgraded by
today's code. Its version tables are adopted under the new names, its tables move with their rows,
and the models and the database agree afterwards."""

import gzip
import shutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, make_url, text

from kernel import migrate
from kernel.app import create_app
from kernel.db import Base, db
from kernel.plugins import PluginError

DATA = Path(__file__).parent / "data"
MOVED = {  # old table → new table, with the rows the old instance had
    "cc_services": "directory_services", "cc_phones": "directory_phones",
    "cc_opening_hours": "directory_opening_hours", "cc_taxonomy_terms": "directory_taxonomy_terms",
    "cc_search": "directory_search", "helpline_lines": "contactcenter_lines",
    "helpline_profiles": "contactcenter_profiles", "helpline_contacts": "contactcenter_contacts",
    "helpline_referrals": "contactcenter_referrals", "helpline_service_gaps": "contactcenter_service_gaps",
    "helpline_needs": "contactcenter_needs",
}


@pytest.fixture
def old_instance(database_url, tmp_path):
    """A database made by the code before the renames: its URL, on the suite's kind of database."""
    if make_url(database_url).get_backend_name() == "sqlite":
        path = tmp_path / "before.sqlite"
        with gzip.open(DATA / "before_plugin_renames.sqlite.gz") as source, open(path, "wb") as target:
            shutil.copyfileobj(source, target)
        yield f"sqlite:///{path}"
        return
    url = make_url(database_url)
    name = f"{url.database}_before_renames"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    old_url = url.set(database=name)
    engine = create_engine(old_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(gzip.open(DATA / "before_plugin_renames.postgresql.sql.gz").read().decode())
    engine.dispose()
    yield old_url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


def counts(url: str, tables) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar() for table in tables}
    engine.dispose()
    return found


def upgraded_app(url, instance_dir):
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(instance_dir), "SECRET_KEY": "test-secret",
                      "TESTING": True, "PASSERELLE_PLUGINS": "", "DEMO_DATA": False})
    with app.app_context():
        migrate.upgrade()
    return app


def test_an_instance_made_before_the_renames_keeps_every_row(old_instance, instance_dir):
    before = counts(old_instance, MOVED)
    assert before["helpline_contacts"] == 1 and before["cc_services"] > 20

    app = upgraded_app(old_instance, instance_dir)

    with app.app_context():
        tables = set(inspect(db.engine).get_table_names())
        assert {"alembic_version_directory", "alembic_version_contactcenter"} <= tables
        assert "alembic_version_helpline" not in tables
        assert not {old for old in MOVED} & tables
        assert migrate.pending() == []
    assert counts(old_instance, MOVED.values()) == {MOVED[old]: count for old, count in before.items()}


def test_the_moved_records_still_point_at_each_other(old_instance, instance_dir):
    app = upgraded_app(old_instance, instance_dir)
    with app.app_context():
        referral = db.session.execute(text(
            "SELECT p.name, s.name FROM contactcenter_referrals r "
            "JOIN contactcenter_profiles p ON p.id = r.profile_id "
            "JOIN directory_services s ON s.id = r.resource_id")).one()
        assert referral[0] == "Aputi Kilabuk" and referral[1]
        gap = db.session.execute(text(
            "SELECT g.note FROM contactcenter_service_gaps g JOIN directory_taxonomy_terms t ON t.id = g.term_id"
        )).scalar()
        assert gap == "No evening food bank"
        dashlets = db.session.execute(text("SELECT dashlets FROM dashboard_layouts")).scalar()
        assert "contactcenter:waiting" in str(dashlets) and "helpline:" not in str(dashlets)


def test_after_the_upgrade_the_models_and_the_database_agree(old_instance, instance_dir):
    app = upgraded_app(old_instance, instance_dir)
    with app.app_context():
        owners = migrate.owner_of_tables()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "include_object": migrate.compared_object(set(owners))})
            assert compare_metadata(context, Base.metadata) == []


def test_the_directory_search_finds_resources_after_the_upgrade(old_instance, instance_dir):
    from plugins.directory.search import Criteria, run

    app = upgraded_app(old_instance, instance_dir)
    with app.test_request_context():
        name = db.session.execute(text("SELECT name FROM directory_services ORDER BY id LIMIT 1")).scalar()
        outcome = run(Criteria(keywords=name.split()[0]))
        assert outcome.total >= 1


def test_a_setting_with_the_former_names_stops_with_what_each_name_now_means(instance_dir):
    with pytest.raises(PluginError) as stopped:
        create_app({"INSTANCE_PATH": str(instance_dir), "SECRET_KEY": "test-secret", "TESTING": True,
                    "DATABASE_URL": "sqlite://", "PASSERELLE_PLUGINS": "contactcenter,helpline"})
    message = str(stopped.value)
    assert "'helpline' is now called 'contactcenter'" in message
    assert "'contactcenter' is now called 'directory'" in message
