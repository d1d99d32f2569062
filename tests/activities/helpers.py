"""Shared helpers of the activities tests."""

from kernel import records
from kernel.db import db
from kernel.registry import entities


def create(entity_name: str, values: dict, user):
    record = records.create(entities().get(entity_name), values, user)
    db.session.commit()
    return record
