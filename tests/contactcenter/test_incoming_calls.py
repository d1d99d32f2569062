"""Incoming calls create contacts by themselves: the phone system calls the authenticated webhook,
and the browser of the agent (polling from the dashboard) is taken to the new contact."""

from sqlalchemy import select

from kernel.db import db
from plugins.contactcenter.models import Contact
from tests.contactcenter.helpers import fresh, make_line

URL = "/api/v1/contactcenter/incoming"


def test_the_webhook_needs_a_token(app):
    make_line()
    response = app.test_client().post(URL, json={"line": "main", "caller": "8679791234", "call_id": "c1"})
    assert response.status_code == 401
    assert db.session.scalar(select(Contact.id)) is None


def test_a_call_creates_an_open_contact_with_its_line_and_number(app, admin, token_for):
    line = make_line()
    response = app.test_client().post(URL, headers=token_for(admin),
                                      json={"line": "main", "caller": "+1 867 979 1234", "call_id": "call-42"})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    contact = fresh(Contact, body["id"])
    assert (contact.line_id, contact.caller_number, contact.call_id, contact.status, contact.channel) == (
        line.id, "(867) 979-1234", "call-42", "open", "phone")
    assert body["url"].endswith(f"/contactcenter/contacts/{contact.id}")


def test_the_same_call_announced_twice_gives_one_contact(app, admin, token_for):
    make_line()
    client, headers = app.test_client(), token_for(admin)
    first = client.post(URL, headers=headers, json={"line": "main", "caller": "8679791234", "call_id": "dup"})
    again = client.post(URL, headers=headers, json={"line": "main", "caller": "8679791234", "call_id": "dup"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.get_json()["id"] == again.get_json()["id"]
    assert len(db.session.scalars(select(Contact)).all()) == 1


def test_an_unknown_line_or_agent_is_refused_with_the_reason(app, admin, token_for):
    make_line()
    response = app.test_client().post(URL, headers=token_for(admin),
                                      json={"line": "nope", "caller": "1", "agent": "ghost@example.org"})
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert "Unknown line" in errors["line"][0] and "No user" in errors["agent"][0]


def test_a_read_only_token_may_not_create_contacts(app, readonly, token_for):
    make_line()
    response = app.test_client().post(URL, headers=token_for(readonly), json={"line": "main", "call_id": "x"})
    assert response.status_code == 403


def test_the_agent_named_by_the_phone_system_is_taken_to_the_contact(app, admin, staff, token_for, login_as):
    make_line()
    created = app.test_client().post(URL, headers=token_for(admin), json={
        "line": "main", "caller": "8679791234", "call_id": "c7", "agent": staff.email}).get_json()
    agent = login_as(staff)
    poll = agent.get("/contactcenter/poll", headers={"HX-Request": "true"})
    assert poll.headers["HX-Redirect"] == f"/contactcenter/contacts/{created['id']}?tab=details"
    assert agent.get(poll.headers["HX-Redirect"]).status_code == 200
    # once opened, the poll no longer takes the agent back to it
    assert "HX-Redirect" not in agent.get("/contactcenter/poll").headers


def test_a_waiting_call_goes_to_the_first_agent_of_its_line_who_polls(app, admin, staff, make_user, token_for,
                                                                      login_as):
    main, crisis = make_line(), make_line("crisis", "Crisis line", "Ligne de crise")
    other = make_user("staff", email="zoe@example.org")
    waiting = app.test_client().post(URL, headers=token_for(admin), json={
        "line": "crisis", "caller": "8679791234", "call_id": "c8"}).get_json()
    on_main_only = login_as(other)
    on_main_only.post("/contactcenter/my-lines", data={"line_id": str(main.id)})
    assert "HX-Redirect" not in on_main_only.get("/contactcenter/poll").headers  # not their line
    agent = login_as(staff)
    agent.post("/contactcenter/my-lines", data={"line_id": str(crisis.id)})
    assert agent.get("/contactcenter/poll").headers["HX-Redirect"].startswith(f"/contactcenter/contacts/{waiting['id']}")
    assert fresh(Contact, waiting["id"]).assigned_user_id == staff.id


def test_the_dashboard_polls_for_calls_and_lists_the_waiting_ones(app, admin, staff, token_for, login_as):
    make_line()
    app.test_client().post(URL, headers=token_for(admin), json={"line": "main", "caller": "8679791234",
                                                                "call_id": "c9"})
    db.session.get(type(staff), staff.id).workspace = "contact_centre"  # an agent: the contact centre first
    db.session.commit()
    page = login_as(staff).get("/").get_data(as_text=True)
    assert 'hx-get="/contactcenter/poll"' in page and 'hx-trigger="every 3s"' in page
    assert "Contacts waiting on my lines" in page and "(867) 979-1234" in page


def test_an_agent_starts_a_contact_by_hand(app, staff, login_as):
    line = make_line()
    agent = login_as(staff)
    response = agent.post("/contactcenter/contacts/start", data={"channel": "walk_in", "line_id": str(line.id),
                                                            "caller_number": "867 979 5555"})
    assert response.status_code == 302
    contact = db.session.scalar(select(Contact))
    assert (contact.channel, contact.line_id, contact.assigned_user_id) == ("walk_in", line.id, staff.id)
    bad = agent.post("/contactcenter/contacts/start", data={"channel": "pigeon"})
    assert bad.status_code == 422 and "Choose one of the options" in bad.get_data(as_text=True)


def test_an_agent_takes_a_waiting_contact_unless_a_colleague_was_first(app, admin, staff, make_user, token_for,
                                                                       login_as):
    make_line()
    waiting = app.test_client().post(URL, headers=token_for(admin), json={
        "line": "main", "caller": "8679791234", "call_id": "c10"}).get_json()
    colleague = login_as(make_user("staff", email="zoe@example.org"))
    taken = colleague.post(f"/contactcenter/contacts/{waiting['id']}/take")
    assert taken.headers["Location"].startswith(f"/contactcenter/contacts/{waiting['id']}")
    late = login_as(staff).post(f"/contactcenter/contacts/{waiting['id']}/take", follow_redirects=True)
    assert "Another agent took this contact." in late.get_data(as_text=True)
    assert fresh(Contact, waiting["id"]).assigned_user_id != staff.id
