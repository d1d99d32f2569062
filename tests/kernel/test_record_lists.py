"""List views: quick search ignoring case and accents, sorting, pagination, My items."""

from kernel import records
from kernel.db import db
from kernel.registry import entities


def _add_clients(user, names):
    entity = entities().get("client")
    for first, last in names:
        records.create(entity, {"first_name": first, "last_name": last}, user)
    db.session.commit()


def test_quick_search_ignores_case_and_accents(staff_client, staff):
    _add_clients(staff, [("Émile", "Noël"), ("Zoé", "Côté"), ("John", "Smith")])
    page = staff_client.get("/clients/?q=emile").get_data(as_text=True)
    assert "Émile Noël" in page and "John Smith" not in page
    page = staff_client.get("/clients/?q=COTE zoe").get_data(as_text=True)
    assert "Zoé Côté" in page and "Émile" not in page


def test_sorting_by_a_column_and_pages(staff_client, staff):
    _add_clients(staff, [(f"Person{i:02d}", f"Name{i:02d}") for i in range(25)])
    first_page = staff_client.get("/clients/?sort=-last_name&per_page=10").get_data(as_text=True)
    assert first_page.index("Name24") < first_page.index("Name23")
    assert "Name14" not in first_page and "25 records" in first_page
    third_page = staff_client.get("/clients/?sort=-last_name&per_page=10&page=3").get_data(as_text=True)
    assert "Name00" in third_page and "Page 3 of 3" in third_page


def test_my_items_shows_only_records_assigned_to_me(staff_client, staff, make_user):
    other = make_user("staff", name="Other")
    _add_clients(staff, [("Mine", "Tremblay")])
    _add_clients(other, [("Theirs", "Gagnon")])
    page = staff_client.get("/clients/?mine=1").get_data(as_text=True)
    assert "Mine Tremblay" in page and "Theirs Gagnon" not in page


def test_quick_search_by_phone_digits_short_words_and_odd_characters(staff_client, staff):
    entity = entities().get("client")
    records.create(entity, {"first_name": "Li", "last_name": "O'Brien", "phone": "867 979 1234"}, staff)
    records.create(entity, {"first_name": "Anna", "last_name": "Smith"}, staff)
    db.session.commit()
    assert "O&#39;Brien" in staff_client.get("/clients/?q=8679791234").get_data(as_text=True)
    assert "O&#39;Brien" in staff_client.get("/clients/?q=979-1234").get_data(as_text=True)
    page = staff_client.get("/clients/?q=li o'brien").get_data(as_text=True)
    assert "O&#39;Brien" in page and "Smith" not in page
    assert staff_client.get('/clients/?q="%25_*').status_code == 200


def test_the_quick_search_index_follows_changes_and_deletions(staff_client, staff):
    entity = entities().get("client")
    record = records.create(entity, {"first_name": "Hélène", "last_name": "Giroux"}, staff)
    db.session.commit()
    records.update(entity, record, {"last_name": "Lachapelle"}, staff)
    db.session.commit()
    assert "Lachapelle" in staff_client.get("/clients/?q=lachap").get_data(as_text=True)
    assert "Hélène" not in staff_client.get("/clients/?q=giroux").get_data(as_text=True)


def test_counting_stops_at_the_cap_unless_asked(staff_client, staff, monkeypatch):
    from kernel import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    _add_clients(staff, [(f"P{i}", f"Jodoin{i}") for i in range(5)] + [("Solo", "Other")])
    page = staff_client.get("/clients/?q=jodoin&sort=last_name&per_page=2").get_data(as_text=True)
    assert "More than 3 records" in page and "Count them exactly" in page
    assert page.index("Jodoin0") < page.index("Jodoin1") and "Jodoin2" not in page
    assert "5 records" in staff_client.get("/clients/?q=jodoin&count=exact").get_data(as_text=True)
    unfiltered = staff_client.get("/clients/").get_data(as_text=True)
    # a whole table's count reads every row (PostgreSQL) or an index's every page (SQLite): capped too
    assert "More than 3 records" in unfiltered


