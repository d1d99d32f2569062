"""The report tests run with the modules whose reports they check (the SAE and contact-centre
workflow plugins test their own report columns). Migrations stay those of the whole suite."""

import pytest

REPORT_PLUGINS = "clients,partners,programs,activities,directory,reports"


@pytest.fixture
def make_app(make_app):
    def build(extra_plugins=None, **overrides):
        overrides.setdefault("PASSERELLE_PLUGINS", REPORT_PLUGINS)
        return make_app(extra_plugins, **overrides)

    return build
