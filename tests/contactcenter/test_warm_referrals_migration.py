"""The warm referrals' migration (b5d7f9a1c3e2) goes down and up again, on SQLite and PostgreSQL."""

from sqlalchemy import inspect

from kernel import migrate
from kernel.db import db

TABLES = {"contactcenter_warm_referrals", "contactcenter_warm_referral_events"}


def tables() -> set[str]:
    db.session.remove()
    return set(inspect(db.engine).get_table_names())


def test_the_warm_referral_tables_come_and_go_with_their_migration(app):
    assert TABLES <= tables()
    migrate.downgrade("contactcenter", "a2b4c6d8e0f1")
    try:
        assert not TABLES & tables()
    finally:
        migrate.upgrade()
    assert TABLES <= tables()
    indexes = {index["name"] for index in inspect(db.engine).get_indexes("contactcenter_warm_referrals")}
    assert {"ix_contactcenter_warm_referrals_status_sent", "ix_contactcenter_warm_referrals_sent"} <= indexes
