"""Alembic environment shared by the kernel and every plugin (see ``kernel.migrate``)."""

from alembic import context

from kernel.search_index import made_by_kernel

config = context.config
connection = config.attributes["connection"]
owned_tables = config.attributes["owned_tables"]


def include_object(obj, name, type_, reflected, compare_to):
    if type_ == "index" and reflected and made_by_kernel(name):
        return False  # made by kernel.search_index, not by the models
    table = obj if type_ == "table" else getattr(obj, "table", None)
    table_name = name if type_ == "table" else getattr(table, "name", None)
    return table_name in owned_tables


context.configure(
    connection=connection,
    target_metadata=config.attributes["metadata"],
    version_table=config.attributes["version_table"],
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
