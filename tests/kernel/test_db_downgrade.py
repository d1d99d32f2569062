"""``passerelle db downgrade TARGET REVISION``: every plugin's migrations and then the kernel's go
down to base (their tables dropped) and come back up; "-1" undoes the last one; a part others
depend on is not taken down before them."""

from sqlalchemy import inspect

from kernel import migrate
from kernel.cli import main
from kernel.db import Base, db


def cli(app, *args):
    db.session.remove()  # no transaction of the test may hold a table that a migration drops
    return app.test_cli_runner().invoke(main, ["db", *args])


def tables() -> set[str]:
    with db.engine.connect() as connection:
        return set(inspect(connection).get_table_names())


def drop_tables_of_test_plugins():
    """Other tests make tables of plugins that are not installed (the tiny test plugin's, with a
    foreign key to users) and leave them: PostgreSQL would refuse to drop users under them."""
    leftovers = [mapper.local_table for mapper in Base.registry.mappers if mapper.class_.__module__.startswith("tests.")]
    db.session.remove()
    Base.metadata.drop_all(db.engine, tables=leftovers, checkfirst=True)


def test_every_plugin_then_the_kernel_downgrade_to_base_and_upgrade_again(app):
    drop_tables_of_test_plugins()
    parts = [name for name, _ in migrate.targets()]
    owners = migrate.owner_of_tables()
    for part in [*reversed(parts[1:]), "kernel"]:
        result = cli(app, "downgrade", part, "base")
        assert result.exit_code == 0, f"{part}: {result.output}"
        assert f"{part} is now at base." in result.output
        left = {table for table, owner in owners.items() if owner == part} & tables()
        assert not left, f"{part} left its tables: {left}"

    result = cli(app, "upgrade")
    assert result.exit_code == 0, result.output
    assert migrate.pending() == []
    assert set(owners) <= tables()


def test_minus_one_undoes_the_last_migration_only(app):
    part = next(name for name, versions in migrate.targets() if name != "kernel" and len(list(versions.glob("*.py"))) > 1)
    head = migrate.current_revisions(part)
    result = cli(app, "downgrade", part, "-1")
    assert result.exit_code == 0, result.output
    assert migrate.current_revisions(part) not in (head, set())
    assert migrate.pending() == [part]
    assert cli(app, "upgrade").exit_code == 0
    assert migrate.current_revisions(part) == head


def test_the_kernel_is_not_taken_down_under_the_plugins(app):
    result = cli(app, "downgrade", "kernel", "base")
    assert result.exit_code != 0
    assert "to base first (they depend on kernel)" in result.output
    assert migrate.pending() == []


def test_an_unknown_part_is_named_in_the_message(app):
    result = cli(app, "downgrade", "nothing", "-1")
    assert result.exit_code != 0
    assert "no migrations for 'nothing'" in result.output


def test_the_quick_search_works_after_going_down_and_up_again(app, make_user):
    from kernel import records
    from kernel.registry import entities

    drop_tables_of_test_plugins()
    parts = [name for name, _ in migrate.targets()]
    for part in [*reversed(parts[1:]), "kernel"]:
        assert cli(app, "downgrade", part, "base").exit_code == 0
    assert cli(app, "upgrade").exit_code == 0
    staff = make_user("staff")
    records.create(entities().get("client"), {"first_name": "Émile", "last_name": "Noël"}, staff)
    db.session.commit()
    from tests.conftest import login

    assert "Émile Noël" in login(app.test_client(), staff).get("/clients/?q=noel").get_data(as_text=True)
