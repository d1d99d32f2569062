"""Issue 18, province-scale data: a standard report grouped by resource has a group per resource
(tens of thousands in a month); it shows the resources with the most referrals instead of refusing
the report as having too many groups."""

from kernel.db import db
from plugins.contactcenter import workflow
from tests.conftest import login
from tests.contactcenter.helpers import make_contact, make_line, make_resource, make_term
from tests.reports.helpers import cells


def referrals_to(user, counts: dict[str, int]) -> None:
    """``counts`` referrals to each named resource, each from its own contact."""
    line, term = make_line(), make_term("BD-1800.2000", "Food pantries")
    for name, count in counts.items():
        resource = make_resource(name, term)
        for _ in range(count):
            workflow.refer(make_contact(user, line=line), resource.id, user)
    db.session.commit()


def test_referrals_per_resource_shows_the_largest_groups_when_there_are_too_many(make_app, make_user, monkeypatch):
    from plugins.reports import engine

    app = make_app()
    with app.app_context():
        manager = make_user("supervisor", language="en")
        referrals_to(manager, {"Food bank": 2, "Shelter": 1, "Legal clinic": 3})
        monkeypatch.setattr(engine, "MAX_GROUPS", 2)
        browser = login(app.test_client(), manager)
        response = browser.get("/reports/standard/contactcenter_referrals_by_resource", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert [row[1] for row in cells(html)] == ["3", "2"]
        assert "Legal clinic" in cells(html)[0][0] and "Food bank" in cells(html)[1][0]
        assert "Only the first 2 groups in this order are shown." in html
        query = response.request.query_string.decode()
        assert "top=2" in query or "top=100" in query
        export = browser.get("/reports/export.csv?" + query).get_data(as_text=True)
        assert export.count("\n") == 3 and "Legal clinic" in export.splitlines()[1]


def test_the_first_groups_follow_the_chosen_sort(make_app, make_user):
    app = make_app()
    with app.app_context():
        manager = make_user("supervisor", language="fr")
        referrals_to(manager, {"Food bank": 2, "Shelter": 1, "Legal clinic": 3})
        browser = login(app.test_client(), manager)
        response = browser.get("/reports/build?entity=referral&group=resource_id&agg=count&sort=count&top=2")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and [row[1] for row in cells(html)] == ["1", "2"]
        assert "Seuls les 2 premiers groupes dans cet ordre sont affichés." in html
        assert 'name="top" value="2"' in html


def test_a_bad_number_of_groups_is_ignored(make_app, make_user):
    app = make_app()
    with app.app_context():
        manager = make_user("supervisor", language="en")
        referrals_to(manager, {"Food bank": 2, "Shelter": 1})
        browser = login(app.test_client(), manager)
        for top in ("-3", "abc", "99999999999999999999", "0"):
            response = browser.get(f"/reports/build?entity=referral&group=resource_id&agg=count&top={top}")
            assert response.status_code == 200 and len(cells(response.get_data(as_text=True))) == 2, top
