"""Issue 18, province-scale data: on PostgreSQL a list not shown newest first reads its page and
its capped count in one statement (the count a subquery run once); the rows, their order and the
count are those of a separate count, on SQLite and PostgreSQL. Counted, never timed."""

import re

from kernel import listing, records
from kernel.db import db
from kernel.registry import entities
from tests.statements import statements_sent


def _clients(user, names, **fields) -> list[int]:
    entity = entities().get("client")
    made = [records.create(entity, {"first_name": first, "last_name": last, **fields}, user).id
            for first, last in names]
    db.session.commit()
    return made


def _page(client, path) -> tuple[list[int], str]:
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = html[html.index("<tbody"):html.index("</tbody>")]
    ids = [int(found) for found in re.findall(r'name="ids" value="(\d+)"', rows)]
    return ids, re.search(r'<p class="count"[^>]*>(.*?)</p>', html, re.S).group(1)


def _reading_clients(sent) -> list[str]:
    return [statement for statement in sent if "FROM clients" in statement]


def test_the_rows_order_and_count_are_those_of_a_separate_count(staff_client, staff):
    names = [("Émile", "Roy"), ("Zoé", "Côté"), ("Léa", "Roy"), ("Théo", "Morin"), ("Inès", "Roy")]
    made = dict(zip(names, _clients(staff, names, city="Iqaluit"), strict=True))
    _clients(staff, [("Solo", "Giroux")], city="Montréal")
    expected = [made[name] for name in sorted(names, key=lambda name: (name[1], made[name]))]
    first, count = _page(staff_client, "/clients/?city__equals=Iqaluit&sort=last_name&per_page=2")
    second, _ = _page(staff_client, "/clients/?city__equals=Iqaluit&sort=last_name&per_page=2&page=2")
    third, _ = _page(staff_client, "/clients/?city__equals=Iqaluit&sort=last_name&per_page=2&page=3")
    assert first + second + third == expected
    assert "5 records" in count
    exact, exact_count = _page(staff_client, "/clients/?city__equals=Iqaluit&sort=last_name&per_page=2&count=exact")
    assert exact == first and "5 records" in exact_count


def test_past_the_cap_the_count_is_more_than(staff_client, staff, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    made = _clients(staff, [(f"P{index}", f"Name{index}") for index in range(5)])
    rows, count = _page(staff_client, "/clients/?sort=-last_name&per_page=2")
    assert rows == list(reversed(made))[:2] and "More than 3 records" in count
    rows, count = _page(staff_client, "/clients/?sort=-last_name&per_page=2&page=3")
    assert rows == [made[0]] and "More than 3 records" in count


def test_a_page_past_the_end_is_empty_and_still_counted(staff_client, staff):
    _clients(staff, [("A", "Gagnon"), ("B", "Côté"), ("C", "Roy")])
    rows, count = _page(staff_client, "/clients/?sort=last_name&per_page=2&page=7")
    assert rows == [] and "3 records" in count


def test_postgresql_sends_one_statement_for_the_page_and_its_count(staff_client, staff):
    _clients(staff, [("A", "Gagnon"), ("B", "Côté"), ("C", "Roy")])
    staff_client.get("/clients/?mine=1&sort=last_name")
    with statements_sent() as sent:
        staff_client.get("/clients/?mine=1&sort=last_name")
    reading = _reading_clients(sent)
    if db.is_sqlite:  # its count then its page (SQLite may be told which index to read, by the count)
        assert len(reading) == 2 and "count(" in reading[0].lower()
        return
    assert len(reading) == 1, "\n---\n".join(reading)
    assert "count(" in reading[0].lower() and "ORDER BY clients.last_name" in reading[0]


def test_the_api_lists_and_counts_as_before(app, staff, token_for):
    made = _clients(staff, [("A", "Gagnon"), ("B", "Côté"), ("C", "Roy")])
    response = app.test_client().get("/api/v1/clients?sort=last_name&per_page=2", headers=token_for(staff))
    body = response.get_json()
    assert response.status_code == 200 and body["total"] == 3 and body["total_is_exact"] is True
    assert [item["id"] for item in body["items"]] == [made[1], made[0]]
