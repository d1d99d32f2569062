"""a service's search row holds the grid cells of all its places, in an index

Revision ID: a8c0e2f4b6d8
Revises: f5a7c9e1b3d5
Create Date: 2026-12-05 23:50:00

A keyword search near a postal code (PostgreSQL) combines the keyword index with the index of the
cells of each service's places (plugins.directory.geo.place_cells), instead of finding a service's
other places in their own index and then its words row by one probe each. The cells of the
existing rows are worked out here, in SQL, as ``place_cells`` does: nine levels of cells from
0.0625 to 16 degrees, numbered ``level * 100,000,000 + row * 10,000 + column``.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import ARRAY

revision = 'a8c0e2f4b6d8'
down_revision = 'f5a7c9e1b3d5'
branch_labels = None
depends_on = None

LEVELS = ", ".join(f"({level}, {0.0625 * 2 ** level})" for level in range(9))


def upgrade():
    op.add_column("directory_search", sa.Column("cells", ARRAY(sa.Integer).with_variant(sa.JSON(none_as_null=True), "sqlite")))
    postgresql = op.get_bind().dialect.name == "postgresql"
    places_cells = (f"SELECT DISTINCT {_cell_sql(postgresql)} AS cell FROM directory_search AS places, levels "
                    "WHERE places.service_id = directory_search.service_id AND places.latitude IS NOT NULL "
                    "AND places.longitude IS NOT NULL ORDER BY 1")
    cells = (f"NULLIF(ARRAY({places_cells}), '{{}}')" if postgresql  # no place: NULL, as the index writes it
             else f"NULLIF((SELECT json_group_array(cell) FROM ({places_cells})), '[]')")
    update = f"WITH levels(level, size) AS (VALUES {LEVELS}) UPDATE directory_search SET cells = {cells} WHERE words <> ''"
    if postgresql:
        _without_keyword_indexes(update)
    else:
        op.execute(update)
    op.create_index("ix_directory_search_cells", "directory_search", ["cells"], postgresql_using="gin")
    op.drop_index("ix_directory_search_other_places", table_name="directory_search")


def _without_keyword_indexes(update: str) -> None:
    """PostgreSQL: run ``update`` with the table's GIN indexes (the keywords') dropped, then make
    them again from their own definitions. Rewriting every words row entered each again in the two
    keyword indexes, one row at a time: minutes at a province's scale (200,000 services), while the
    new column's lock kept every search waiting; building them anew takes seconds. The service
    index stays: the update reads each service's places by it."""
    definitions = op.get_bind().execute(sa.text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
        "AND tablename = 'directory_search' AND indexdef LIKE '% USING gin %'")).all()
    for name, _definition in definitions:
        op.execute(f'DROP INDEX "{name}"')
    op.execute(update)
    for _name, definition in definitions:
        op.execute(definition)


def _cell_sql(postgresql: bool) -> str:
    """``geo.place_cells``'s number of a place's cell at a level, coordinates clamped as it does."""
    def whole(number: str) -> str:  # of a positive number: SQLite's CAST truncates, which is floor here
        return f"floor({number})::integer" if postgresql else f"CAST({number} AS INTEGER)"

    low, high = ("GREATEST", "LEAST") if postgresql else ("max", "min")
    latitude = f"{low}({high}(places.latitude, 90), -90)"
    longitude = f"{low}({high}(places.longitude, 180), -180)"
    return (f"levels.level * 100000000 + {whole(f'({latitude} + 90) / levels.size')} * 10000 "
            f"+ {whole(f'({longitude} + 180) / levels.size')}")


def downgrade():
    op.create_index("ix_directory_search_other_places", "directory_search", ["latitude", "longitude", "service_id"],
                    postgresql_where=sa.text("words = ''"), sqlite_where=sa.text("words = ''"))
    op.drop_index("ix_directory_search_cells", table_name="directory_search")
    op.drop_column("directory_search", "cells")
