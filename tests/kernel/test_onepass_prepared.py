"""Issue 18: reads built once (``OnePass.rows(..., params=...)``). A list page's settings are one
statement built once and reused, each user's values given as parameters: two users' list pages
show each their own saved filters, bell and columns, and a pass with a read built on the spot is
built anew each time."""

from sqlalchemy import select

from kernel import onepass, records
from kernel.db import db
from kernel.notifications import add_unread_read, notify
from kernel.onepass import OnePass
from kernel.registry import entities
from kernel.saved_views import SavedFilter, add_list_reads, save_columns
from kernel.users import User


def _settings_of(user):
    reads = OnePass()
    add_list_reads(reads, user.id, "client")
    add_unread_read(reads, user.id)
    return reads


def test_one_statement_built_once_with_each_users_values(app, make_user):
    ann, bob = make_user(name="Ann"), make_user(name="Bob")
    db.session.add_all([SavedFilter(user_id=ann.id, entity="client", name="Ann's", query="q=a"),
                        SavedFilter(user_id=bob.id, entity="client", name="Bob's", query="q=b"),
                        SavedFilter(user_id=bob.id, entity="client", name="Everyone's", query="q=c", shared=True)])
    save_columns(bob.id, "client", ["last_name", "city"])
    notify(ann, "assigned", "One")
    notify(ann, "assigned", "Two")
    db.session.commit()
    with app.test_request_context():
        first, second = _settings_of(ann), _settings_of(bob)
        ann_found, bob_found = first.run(), second.run()
        assert first._statement(False) is second._statement(False)  # built once for both
    assert sorted(found.name for found in ann_found["list:saved_filters"]) == ["Ann's", "Everyone's"]
    assert sorted(found.name for found in bob_found["list:saved_filters"]) == ["Bob's", "Everyone's"]
    assert (ann_found["unread"], bob_found["unread"]) == (2, 0)
    assert ann_found["list:preference"] == [] and bob_found["list:preference"][0].columns == ["last_name", "city"]


def test_a_read_built_on_the_spot_builds_the_pass_anew(app, make_user):
    ann = make_user(name="Ann")
    with app.test_request_context():
        reads = _settings_of(ann)
        reads.rows("users", select(User).where(User.id == ann.id))
        assert reads._statement(False) is not reads._statement(False)
        assert [user.name for user in reads.run()["users"]] == ["Ann"]


def test_a_kept_pass_is_not_used_for_other_reads_of_the_same_identity(app, make_user, monkeypatch):
    """The cache holds each pass's reads and checks them: a statement that took over the identity
    of a forgotten one cannot get another pass's statement."""
    ann = make_user(name="Ann")
    with app.test_request_context():
        reads = OnePass()
        reads.rows("names", select(User.name).where(User.id == ann.id), params={})
        built = reads._statement(False)
        key = next(key for key, kept in onepass._PREPARED.items() if kept[1] is built)
        stranger = select(User.id)
        monkeypatch.setitem(onepass._PREPARED, key, ((stranger,), stranger))
        assert reads._statement(False) is not stranger
        assert [row.name for row in reads.run()["names"]] == ["Ann"]


def test_the_list_page_builds_its_settings_statement_once(staff_client):
    assert staff_client.get("/clients/").status_code == 200
    kept = dict(onepass._PREPARED)
    assert staff_client.get("/clients/?q=a").status_code == 200
    assert onepass._PREPARED == kept and kept


def test_a_records_page_sends_the_same_statements_for_another_record(admin, admin_client, monkeypatch):
    """A client's page, its panels included (activities, documents, consents, linked records, the
    shortcuts' titles), is read by statements built once: another client's page uses the very same
    statement object with its own values (SQLAlchemy finds it compiled; PostgreSQL plans its text
    once per connection) and shows its own rows."""
    people = []
    for name in ("Lavoie", "Mitchell"):
        person = records.create(entities().get("client"), {"first_name": "Ann", "last_name": name}, admin)
        db.session.commit()
        records.create(entities().get("note"), {"subject": f"Note {name}", "text": "x",
                                                "related_to": f"client:{person.id}"}, admin)
        db.session.commit()
        people.append(person.id)
    for person_id in people:  # each page once: the recent views are then the same two records
        assert admin_client.get(f"/clients/{person_id}").status_code == 200

    built = []
    statement_of = OnePass._statement
    monkeypatch.setattr(OnePass, "_statement", lambda self, postgresql, base=None, prepared=None: built.append(
        (self._all_prepared, statement_of(self, postgresql, base, prepared))) or built[-1][1])
    pages = {person_id: admin_client.get(f"/clients/{person_id}").get_data(as_text=True) for person_id in people}

    # each page: the session and its user (with the plugins' session reads), the record with its
    # settings, then the page's reads
    assert len(built) == 6 and all(prepared for prepared, _statement in built)
    assert all(built[index][1] is built[index + 3][1] for index in range(3))
    assert "Note Mitchell" in pages[people[1]] and "Note Lavoie" not in pages[people[1]]
    assert "Note Lavoie" in pages[people[0]] and "Note Mitchell" not in pages[people[0]]
