"""Issue 18: a list page sends a fixed, small number of SQL statements, whatever its page size
and whatever its rows point at (users, related records). Counted, never timed."""



from kernel import records
from kernel.db import db
from kernel.registry import entities
from tests.statements import statements_sent

BUDGET = 7  # the layout (favourites, recent views, notifications) and the customisations included: read with the
# user's columns, saved filters and the active users in one statement (`read_list_settings`)


def _page_statements(client, path) -> list[str]:
    client.get(path)  # a first view may remember things; the budget is for every view
    with statements_sent() as sent:
        response = client.get(path)
    assert response.status_code == 200
    return sent


def _clients(user, count, start=0):
    made = [records.create(entities().get("client"), {"first_name": "Émile", "last_name": f"Noël {start + index}",
                                                      "city": "Iqaluit", "assigned_user_id": user.id}, user)
            for index in range(count)]
    db.session.commit()
    return made


def _calls(user, people):
    for person in people:
        records.create(entities().get("call"), {"subject": f"Suivi {person.id}", "related_to": f"client:{person.id}",
                                                "start": "2026-03-02T10:00", "status": "held",
                                                "duration_hours": 0, "duration_minutes": 30}, user)
    db.session.commit()


def test_the_clients_list_costs_the_same_statements_for_3_rows_and_for_50(admin, admin_client):
    _clients(admin, 3)
    few = _page_statements(admin_client, "/clients/?per_page=10")
    _clients(admin, 50, start=3)
    many = _page_statements(admin_client, "/clients/?per_page=50")
    assert len(many) == len(few), "\n---\n".join(many)
    assert len(many) <= BUDGET, f"{len(many)} statements:\n" + "\n---\n".join(many)


def test_a_list_whose_rows_point_at_records_batches_their_titles(admin, admin_client):
    if "call" not in entities():
        return
    _calls(admin, _clients(admin, 2))
    few = _page_statements(admin_client, "/calls/?per_page=10")
    _calls(admin, _clients(admin, 40, start=2))
    many = _page_statements(admin_client, "/calls/?per_page=50")
    assert len(many) == len(few), "\n---\n".join(many)
    assert len(many) <= BUDGET, f"{len(many)} statements:\n" + "\n---\n".join(many)


def test_a_search_and_a_filter_stay_within_the_budget(admin, admin_client):
    _clients(admin, 30)
    for path in ("/clients/?q=noel", "/clients/?city__equals=Iqaluit&first_name__contains=mil"):
        sent = _page_statements(admin_client, path)
        assert len(sent) <= BUDGET, f"{path}: {len(sent)} statements:\n" + "\n---\n".join(sent)
