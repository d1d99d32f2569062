"""Hostile values in every privacy route (consents, who has seen a record, the access report and its
export, a person's export and erasure, retention's dry run and runs, retention rules, legal holds,
the incidents register): a clear 4xx or a page, never a 500, signed in or not."""

import pytest

from tests.privacy.person_helpers import a_client_with_data

HOSTILE = ["\x00", "9" * 30, "-1", "a" * 5000, "2026-02-30", "99999-01-01", "²", "=cmd|' /C calc'!A0",
           "javascript:alert(1)", "\u00e9\u0301" * 300, "0x10", "%00", "%ED%A0%80"]
GETS = ["/privacy/access/", "/privacy/access/export.csv", "/privacy/retention/", "/privacy/retention/runs/",
        "/privacy-incidents/", "/privacy-incidents/export.csv", "/privacy-retention-rules/",
        "/privacy-legal-holds/", "/api/v1/privacy-incidents"]
PARAMETERS = ["user", "entity", "record", "from", "to", "page", "per_page", "bom", "q", "sort", "action",
              "purpose", "given", "channel", "next", "lang"]
PATHS = ["/privacy/access/records/clients/{v}", "/privacy/access/records/{v}/1", "/privacy/people/clients/{v}/export.zip",
         "/privacy/people/{v}/1/export.zip", "/privacy/people/clients/{v}/erase", "/privacy/people/{v}/1/erase",
         "/privacy/consents/clients/{v}", "/privacy/consents/{v}/1", "/privacy/retention/runs/{v}",
         "/privacy-incidents/{v}", "/privacy-retention-rules/{v}", "/privacy-legal-holds/{v}",
         "/api/v1/privacy-incidents/{v}"]
FORM_FIELDS = ("purpose", "given", "channel", "scope", "note", "decided_on", "expires_on", "next", "reason",
               "action", "summary", "occurred_on", "discovered_on", "kind", "description", "people_count",
               "risk", "status", "entity_name", "event", "after_days", "after_months", "outcome", "record",
               "entity", "record_id", "until", "version")


def _status(client, url, method="get", **kwargs):
    return getattr(client, method)(url, **kwargs).status_code


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_query_values_never_give_a_500(app, admin, login_as, value):
    client = login_as(admin)
    for url in GETS:
        for name in PARAMETERS:
            assert _status(client, url, query_string={name: value}) < 500, (url, name)


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_path_and_form_values_never_give_a_500(app, admin, staff, login_as, value):
    zoe = a_client_with_data(staff)
    signed_in, anonymous = login_as(admin), app.test_client()
    for template in PATHS:
        url = template.format(v=value.replace("/", ""))
        assert _status(signed_in, url) < 500, url
        assert _status(anonymous, url) < 500, url
    form = {name: value for name in FORM_FIELDS}
    for url in (f"/privacy/consents/clients/{zoe.id}", f"/privacy/people/clients/{zoe.id}/erase",
                "/privacy/consents/clients/1", "/privacy/people/clients/999999/erase", "/privacy/retention/run",
                "/privacy-incidents/new", "/privacy-retention-rules/new", "/privacy-legal-holds/new"):
        assert _status(signed_in, url, method="post", data=form) < 500, url
        assert _status(anonymous, url, method="post", data=form) < 500, url
    for purpose in ("sms_referrals", "newsletters"):
        form = {**{name: value for name in FORM_FIELDS}, "purpose": purpose, "given": "1"}
        assert _status(signed_in, f"/privacy/consents/clients/{zoe.id}", method="post", data=form) < 500
    assert _status(signed_in, "/api/v1/privacy-incidents", method="post", json=dict.fromkeys(FORM_FIELDS, value)) < 500


@pytest.mark.parametrize("number", ["9" * 30, str(2**63), str(2**31)])
def test_record_ids_beyond_a_database_integer_answer_404(app, admin, login_as, number):
    client = login_as(admin)
    for url in (f"/privacy/access/records/clients/{number}", f"/privacy/people/clients/{number}/export.zip",
                f"/privacy/people/clients/{number}/erase", f"/privacy/consents/clients/{number}",
                f"/privacy/retention/runs/{number}"):
        assert _status(client, url) == 404, url
