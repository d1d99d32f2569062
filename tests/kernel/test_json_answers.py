"""JSON answers are written by orjson (issue 18) with the values the standard library wrote:
sorted keys, dates as HTTP dates, decimals and UUIDs as text, dataclasses and Markup through
Flask's ``default``; only characters beyond ASCII are now plain UTF-8."""

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from flask import jsonify
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from kernel.i18n import lazy_gettext
from kernel.json_answers import OrjsonProvider


@dataclass
class Place:
    name: str
    population: int


def a_bit_of_everything():
    return {
        "name": "Zoé Côté", "tags": ["a", "b"], "count": 3, "ratio": 0.25, "none": None, "yes": True,
        "born": date(1990, 5, 17), "seen_at": datetime(2026, 12, 6, 23, 4, 5, tzinfo=UTC),
        "amount": Decimal("12.50"), "key": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "place": Place("Iqaluit", 7740), "html": Markup("<b>gras</b>"), "nested": {"z": 1, "a": [{"y": 2, "b": 3}]},
        "label": lazy_gettext("Not found."),
    }


def test_the_app_writes_json_with_orjson(app):
    assert isinstance(app.json, OrjsonProvider)


def test_an_answer_holds_what_the_standard_library_wrote(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        written = jsonify(a_bit_of_everything()).get_data()
        before = DefaultJSONProvider(app).dumps(a_bit_of_everything(), separators=(",", ":"))
    assert json.loads(written) == json.loads(before)
    assert written.decode().rstrip("\n") == before.encode().decode("unicode_escape").rstrip("\n")  # sorted alike
    assert "Zoé Côté".encode() in written and b"\\u00e9" not in written
    assert json.loads(written)["born"] == "Thu, 17 May 1990 00:00:00 GMT"
    assert json.loads(written)["place"] == {"name": "Iqaluit", "population": 7740}
    assert json.loads(written)["label"] == "Introuvable."


def test_what_orjson_refuses_is_written_by_the_standard_library(app):
    with app.app_context():
        assert json.loads(app.json.dumps({"big": 2**70})) == {"big": 2**70}
        assert app.json.dumps({3: "three", 1: "one"}) == '{"1":"one","3":"three"}'
        with pytest.raises(TypeError):
            app.json.dumps({"set": {1, 2}})


def test_a_caller_s_own_options_and_debug_mode_are_the_standard_library_s(app):
    with app.app_context():
        assert app.json.dumps({"b": 1, "a": "é"}) == '{"a":"é","b":1}'
        assert app.json.dumps({"b": 1, "a": "é"}, indent=2) == '{\n  "a": "\\u00e9",\n  "b": 1\n}'
        app.debug = True
        try:
            assert jsonify({"b": 1}).get_data() == b'{\n  "b": 1\n}\n'
        finally:
            app.debug = False
