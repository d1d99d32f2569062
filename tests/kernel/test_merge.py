"""Merging two records: an administrator chooses the values kept; the history, and the rows of
every enabled plugin that point at the removed record, move to the kept one; the removed record
goes to the trash. This module is also a tiny plugin whose records point at clients."""

import sys

import pytest
from sqlalchemy import ForeignKey, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from kernel import hookimpl
from kernel.db import Base, db
from kernel.entities import Entity, Record, field
from kernel.history import RecordChange
from kernel.permissions import record_permissions
from plugins.clients.models import Client
from tests.conftest import login

LABEL = "Visits"
REQUIRES = ("clients",)


class Visit(Record):
    """An entity of the tiny plugin, linked to a client by a reference field."""

    __tablename__ = "test_merge_visits"
    __entity__ = Entity(name="merge_visit", plural="merge-visits", label="Visit", label_plural="Visits", title="{subject}")
    subject: Mapped[str] = field(label="Subject", required=True)
    client_id: Mapped[int | None] = field("reference", label="Client", target="clients")


class Enrolment(Base):
    """A plain table of the plugin (not an entity) with a foreign key to clients."""

    __tablename__ = "test_merge_enrolments"
    __table_args__ = (UniqueConstraint("programme", "client_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    programme: Mapped[str]
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))


@hookimpl
def passerelle_entities():
    return [Visit]


@hookimpl
def passerelle_permissions():
    return record_permissions("mergevisits", "visits")


@pytest.fixture
def plugin_app(make_app):
    app = make_app(extra_plugins={"mergevisits": sys.modules[__name__]})
    with app.app_context():
        Base.metadata.create_all(db.engine, tables=[Visit.__table__, Enrolment.__table__])
        yield app
        db.session.remove()


@pytest.fixture
def admin_http(plugin_app, admin):
    return login(plugin_app.test_client(), admin)


def create_client(http, **data):
    response = http.post("/clients/new", data={**data, "confirm_duplicates": "1"})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


@pytest.fixture
def pair(admin_http):
    """Two records of the same person: Émile (kept) and Emile (the duplicate), with history,
    visits and an enrolment."""
    kept = create_client(admin_http, first_name="Émile", last_name="Noël", city="Iqaluit", file_status="open")
    duplicate = create_client(admin_http, first_name="Emile", last_name="Noel", city="Ottawa",
                              phone="867-979-1234", file_status="open")
    edited = admin_http.post(f"/clients/{duplicate}/edit", data={
        "first_name": "Emile", "last_name": "Noel", "city": "Ottawa", "phone": "867-979-1234",
        "file_status": "on_hold", "version": "1"})
    assert edited.status_code == 302
    for subject, client_id in (("Intake", duplicate), ("CV review", duplicate), ("First call", kept)):
        assert admin_http.post("/merge-visits/new", data={"subject": subject, "client_id": client_id}).status_code == 302
    db.session.add(Enrolment(programme="Language classes", client_id=duplicate))
    db.session.commit()
    return kept, duplicate


def merge(http, kept, duplicate, **choices):
    data = {"keep": kept, f"version-{kept}": version_of(kept), f"version-{duplicate}": version_of(duplicate)}
    data.update({f"field-{name}": record_id for name, record_id in choices.items()})
    return http.post(f"/admin/merge/clients/{kept}/{duplicate}", data=data)


def version_of(record_id):
    return db.session.scalar(select(Client.version).where(Client.id == record_id))


def test_an_administrator_reaches_the_merge_screen_from_the_detail_page(admin_http, pair):
    kept, duplicate = pair
    detail = admin_http.get(f"/clients/{kept}").get_data(as_text=True)
    assert f'href="/admin/merge/clients/{kept}"' in detail and "Merge with…" in detail

    choose = admin_http.get(f"/admin/merge/clients/{kept}").get_data(as_text=True)
    assert "Likely duplicates" in choose and f'href="/admin/merge/clients/{kept}/{duplicate}"' in choose
    searched = admin_http.get(f"/admin/merge/clients/{kept}?q=noel").get_data(as_text=True)
    assert f"Emile Noel (#{duplicate})" in searched
    by_id = admin_http.get(f"/admin/merge/clients/{kept}?other={duplicate}")
    assert by_id.status_code == 302 and by_id.headers["Location"].endswith(f"/admin/merge/clients/{kept}/{duplicate}")

    compare = admin_http.get(f"/admin/merge/clients/{kept}/{duplicate}").get_data(as_text=True)
    assert "Iqaluit" in compare and "Ottawa" in compare and "On hold" in compare
    assert f'name="field-city" value="{duplicate}"' in compare
    assert f'name="keep" value="{kept}" checked' in compare


def test_merge_keeps_the_chosen_values_and_trashes_the_duplicate(admin_http, pair, admin):
    kept, duplicate = pair
    response = merge(admin_http, kept, duplicate, city=duplicate, phone=duplicate, first_name=kept)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/clients/{kept}")

    record = db.session.get(Client, kept)
    db.session.refresh(record)
    assert (record.first_name, record.last_name, record.city, record.phone, record.file_status) == (
        "Émile", "Noël", "Ottawa", "(867) 979-1234", "open")
    removed = db.session.get(Client, duplicate)
    db.session.refresh(removed)
    assert removed.deleted_at is not None
    assert admin_http.get(f"/clients/{duplicate}").status_code == 404
    assert "Emile Noel" in admin_http.get("/admin/trash").get_data(as_text=True)
    changes = db.session.execute(
        select(RecordChange.field, RecordChange.old_value, RecordChange.new_value, RecordChange.user_id)
        .where(RecordChange.record_id == kept, RecordChange.action == "updated", RecordChange.entity == "client")
    ).all()
    assert ("city", "Iqaluit", "Ottawa", admin.id) in changes


