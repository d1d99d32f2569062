"""A broken package is refused row by row with reasons, and nothing of it is loaded."""

import json

from sqlalchemy import func, select

from kernel.db import db
from plugins.directory.models import Agency, Resource, phones
from tests.directory.package import ORG, run_cli, tables, uid, write_package


def _count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_rejected_rows_are_listed_with_their_reason_and_nothing_is_loaded(app, tmp_path):
    data = tables()
    data["services"].append({"id": uid(99, 1), "organization_id": uid(99, 9), "name": "Orphan", "status": "active"})
    data["services"].append({"id": uid(99, 2), "organization_id": ORG, "name": "", "status": "active"})
    data["services"].append({"id": uid(99, 3), "organization_id": ORG, "name": "Bad", "status": "sleeping"})
    data["schedules"].append({"id": uid(99, 4), "service_id": data["services"][0]["id"], "opens_at": "9h",
                              "closes_at": "17:00"})
    data["phones"].append({"id": uid(99, 5), "service_id": data["services"][0]["id"], "number": "no digits"})
    result = run_cli(app, "import-hsds", write_package(tmp_path / "broken", data))
    assert result.exit_code != 0
    assert "Nothing was loaded: 5 rows rejected" in result.output
    assert f"services.csv line 7 ({uid(99, 1)}): organization_id {uid(99, 9)} is not in organizations" in result.output
    assert "services.csv line 8" in result.output and "name is required" in result.output
    assert "status 'sleeping' is not one of" in result.output
    assert "opens_at is not a time" in result.output
    assert "number 'no digits' has no digits" in result.output
    assert (_count(Agency), _count(Resource), _count(phones)) == (0, 0, 0)


def test_accepting_rejections_loads_the_valid_rows(app, tmp_path):
    data = tables()
    data["services"].append({"id": uid(99, 1), "organization_id": uid(99, 9), "name": "Orphan", "status": "active"})
    result = run_cli(app, "import-hsds", write_package(tmp_path / "partial", data), "--accept-rejections")
    assert result.exit_code == 0, result.output
    assert "rejected: 1" in result.output
    assert _count(Resource) == 5


def test_an_unreadable_json_file_loads_nothing(app, tmp_path):
    folder = tmp_path / "json"
    folder.mkdir()
    (folder / "organization_full.json").write_text(json.dumps({"id": ORG, "name": "Réseau", "description": "x"}))
    (folder / "service_full.json").write_text("{not json")
    result = run_cli(app, "import-hsds", folder)
    assert result.exit_code != 0
    assert "Nothing was loaded: service_full.json" in result.output
    assert _count(Agency) == 0


def test_a_text_longer_than_255_characters_is_rejected(app, tmp_path):
    data = tables()
    data["organizations"][0]["name"] = "x" * 256
    result = run_cli(app, "import-hsds", write_package(tmp_path / "long", data))
    assert "name is longer than 255 characters" in result.output
    assert _count(Agency) == 0
