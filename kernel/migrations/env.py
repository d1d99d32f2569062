"""Alembic environment shared by the kernel and every plugin (see ``kernel.migrate``)."""

from alembic import context

from kernel.migrate import compared_object

config = context.config
connection = config.attributes["connection"]
owned_tables = config.attributes["owned_tables"]

context.configure(
    connection=connection,
    target_metadata=config.attributes["metadata"],
    version_table=config.attributes["version_table"],
    include_object=compared_object(owned_tables),
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
