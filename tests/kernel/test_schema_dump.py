"""The API's dump: one schema instance shared by every request, its loop worked out once, and the
same output as marshmallow's own loop (custom fields, dates, numbers, booleans and users included)."""

from datetime import date

from marshmallow import EXCLUDE, Schema

from kernel import records
from kernel.custom_fields import CustomField
from kernel.db import db
from kernel.registry import entities
from kernel.schemas import dump, dump_many, entity_schema, schema_for


def _add_fields():
    for position, (key, kind) in enumerate([("badge", "text"), ("seen_on", "date"), ("points", "number"),
                                            ("volunteer", "checkbox")]):
        db.session.add(CustomField(entity="client", key=key, kind=kind, label_en=key, label_fr=key,
                                   position=position, active=True))
    db.session.commit()


def _client(user, **values):
    record = records.create(entities().get("client"), {"first_name": "Aputi", "last_name": "Kilabuk", **values}, user)
    db.session.commit()
    return record


def marshmallows_own_dump(entity, record) -> dict:
    return Schema._serialize(entity_schema(entity)(unknown=EXCLUDE), record)


def test_the_dump_is_marshmallows_own(app, staff):
    _add_fields()
    entity = entities().get("client")
    record = _client(staff, date_of_birth=date(1990, 5, 17), email="aputi@example.org", cv_up_to_date=True,
                     badge="B-12", seen_on=date(2026, 11, 30), points="12.5", volunteer=True,
                     assigned_user_id=staff.id)
    bare = _client(staff)

    dumped = dump(entity, record)
    assert dumped == marshmallows_own_dump(entity, record)
    assert dumped["badge"] == "B-12" and dumped["seen_on"] == "2026-11-30" and dumped["points"] == "12.5"
    assert dumped["date_of_birth"] == "1990-05-17" and dumped["volunteer"] is True
    assert dump_many(entity, [record, bare]) == [marshmallows_own_dump(entity, record),
                                                 marshmallows_own_dump(entity, bare)]


def test_a_record_not_loaded_or_changed_in_memory_is_dumped_as_marshmallow_would(app, staff):
    """The dump reads a loaded column from the record's ``__dict__``: an expired record is read
    again by SQLAlchemy, a value changed in memory is the one dumped."""
    entity = entities().get("client")
    record = _client(staff, city="Iqaluit", cv_up_to_date=True, assigned_user_id=staff.id)
    db.session.expire(record)
    assert "city" not in record.__dict__
    assert dump(entity, record)["city"] == "Iqaluit"
    record.city, record.assigned_user_id = "Pangnirtung", None
    dumped = dump(entity, record)
    assert dumped == marshmallows_own_dump(entity, record)
    assert dumped["city"] == "Pangnirtung" and dumped["assigned_user_id"] is None


def test_one_instance_per_options_until_a_custom_field_is_added(app, staff):
    entity = entities().get("client")
    first = schema_for(entity, unknown=EXCLUDE)
    assert schema_for(entity, unknown=EXCLUDE) is first
    assert schema_for(entity, unknown=EXCLUDE, many=True) is not first

    _add_fields()
    record = _client(staff, badge="B-7")
    assert schema_for(entity, unknown=EXCLUDE) is not first
    assert dump(entity, record)["badge"] == "B-7"


def test_the_api_dumps_a_field_added_after_its_first_answer(app, staff, token_for):
    api = app.test_client()
    headers = token_for(staff)
    record = _client(staff)
    first = api.get(f"/api/v1/clients/{record.id}", headers=headers)
    assert first.status_code == 200 and "badge" not in first.get_json()

    _add_fields()
    records.update(entities().get("client"), db.session.get(type(record), record.id), {"badge": "B-9"}, staff)
    db.session.commit()
    assert api.get(f"/api/v1/clients/{record.id}", headers=headers).get_json()["badge"] == "B-9"
    listed = api.get("/api/v1/clients", headers=headers).get_json()
    assert [row["badge"] for row in listed["items"] if row["id"] == record.id] == ["B-9"]


def test_a_date_and_time_is_written_in_utc_with_a_z():
    """Stored naive in UTC; an aware one is moved to UTC first."""
    from datetime import datetime, timedelta, timezone

    from kernel.schemas import UtcDateTime

    field = UtcDateTime()
    assert field._serialize(datetime(2026, 12, 6, 23, 4, 5), "at", None) == "2026-12-06T23:04:05Z"
    assert field._serialize(datetime(2026, 12, 6, 23, 4, 5, 120), "at", None) == "2026-12-06T23:04:05.000120Z"
    eastern = timezone(timedelta(hours=-5))
    assert field._serialize(datetime(2026, 12, 6, 18, 4, 5, tzinfo=eastern), "at", None) == "2026-12-06T23:04:05Z"
    assert field._serialize(None, "at", None) is None
