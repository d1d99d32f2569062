"""An HSDS package's addresses are loaded only when they are http(s): a ``javascript:`` or
``data:`` address is left out with a note (the row itself loads), so that it never becomes a link."""

from sqlalchemy import select

from kernel.db import db
from plugins.directory.models import Agency, Resource, Site, TaxonomyTerm, schedules
from tests.directory.package import FOOD, SHELTER, TERM_FOOD, run_cli, tables, write_package


def test_addresses_that_are_not_http_are_left_out_with_a_note(app, tmp_path):
    data = tables()
    data["services"][0]["url"] = "javascript:alert(document.cookie)"
    data["services"][1]["url"] = "foodbank.example.org"
    data["organizations"][0]["website"] = "data:text/html,<script>alert(1)</script>"
    data["locations"][0]["url"] = "JaVaScRiPt:alert(1)"
    data["taxonomy_terms"][1]["term_uri"] = "vbscript:msgbox(1)"
    data["schedules"][0]["schedule_link"] = "javascript:alert(2)"
    result = run_cli(app, "import-hsds", write_package(tmp_path / "hostile", data))
    assert result.exit_code == 0, result.output
    assert "services " in result.output and "url 'javascript:alert(document.cookie)' is not an http(s) address" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(Resource.url).where(Resource.hsds_id == SHELTER)) is None
    assert db.session.scalar(select(Resource.url).where(Resource.hsds_id == FOOD)) == "https://foodbank.example.org"
    assert db.session.scalar(select(Agency.website)) is None
    assert db.session.scalar(select(Site.url).where(Site.url.is_not(None))) is None
    assert db.session.scalar(select(TaxonomyTerm.term_uri).where(TaxonomyTerm.hsds_id == TERM_FOOD)) is None
    assert db.session.scalar(select(schedules.c.schedule_link).where(schedules.c.schedule_link.is_not(None))) is None
    assert db.session.scalar(select(Resource.name).where(Resource.hsds_id == SHELTER)) == "Emergency shelter"


def test_an_address_too_long_once_https_is_added_is_left_out_with_a_note(app, tmp_path):
    data = tables()
    data["services"][0]["url"] = "shelter.example.org/" + "a" * 232  # 252 characters, 260 with https://
    result = run_cli(app, "import-hsds", write_package(tmp_path / "long", data))
    assert result.exit_code == 0, result.output
    assert "url is longer than 255 characters" in result.output
    db.session.expire_all()
    assert db.session.scalar(select(Resource.url).where(Resource.hsds_id == SHELTER)) is None
    assert db.session.scalar(select(Resource.name).where(Resource.hsds_id == SHELTER)) == "Emergency shelter"