def test_position_and_neighbours_when_opened_from_a_list(staff_client, staff):
    import re
    from html import unescape

    _add_clients(staff, [("A", "Gagnon"), ("B", "Côté"), ("C", "Roy")])
    page = staff_client.get("/clients/?sort=last_name&cols=last_name").get_data(as_text=True)
    links = [unescape(link) for link in re.findall(r'href="(/clients/\d+\?[^"]+)"', page)]
    assert len(links) == 3 and "pos=2" in links[1]
    detail = staff_client.get(links[1]).get_data(as_text=True)
    assert ">2/3<" in detail and 'rel="prev"' in detail and 'rel="next"' in detail
    following = unescape(re.search(r'href="([^"]+)" rel="next"', detail).group(1))
    last = staff_client.get(following).get_data(as_text=True)
    assert "Roy" in last and ">3/3<" in last and 'rel="next"' not in last


def test_a_search_shows_the_newest_matches_first_until_a_column_is_chosen(staff_client, staff):
    _add_clients(staff, [("Amélie", "Tremblay"), ("Zoé", "Tremblay"), ("Benoît", "Tremblay")])
    page = staff_client.get("/clients/?q=tremblay&per_page=2").get_data(as_text=True)
    assert page.index("Benoît") < page.index("Zoé") and "Amélie" not in page
    assert "Newest first" in page and 'name="sort"' not in page
    assert "sort=" not in page[page.index('rel="next"') - 300:page.index('rel="next"')]
    by_name = staff_client.get("/clients/?q=tremblay&sort=first_name&per_page=2").get_data(as_text=True)
    assert by_name.index("Amélie") < by_name.index("Benoît") and "Zoé" not in by_name
    assert "Newest first" not in by_name and 'name="sort" value="first_name"' in by_name


def test_a_filter_matching_many_records_reads_the_sort_index_in_order(staff_client, staff, monkeypatch):
    """SQLite would otherwise sort every match; the page must be the same either way."""
    from sqlalchemy import event

    from kernel import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 3)
    _add_clients(staff, [(f"P{i}", name) for i, name in enumerate(["Roy", "Côté", "Morin", "Bérubé", "Giroux"])])
    statements = []

    def remember(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        page = staff_client.get("/clients/?first_name__starts=p&sort=last_name&per_page=2").get_data(as_text=True)
        few = staff_client.get("/clients/?last_name__equals=roy&sort=last_name").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert page.index("Bérubé") < page.index("Côté") and "Giroux" not in page
    assert "Roy" in few
    hinted = [statement for statement in statements if "INDEXED BY" in statement]
    if db.is_sqlite:
        assert len(hinted) == 1 and "INDEXED BY ix_clients_last_name" in hinted[0]
    else:
        assert hinted == []


def test_a_search_matching_more_than_the_cap_still_shows_the_newest_first(staff_client, staff, monkeypatch):
    """Past the cap the page is read in id order (SQLite: the trigram index's order; PostgreSQL:
    the primary key, without bitmap scans): the same page either way."""
    from kernel import listing

    monkeypatch.setattr(listing, "COUNT_CAP", 2)
    _add_clients(staff, [("Amélie", "Tremblay"), ("Zoé", "Tremblay"), ("Benoît", "Tremblay"), ("Solo", "Roy")])
    page = staff_client.get("/clients/?q=tremblay&per_page=2").get_data(as_text=True)
    assert "More than 2 records" in page
    rows = page[page.index("<tbody>"):page.index("</tbody>")]
    assert rows.index("Benoît") < rows.index("Zoé") and "Amélie" not in rows and "Solo" not in rows
    after = staff_client.get("/clients/?q=roy").get_data(as_text=True)  # the next request plans as usual
    after_rows = after[after.index("<tbody>"):after.index("</tbody>")]
    assert "Solo" in after_rows and "Tremblay" not in after_rows