def test_merge_moves_the_history_to_the_kept_record(admin_http, pair):
    kept, duplicate = pair
    assert merge(admin_http, kept, duplicate).status_code == 302

    moved = db.session.execute(
        select(RecordChange.record_id, RecordChange.action, RecordChange.field, RecordChange.new_value)
        .where(RecordChange.entity == "client").order_by(RecordChange.id)
    ).all()
    assert (kept, "updated", "file_status", "on_hold") in moved  # the duplicate's own change
    assert [row.action for row in moved if row.record_id == duplicate] == ["deleted"]
    merged = db.session.scalars(select(RecordChange).where(RecordChange.action == "merged")).one()
    assert (merged.record_id, merged.old_value, merged.new_value) == (kept, str(duplicate), "Emile Noel")

    page = admin_http.get(f"/clients/{kept}").get_data(as_text=True)
    assert "Merged with a duplicate record" in page and "On hold" in page


def test_merge_repoints_every_row_that_referred_to_the_duplicate(admin_http, pair, admin):
    kept, duplicate = pair
    assert merge(admin_http, kept, duplicate).status_code == 302

    visits = db.session.execute(select(Visit.subject, Visit.client_id, Visit.version).order_by(Visit.id)).all()
    assert visits == [("Intake", kept, 2), ("CV review", kept, 2), ("First call", kept, 1)]
    assert db.session.scalars(select(Enrolment.client_id)).all() == [kept]
    visit_history = db.session.execute(
        select(RecordChange.field, RecordChange.old_value, RecordChange.new_value, RecordChange.user_id)
        .where(RecordChange.entity == "merge_visit", RecordChange.action == "updated")
    ).all()
    assert visit_history == [("client_id", str(duplicate), str(kept), admin.id)] * 2


def test_merge_can_keep_the_other_record(admin_http, pair):
    kept, duplicate = pair
    data = {"keep": duplicate, f"version-{kept}": version_of(kept), f"version-{duplicate}": version_of(duplicate),
            "field-first_name": kept, "field-last_name": kept}
    response = admin_http.post(f"/admin/merge/clients/{kept}/{duplicate}", data=data)
    assert response.headers["Location"].endswith(f"/clients/{duplicate}")
    survivor = db.session.get(Client, duplicate)
    db.session.refresh(survivor)
    assert (survivor.first_name, survivor.last_name, survivor.city, survivor.deleted_at) == ("Émile", "Noël", "Ottawa", None)
    assert db.session.scalars(select(Visit.client_id).distinct()).all() == [duplicate]


def test_a_stale_page_merges_nothing(admin_http, pair):
    kept, duplicate = pair
    data = {"keep": kept, f"version-{kept}": "1", f"version-{duplicate}": "1", "field-city": duplicate}
    response = admin_http.post(f"/admin/merge/clients/{kept}/{duplicate}", data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/merge/clients/{kept}/{duplicate}")
    assert db.session.scalar(select(Client.deleted_at).where(Client.id == duplicate)) is None
    assert db.session.scalar(select(Client.city).where(Client.id == kept)) == "Iqaluit"
    assert db.session.scalars(select(Visit.client_id).where(Visit.subject == "Intake")).one() == duplicate


def test_rows_that_cannot_be_combined_merge_nothing(admin_http, pair):
    kept, duplicate = pair
    db.session.add(Enrolment(programme="Language classes", client_id=kept))  # both are enrolled
    db.session.commit()
    response = merge(admin_http, kept, duplicate, city=duplicate)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/merge/clients/{kept}/{duplicate}")
    assert "cannot be combined" in admin_http.get(response.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(Client.deleted_at).where(Client.id == duplicate)) is None
    assert db.session.scalar(select(Client.city).where(Client.id == kept)) == "Iqaluit"
    assert db.session.scalars(select(Visit.client_id).where(Visit.subject == "Intake")).one() == duplicate


def test_a_record_is_not_merged_with_itself(admin_http, pair):
    kept, _duplicate = pair
    response = admin_http.get(f"/admin/merge/clients/{kept}/{kept}")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/admin/merge/clients/{kept}")


@pytest.mark.parametrize("role", ["supervisor", "staff", "readonly"])
def test_only_administrators_merge(plugin_app, make_user, pair, role):
    kept, duplicate = pair
    http = login(plugin_app.test_client(), make_user(role))
    assert "Merge with" not in http.get(f"/clients/{kept}").get_data(as_text=True)
    assert http.get(f"/admin/merge/clients/{kept}").status_code == 403
    assert http.get(f"/admin/merge/clients/{kept}/{duplicate}").status_code == 403
    assert http.post(f"/admin/merge/clients/{kept}/{duplicate}", data={"keep": kept}).status_code == 403
    assert db.session.scalar(select(Client.deleted_at).where(Client.id == duplicate)) is None
