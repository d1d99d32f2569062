"""Migrations: Alembic, with one branch per plugin.

The kernel and each plugin keep their revisions in their own ``migrations/versions`` folder and
their own version table (``alembic_version`` for the kernel, ``alembic_version_<plugin>`` for a
plugin), so enabling, disabling or installing a plugin never disturbs another's history, and a
disabled plugin's tables stay as they are. ``upgrade`` runs the kernel first, then the enabled
plugins in dependency order.
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from sqlalchemy.exc import SAWarning

from kernel.db import Base, db
from kernel.search_index import drop_orphan_search_tables, ensure_search_indexes, made_by_kernel

KERNEL_MIGRATIONS = Path(__file__).parent / "migrations"


def owner_of_tables() -> dict[str, str]:
    """Table name → "kernel" or the plugin whose package defines its model."""
    plugin_set = current_app.extensions["passerelle.plugins"]
    modules = {plugin.name: getattr(plugin.module, "__name__", "") for plugin in plugin_set.enabled}
    owners = {}
    for mapper in Base.registry.mappers:
        table = mapper.local_table
        if table is None:
            continue
        module = mapper.class_.__module__
        if module.startswith("kernel"):
            owners[table.name] = "kernel"
            continue
        for name, package in modules.items():
            if package and (module == package or module.startswith(package + ".")):
                owners[table.name] = name
    return owners


def compared_object(owned_tables):
    """Alembic's ``include_object``: the objects of ``owned_tables`` that the models declare.
    Indexes made by hand are left out: the kernel's list indexes (``kernel.search_index``) and
    expression indexes a plugin's migration makes, which Alembic cannot compare."""

    def include(obj, name, type_, reflected, compare_to):
        if type_ == "index" and reflected and compare_to is None and (made_by_kernel(name) or _on_expressions(obj)):
            return False
        table = obj if type_ == "table" else getattr(obj, "table", None)
        return (name if type_ == "table" else getattr(table, "name", None)) in owned_tables

    return include


def _on_expressions(index) -> bool:
    from sqlalchemy import Column

    return any(not isinstance(element, Column) for element in getattr(index, "expressions", ()))


def targets() -> list[tuple[str, Path]]:
    """(name, versions folder) of the kernel and of every enabled plugin that has migrations."""
    found = [("kernel", KERNEL_MIGRATIONS / "versions")]
    for plugin in current_app.extensions["passerelle.plugins"].enabled:
        folder = plugin.folder("migrations")
        if folder and (folder / "versions").is_dir():
            found.append((plugin.name, folder / "versions"))
    return found


def version_table(target: str) -> str:
    return "alembic_version" if target == "kernel" else f"alembic_version_{target}"


