"""Hostile values in every route issue 20 added (follow-ups, warm referrals, capacity, verification,
the public directory, the HSDS API): a clear 4xx or a page, never a 500."""

import pytest

HOSTILE = ["\x00", "9" * 30, "-1", "a" * 5000, "=cmd|' /C calc'!A0", "javascript:alert(1)", "\u00e9\u0301" * 300, "0x10", "%00", "%ED%A0%80"]
GETS = [
    "/contactcenter/followups", "/contactcenter/warm-referrals", "/directory/maintenance",
    "/directory/maintenance/responses", "/directory/public/", "/directory/public/share",
    "/api/v1/contactcenter/followups", "/api/v1/directory/hsds/services", "/api/v1/directory/hsds/organizations",
    "/api/v1/directory/hsds/locations", "/api/v1/directory/hsds/service_at_locations",
    "/api/v1/directory/hsds/taxonomy_terms",
]
PARAMETERS = ["q", "page", "per_page", "status", "which", "assignee", "due_after", "due_before", "contact", "search",
              "modified_after", "proximity", "postcode", "postal_code", "kind", "stale", "lang", "limit", "offset",
              "taxonomy_term_id", "organization_id", "full", "type", "language", "open_now", "near"]
PATHS = ["/contactcenter/warm/{v}", "/directory/verification/{v}", "/directory/public/resources/{v}",
         "/api/v1/directory/hsds/services/{v}", "/contactcenter/followups/{v}", "/directory/maintenance/proposals/{v}"]


@pytest.fixture
def public_app(make_app):
    return make_app(DIRECTORY_PUBLIC=True)


def _answers(client, url, **kwargs):
    method = kwargs.pop("method", "get")
    return getattr(client, method)(url, **kwargs).status_code


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_values_never_give_a_500(public_app, make_user, login_as, value):
    with public_app.app_context():
        client = login_as(make_user("administrator"))
        for url in GETS:
            for name in PARAMETERS:
                status = _answers(client, url, query_string={name: value})
                assert status < 500, (url, name, status)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_path_and_form_values_never_give_a_500(public_app, make_user, login_as, value):
    with public_app.app_context():
        client = login_as(make_user("administrator"))
        for template in PATHS:
            url = template.format(v=value.replace("/", ""))
            assert _answers(client, url) < 500, url
            assert _answers(public_app.test_client(), url) < 500, url
        form = {name: value for name in ("note", "reason", "outcome", "open_spots", "waiting_list", "accepting",
                                         "phone", "what", "details", "due_at", "channel", "decision", "language")}
        for url in ("/directory/public/share", "/contactcenter/referrals/1/warm", "/resources/1/capacity",
                    "/resources/1/wrong", "/contactcenter/followups/1/cancel", "/contactcenter/followups/1/edit",
                    "/directory/maintenance/reports/1/resolved", "/contactcenter/contacts/1/followups/new"):
            assert _answers(client, url, method="post", data=form) < 500, url
        assert _answers(client, "/api/v1/contactcenter/followups", method="post", json=form) < 500
