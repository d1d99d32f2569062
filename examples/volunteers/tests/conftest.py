"""The fixtures come from the project's testing kit (``kernel.testing``, a pytest plugin that
installing Passerelle registers). The module is opt-in: its tests enable it with the clients it
requires, and apply its migrations for their time."""

import pytest

from kernel.testing import migrated_plugins

PLUGINS = ("clients", "volunteers")


@pytest.fixture(scope="module", autouse=True)
def volunteers_tables(settings, migrated):
    with migrated_plugins(settings, PLUGINS):
        yield
