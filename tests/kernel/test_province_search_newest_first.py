"""Issue 18, province-scale data: a quick search shown newest first lists the same records, in the
same order and with the same count, however its statements are shaped. On PostgreSQL its count
reads the matches' ids: when they are few (under ``COUNT_CAP``) the page is the newest of them,
loaded by id, and the search is not run a second time for the page. A search for one word that
more than ``COUNT_CAP`` names start with is known to have that many from the names' indexes, and
its matches are not counted at all. Counted, never timed."""

import re

from sqlalchemy import literal, select, text

from kernel import listing, records
from kernel.db import db
from kernel.registry import entities
from kernel.search_index import ACCENTED, UNACCENTED, folded_text, name_fields
from kernel.text import fold
from tests.statements import statements_sent


def _clients(user, names) -> list[int]:
    entity = entities().get("client")
    made = [records.create(entity, {"first_name": first, "last_name": last}, user).id for first, last in names]
    db.session.commit()
    return made


def _listed_ids(client, path) -> list[int]:
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = html[html.index("<tbody"):html.index("</tbody>")]
    return [int(found) for found in re.findall(r'<tr><td class="select"><input type="checkbox" name="ids" value="(\d+)"',
                                               rows)]


def _count_text(client, path) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'<p class="count"[^>]*>(.*?)</p>', html, re.S).group(1)


def _searches(sent) -> list[str]:
    """The statements that search the clients (the count, the ids or the page), but the probe of
    the names' indexes (``_name_probes``)."""
    return [statement for statement in sent if "FROM clients" in statement
            and ("LIKE" in statement or "MATCH" in statement) and statement not in _name_probes(sent)]


def _name_probes(sent) -> list[str]:
    """The statements that count the clients whose name starts with the word searched."""
    return [statement for statement in sent if "lower(translate(last_name" in statement]


def test_few_matches_are_listed_as_when_sorted_by_id(staff_client, staff):
    matches = _clients(staff, [(f"P{index}", f"Kilabuk {index}") for index in range(7)])
    _clients(staff, [("Solo", "Roy"), ("Zoé", "Côté")])
    newest_first = sorted(matches, reverse=True)
    for page in (1, 2, 3, 4):
        shown = _listed_ids(staff_client, f"/clients/?q=kilabuk&per_page=3&page={page}")
        by_id = _listed_ids(staff_client, f"/clients/?q=kilabuk&sort=-id&per_page=3&page={page}")
        assert shown == by_id == newest_first[(page - 1) * 3:page * 3]
    assert "7 records" in _count_text(staff_client, "/clients/?q=kilabuk&per_page=3")
    assert "Page 3 of 3" in staff_client.get("/clients/?q=kilabuk&per_page=3&page=3").get_data(as_text=True)


def test_a_trashed_match_is_neither_listed_nor_counted(staff_client, staff):
    matches = _clients(staff, [(f"P{index}", f"Akavak {index}") for index in range(3)])
    entity = entities().get("client")
    records.delete(entity, records.get(entity, matches[1]), staff)
    db.session.commit()
    assert _listed_ids(staff_client, "/clients/?q=akavak") == [matches[2], matches[0]]
    assert "2 records" in _count_text(staff_client, "/clients/?q=akavak")


def test_no_match_lists_nothing(staff_client, staff):
    _clients(staff, [("Solo", "Roy")])
    assert _listed_ids(staff_client, "/clients/?q=kilabuk") == []
    assert "0 records" in _count_text(staff_client, "/clients/?q=kilabuk")


