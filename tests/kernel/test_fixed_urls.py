"""The sidebar's and "+" menu's links are built once, and stay right under another mount point."""

from flask import url_for

from kernel.menu import fixed_url


def test_a_fixed_url_is_the_url_for_of_the_same_endpoint(app):
    with app.test_request_context("/"):
        assert fixed_url("records.list_records", plural="clients") == url_for("records.list_records", plural="clients")
        assert fixed_url("records.create_record", plural="clients") == "/clients/new"
        assert fixed_url("records.list_records", plural="clients") == "/clients/"  # from the cache


def test_an_application_mounted_under_a_prefix_gets_its_own_links(make_app):
    app = make_app()  # each request in an app context of its own, as when served (g is the app context's)
    with app.test_request_context("/"):
        assert fixed_url("records.list_records", plural="clients") == "/clients/"
    with app.test_request_context("/", base_url="http://localhost/crm/"):
        assert fixed_url("records.list_records", plural="clients") == "/crm/clients/"


def test_the_sidebar_links_every_module_the_user_may_see(staff_client):
    page = staff_client.get("/clients/").get_data(as_text=True)
    assert 'href="/clients/"' in page and 'href="/clients/new"' in page
