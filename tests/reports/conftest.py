"""The report tests run with the modules whose reports they check (the SAE and contact-centre
workflow plugins test their own report columns)."""

import pytest

REPORT_PLUGINS = "clients,partners,programs,activities,contactcenter,reports"


@pytest.fixture(scope="session")
def settings(settings):
    return {**settings, "PASSERELLE_PLUGINS": REPORT_PLUGINS}