def alembic_config(target: str, versions: Path, connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(KERNEL_MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", str(versions))
    config.attributes.update(
        connection=connection,
        metadata=Base.metadata,
        version_table=version_table(target),
        owned_tables={table for table, owner in owner_of_tables().items() if owner == target},
    )
    return config


def upgrade() -> None:
    adopt_renamed_version_tables()
    for target, versions in targets():
        with db.engine.begin() as connection:
            command.upgrade(alembic_config(target, versions, connection), "heads")
    ensure_search_indexes(db.engine, current_app.extensions["passerelle.entities"])


def versions_folder(target: str) -> Path:
    """Where ``target``'s new revisions go: the kernel's folder, or the enabled plugin's
    ``migrations/versions``, created for a plugin's first revision."""
    if target == "kernel":
        return KERNEL_MIGRATIONS / "versions"
    plugin_set = current_app.extensions["passerelle.plugins"]
    plugin = plugin_set.get(target)
    if plugin is None or plugin.path is None:
        raise ValueError(f"no enabled plugin named {target!r}; choose kernel or one of: {', '.join(plugin_set.names())}")
    folder = plugin.path / "migrations" / "versions"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def adopt_renamed_version_tables() -> None:
    """A renamed plugin (``FORMERLY``) keeps its history: its former version table
    (``alembic_version_<former name>``) becomes its own, when the revisions it holds are the plugin's.
    Renames that free a name another plugin takes (contactcenter → directory, helpline →
    contactcenter) are done in the order that frees each name first."""
    from sqlalchemy import inspect

    moves = _renames_with_history()
    if not moves:
        return
    with db.engine.begin() as connection:
        progress = True
        while moves and progress:
            progress = False
            existing = set(inspect(connection).get_table_names())
            for move in list(moves):
                former, name, folder = move
                old, new = version_table(former), version_table(name)
                if old not in existing:
                    moves.remove(move)
                elif new not in existing and _holds_revisions_of(connection, old, folder):
                    connection.exec_driver_sql(f"ALTER TABLE {old} RENAME TO {new}")
                    moves.remove(move)
                    existing = set(inspect(connection).get_table_names())
                    progress = True


def _renames_with_history() -> list[tuple[str, str, Path]]:
    """(former name, name, versions folder) of every installed plugin that was renamed, enabled or
    not: a disabled plugin's version table keeps its former name out of another plugin's way."""
    from kernel.plugins import plugin_entry_points

    moves = []
    for name, entry_point in plugin_entry_points().items():
        try:
            module = entry_point.load()
        except Exception:  # noqa: BLE001  reported when the plugin is enabled
            continue
        folder = Path(getattr(module, "__file__", "") or ".").parent / "migrations" / "versions"
        if folder.is_dir():
            moves += [(former, name, folder) for former in getattr(module, "FORMERLY", ())]
    return moves


def _holds_revisions_of(connection, table: str, versions: Path) -> bool:
    current = {row[0] for row in connection.exec_driver_sql(f"SELECT version_num FROM {table}")}
    return bool(current) and all(list(versions.glob(f"{revision}_*.py")) for revision in current)


def revision(target: str, message: str, autogenerate: bool = True) -> None:
    versions = versions_folder(target)
    with db.engine.begin() as connection:
        config = alembic_config(target, versions, connection)
        script = ScriptDirectory.from_config(config)
        heads = script.get_heads()
        with _without_expression_index_warnings():
            command.revision(
                config, message=message, autogenerate=autogenerate,
                branch_label=None if heads else target, head="head" if heads else "base",
                version_path=str(versions),
            )


@contextmanager
def _without_expression_index_warnings():
    """Reflecting the database for autogenerate, SQLAlchemy warns about every expression index
    (``lower(name)``…) it skips; ``compared_object`` leaves those out on purpose."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based index",
                                category=SAWarning)
        yield


def pending() -> list[str]:
    """Targets whose database is behind their newest revision (shown by ``db status``)."""
    behind = []
    for target, versions in targets():
        with db.engine.connect() as connection:
            config = alembic_config(target, versions, connection)
            heads = set(ScriptDirectory.from_config(config).get_heads())
            current = set(MigrationContext.configure(
                connection, opts={"version_table": version_table(target)}).get_current_heads())
            if heads != current:
                behind.append(target)
    return behind


def current_revisions(target: str) -> set[str]:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": version_table(target)})
        return set(context.get_current_heads())


def dependents_not_at_base(target: str) -> list[str]:
    """Enabled plugins whose tables may point at ``target``'s and that still have migrations applied:
    every plugin for the kernel, the plugins that require ``target`` for a plugin."""
    plugin_set = current_app.extensions["passerelle.plugins"]
    names = dict(targets())
    dependents = [plugin.name for plugin in plugin_set.enabled
                  if plugin.name in names and plugin.name != target
                  and (target == "kernel" or target in plugin.requires)]
    return [name for name in dependents if current_revisions(name)]


def downgrade(target: str, revision: str) -> None:
    """Undo ``target``'s migrations down to ``revision`` ("-1": the last one, "base": all of them,
    or a revision id). Going to base is refused while a part that depends on it still has its
    tables: downgrade those first."""
    versions = dict(targets()).get(target)
    if versions is None:
        raise ValueError(f"no migrations for {target!r}; choose one of: {', '.join(name for name, _ in targets())}")
    if revision == "base":
        blocking = dependents_not_at_base(target)
        if blocking:
            raise ValueError(f"downgrade {', '.join(blocking)} to base first (they depend on {target})")
    with db.engine.begin() as connection:
        command.downgrade(alembic_config(target, versions, connection), revision)
    drop_orphan_search_tables(db.engine)
