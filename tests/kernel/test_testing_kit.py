"""The testing kit (kernel.testing, a pytest11 plugin): a test chooses the plugins of its apps
with ``make_app(plugins=[...])`` or the ``plugins`` marker."""

import pytest

from kernel.testing.plugin import plugins_setting


def enabled(app):
    return app.extensions["passerelle.plugins"].names()


def test_make_app_enables_the_plugins_it_is_given(make_app):
    assert enabled(make_app(plugins=["partners", "programs"])) == ["partners", "programs"]


@pytest.mark.plugins("clients")
def test_the_plugins_marker_chooses_the_plugins_of_the_app(app):
    assert enabled(app) == ["clients"]


@pytest.mark.plugins("clients")
def test_an_explicit_setting_wins_over_the_marker(make_app):
    assert enabled(make_app(PASSERELLE_PLUGINS="partners")) == ["partners"]


def test_without_a_choice_every_installed_plugin_is_enabled(app):
    assert {"clients", "partners", "activities"} <= set(enabled(app))


def test_an_empty_choice_is_refused_rather_than_enabling_everything():
    with pytest.raises(ValueError, match="at least one plugin"):
        plugins_setting([])


@pytest.mark.plugins("clients")
def test_a_logged_in_client_sees_the_chosen_module_only(staff_client):
    assert staff_client.get("/clients/").status_code == 200
    assert staff_client.get("/partners/").status_code == 404