def test_few_matches_search_once_on_postgresql(staff_client, staff):
    _clients(staff, [(f"P{index}", f"Kilabuk {index}") for index in range(4)])
    staff_client.get("/clients/?q=kilabuk")
    with statements_sent() as sent:
        staff_client.get("/clients/?q=kilabuk")
    searches = _searches(sent)
    if db.is_sqlite:  # its trigram table is read in id order: the count, then the page
        assert len(searches) == 2 and "count(" in searches[0].lower()
        return
    assert len(searches) == 1, "\n---\n".join(searches)
    assert "count(" not in searches[0].lower() and "clients.id" in searches[0]
    by_id = [statement for statement in sent if "FROM clients" in statement and "clients.id IN" in statement]
    assert len(by_id) == 1
    assert len(_name_probes(sent)) == 1  # four names start with "kilabuk": too few to skip the count
    # Only the probe is planned without bitmaps (the names' indexes, not the trigram index).
    assert [statement for statement in sent if "enable_bitmapscan" in statement] == [
        "SET LOCAL enable_bitmapscan = off", "SET LOCAL enable_bitmapscan = on"]


def test_many_matches_are_listed_newest_first_past_the_cap(staff_client, staff, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    matches = _clients(staff, [(f"P{index}", f"Tremblay {index}") for index in range(6)])
    _clients(staff, [("Solo", "Roy")])
    newest_first = sorted(matches, reverse=True)
    with statements_sent() as sent:
        first = _listed_ids(staff_client, "/clients/?q=tremblay&per_page=2")
    assert first == newest_first[:2]
    assert _listed_ids(staff_client, "/clients/?q=tremblay&per_page=2&page=2") == newest_first[2:4]
    assert "More than 3 records" in _count_text(staff_client, "/clients/?q=tremblay&per_page=2")
    if not db.is_sqlite:  # more than three names start with "tremblay": no count, the page walking the primary key
        assert len(_name_probes(sent)) == 1 and len(_searches(sent)) == 1
        assert any("enable_bitmapscan = off" in statement for statement in sent)
    assert "6 records" in _count_text(staff_client, "/clients/?q=tremblay&count=exact")


def test_names_starting_with_the_word_past_the_cap_are_not_counted(staff_client, staff, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    counted = []
    real_matching_ids = listing.matching_ids
    monkeypatch.setattr(listing, "matching_ids", lambda *arguments: counted.append(1) or real_matching_ids(*arguments))
    matches = _clients(staff, [(f"P{index}", f"Tremblay-Roy {index}") for index in range(5)])
    assert _listed_ids(staff_client, "/clients/?q=tremblay&per_page=2") == sorted(matches, reverse=True)[:2]
    assert "More than 3 records" in _count_text(staff_client, "/clients/?q=tremblay&per_page=2")
    assert counted == []  # (SQLite counts its trigram table as it reads it, by the other path)


def test_my_items_and_conditions_are_counted_without_the_names(staff_client, staff, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    _clients(staff, [(f"P{index}", f"Tremblay {index}") for index in range(5)])  # assigned to their maker
    for path, expected in (("/clients/?q=tremblay&mine=1", "More than 3 records"),
                           ("/clients/?q=tremblay&city__equals=Iqaluit", "0 records"),
                           ("/clients/?q=tremblay", "More than 3 records")):
        with statements_sent() as sent:
            assert expected in _count_text(staff_client, path), path
        assert len(_name_probes(sent)) == (0 if "&" in path or db.is_sqlite else 1), path


def test_names_in_the_trash_do_not_count_past_the_cap(staff_client, staff, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    matches = _clients(staff, [(f"P{index}", f"Tremblay {index}") for index in range(5)])
    entity = entities().get("client")
    for record_id in matches[:2]:
        records.delete(entity, records.get(entity, record_id), staff)
    db.session.commit()
    assert _listed_ids(staff_client, "/clients/?q=tremblay") == sorted(matches[2:], reverse=True)
    assert "3 records" in _count_text(staff_client, "/clients/?q=tremblay")


def test_names_the_word_is_inside_are_counted_exactly(staff_client, staff, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    accented = _clients(staff, [("Émile", f"Roy {index}") for index in range(3)])
    inside = _clients(staff, [(f"P{index}", f"Saint-Émile {index}") for index in range(2)])
    assert "More than 3 records" in _count_text(staff_client, "/clients/?q=emile")
    assert _listed_ids(staff_client, "/clients/?q=emile&per_page=10") == sorted(accented + inside, reverse=True)
    assert "5 records" in _count_text(staff_client, "/clients/?q=emile&count=exact")


def test_a_word_of_any_characters_is_searched(staff_client, staff):
    _clients(staff, [("Solo", "Roy")])
    for word in ("roy\U0010ffff", "roy\ud7fb", "123", "o'roy", "roy-roy"):
        response = staff_client.get("/clients/", query_string={"q": word})
        assert response.status_code == 200, word


def test_accented_names_past_the_cap_are_not_counted(staff_client, staff, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    counted = []
    real_matching_ids = listing.matching_ids
    monkeypatch.setattr(listing, "matching_ids", lambda *arguments: counted.append(1) or real_matching_ids(*arguments))
    _clients(staff, [("ÉMILE", "Roy"), ("Emile", "Roy"), ("Émile", "Côté"), ("émile-anne", "Roy")])
    assert "More than 3 records" in _count_text(staff_client, "/clients/?q=emile")
    assert counted == []


def test_the_folded_names_index_serves_the_probe(app):
    if db.is_sqlite:
        return  # SQLite has no such index: its trigram table is read in id order
    from plugins.clients.models import Client

    for name in ("first_name", "last_name"):
        folded = folded_text(getattr(Client, name))
        probe = select(literal(1)).select_from(Client).where(folded >= "emile", folded < "emilf").limit(1001)
        sql = str(probe.compile(db.engine, compile_kwargs={"literal_binds": True}))
        db.session.execute(text("SET LOCAL enable_bitmapscan = off"))
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(db.session.scalars(text("EXPLAIN " + sql)))
        db.session.rollback()
        assert f"ix_clients_{name}_folded" in plan, plan


def test_the_name_fields_are_the_titles_with_a_lower_case_index(app):
    client = entities().get("client")
    assert [meta.name for meta in name_fields(client)] == ["first_name", "last_name"]
    # On PostgreSQL, those whose folded index is there (made with the quick search's indexes).
    assert [meta.name for meta in client.folded_names] == ([] if db.is_sqlite else ["first_name", "last_name"])


def test_names_without_their_folded_index_are_not_probed(staff_client, staff, monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    monkeypatch.setattr(entities().get("client"), "folded_names", [])
    _clients(staff, [(f"P{index}", f"Tremblay {index}") for index in range(5)])
    with statements_sent() as sent:
        assert "More than 3 records" in _count_text(staff_client, "/clients/?q=tremblay")
    assert _name_probes(sent) == []


def test_a_database_not_there_yet_has_no_folded_index(app, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from kernel import search_index

    class Unreachable:
        dialect = db.engine.dialect

        def connect(self):
            raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    client = entities().get("client")
    for kept in ("folded_names", "fts_table", "sort_indexes"):  # mark_indexed sets them all
        monkeypatch.setattr(client, kept, getattr(client, kept))
    monkeypatch.setattr(Unreachable, "dialect", type("Dialect", (), {"name": "postgresql"})())
    search_index.mark_indexed(Unreachable(), [client])
    assert client.folded_names == []


def test_the_folded_letters_are_folds(app):
    assert len(ACCENTED) == len(UNACCENTED) == len(set(ACCENTED))
    assert all(fold(accented) == plain for accented, plain in zip(ACCENTED, UNACCENTED, strict=True))


def test_a_chosen_sort_and_the_api_count_as_before(staff_client, staff):
    matches = _clients(staff, [("Zoé", "Kilabuk"), ("Amélie", "Kilabuk"), ("Benoît", "Kilabuk")])
    by_name = _listed_ids(staff_client, "/clients/?q=kilabuk&sort=first_name")
    assert by_name == [matches[1], matches[2], matches[0]]
    with statements_sent() as sent:
        _listed_ids(staff_client, "/clients/?q=kilabuk&sort=first_name")
    assert any("count(" in statement.lower() for statement in _searches(sent))
