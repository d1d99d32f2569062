"""The grid cells of a service's places (plugins.directory.geo): a search near a point asks the
index for the services with a place in the cells that cover its box, so every place in the box
must lie in one of those cells, at every scale. The migration that adds them works them out in SQL
as the search index does in Python, on SQLite and PostgreSQL."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect, select

from bench import directory as bench_directory
from kernel import migrate
from kernel.db import db
from plugins.directory import geo
from plugins.directory.models import search_rows

latitudes = st.floats(min_value=-80, max_value=84, allow_nan=False)
longitudes = st.floats(min_value=-179, max_value=179, allow_nan=False)
radii = st.sampled_from([0.5, 5.0, 25.0, 60.0, 100.0, 400.0, 700.0, 1600.0])


@given(latitudes, longitudes, radii, st.floats(0, 1), st.floats(0, 1))
def test_every_place_in_a_box_lies_in_one_of_the_cells_that_cover_it(latitude, longitude, radius_km, across, up):
    low_lat, high_lat, low_lon, high_lon = geo.bounding_box(latitude, longitude, radius_km)
    cells = geo.cells_covering(low_lat, high_lat, low_lon, high_lon)
    if cells is None:  # too wide for cells: the search reads the keywords alone
        return
    place = (low_lat + up * (high_lat - low_lat), low_lon + across * (high_lon - low_lon))
    assert len(cells) <= geo.MOST_CELLS
    assert set(geo.place_cells([place])) & set(cells)


def test_the_finest_level_that_needs_few_cells_is_chosen():
    box = geo.bounding_box(45.5148, -73.5739, 25.0)  # Montréal, 25 km
    cells = geo.cells_covering(*box)
    level = cells[0] // 100_000_000
    size = geo.CELL_SIZES[level]
    assert {cell // 100_000_000 for cell in cells} == {level}
    finer = geo.CELL_SIZES[level - 1]
    rows = math.floor((box[1] + 90) / finer) - math.floor((box[0] + 90) / finer) + 1
    columns = math.floor((box[3] + 180) / finer) - math.floor((box[2] + 180) / finer) + 1
    assert rows * columns > geo.MOST_CELLS  # the finer level would need too many
    assert size <= 0.25


def test_a_circle_around_the_world_has_no_cells():
    assert geo.cells_covering(*geo.bounding_box(45.0, -73.0, 9000.0)) is None


def test_a_place_has_one_cell_at_each_level():
    cells = geo.place_cells([(63.7467, -68.5170), (63.7467, -68.5170)])  # Iqaluit, twice
    assert len(cells) == len(geo.CELL_SIZES)
    assert sorted(cell // 100_000_000 for cell in cells) == list(range(len(geo.CELL_SIZES)))


def services_cells() -> dict[int, list[int]]:
    rows = db.session.execute(select(search_rows.c.service_id, search_rows.c.cells).where(search_rows.c.words != ""))
    found = {service_id: cells for service_id, cells in rows}  # as stored: order and None compared too
    db.session.remove()  # no transaction left open: PostgreSQL's migration would wait for it
    return found


def places_by_service() -> dict[int, list[tuple[float, float]]]:
    places = {}
    for service_id, latitude, longitude in db.session.execute(
            select(search_rows.c.service_id, search_rows.c.latitude, search_rows.c.longitude)):
        places.setdefault(service_id, [])
        if latitude is not None:
            places[service_id].append((latitude, longitude))
    return places


def test_the_migration_gives_existing_rows_the_cells_the_index_gives(app, staff):
    bench_directory.generate(staff.id, services=60, locations=90, seed=5)
    db.session.commit()
    built = services_cells()
    assert built == {service_id: geo.place_cells(points) or None for service_id, points in places_by_service().items()}
    assert any(len(cells) > len(geo.CELL_SIZES) for cells in built.values())  # services at two places
    db.session.remove()
    migrate.downgrade("directory", "f5a7c9e1b3d5")
    try:
        assert "cells" not in {column["name"] for column in inspect(db.engine).get_columns("directory_search")}
    finally:
        migrate.upgrade()
    assert services_cells() == built
    indexes = {index["name"] for index in inspect(db.engine).get_indexes("directory_search")}
    assert "ix_directory_search_other_places" not in indexes
    if db.engine.dialect.name == "postgresql":  # one GIN index over the cells and the words (b3e5a7c9d1f2)
        assert "ix_directory_search_cells_words" in indexes
        assert not {"ix_directory_search_cells", "ix_directory_search_words"} & indexes


def test_the_words_index_goes_whatever_its_name(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the GIN indexes are PostgreSQL's")
    db.session.remove()
    migrate.downgrade("directory", "a8c0e2f4b6d8")
    try:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ALTER INDEX ix_directory_search_words RENAME TO made_by_hand")
    finally:
        migrate.upgrade()
    gin = {index["name"] for index in inspect(db.engine).get_indexes("directory_search")}
    assert "made_by_hand" not in gin and "ix_directory_search_cells_words" in gin
