"""Security headers of every response: a Content-Security-Policy that allows no inline script (nor
eval) but a page's own, by a fresh nonce, no sniffing, no framing, a referrer policy (none at all on a URL that
carries a secret), and Cache-Control: no-store on everything that may carry personal data, while
static files and /vendor/ keep their caching."""

import re
from io import BytesIO

from sqlalchemy import select

from kernel.db import db

NONCE = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'")


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def nonce_of(response) -> str:
    return NONCE.search(response.headers["Content-Security-Policy"]).group(1)


def test_a_page_forbids_inline_script_eval_plugins_framing_and_foreign_forms(staff_client):
    response = staff_client.get("/")
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == "'self'"  # the page uses no nonce: no inline code at all
    for directive in ("script-src", "style-src", "default-src"):
        assert "unsafe-inline" not in policy[directive] and "unsafe-eval" not in policy[directive]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["img-src"] == "'self' data:"


def test_each_request_of_a_page_with_inline_code_gets_its_own_nonce(staff_client):
    nonces = {nonce_of(staff_client.get("/activities/calendar")) for _ in range(3)}
    assert len(nonces) == 3


def test_every_script_of_a_page_is_a_file_or_carries_the_requests_nonce(staff_client):
    response = staff_client.get("/activities/calendar")
    html = response.get_data(as_text=True)
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts
    for tag in scripts:
        assert "src=" in tag or f'nonce="{nonce_of(response)}"' in tag, tag
    # FullCalendar's own <style> element is allowed by the request's nonce, given to it in a meta tag
    assert f'<meta name="csp-nonce" content="{nonce_of(response)}">' in html


def test_a_page_is_not_sniffed_framed_or_cached(staff_client):
    response = staff_client.get("/clients/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_login_page_has_the_same_headers(app):
    response = app.test_client().get("/login")
    assert response.status_code == 200
    assert directives(response)["script-src"] == "'self'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_and_vendor_libraries_keep_their_caching(app):
    client = app.test_client()
    for url in ("/static/theme.css", "/static/app.js", "/plugins/activities/static/calendar.js"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        response.close()
    vendor = client.get("/vendor/htmx.js")
    if vendor.status_code == 200:  # node_modules installed (make install)
        assert vendor.headers["Cache-Control"] == "public, max-age=86400"
    vendor.close()


def test_api_answers_are_not_cached(staff, app, token_for):
    response = app.test_client().get("/api/v1/clients", headers=token_for(staff))
    assert response.status_code == 200 and response.is_json
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_list_and_report_exports_are_not_cached(staff_client):
    for url in ("/clients/export.csv", "/reports/export.csv?entity=client&columns=last_name"):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "text/csv"
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.get_data(as_text=True)
        response.close()


def test_a_document_download_is_not_cached(staff_client):
    from plugins.activities.models import DocumentRevision

    staff_client.post("/documents/upload", data={
        "name": "CV", "category": "other", "link": "",
        "file": (BytesIO(b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), "cv.pdf")},
        content_type="multipart/form-data")
    revision = db.session.scalar(select(DocumentRevision))
    download = staff_client.get(f"/documents/files/{revision.id}")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"
    assert "Expires" not in download.headers


def test_a_password_reset_link_sends_no_referrer(app, staff):
    from kernel.views.auth import reset_token

    with app.test_request_context():
        path = f"/password/reset/{reset_token(staff)}"
    response = app.test_client().get(path)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_calendar_feed_sends_no_referrer_and_is_not_cached(app, staff_client):
    staff_client.post("/activities/calendar/token", data={"next": "/profile/"})
    profile = staff_client.get("/profile/").get_data(as_text=True)
    path = re.search(r'value="http://[^"/]+(/activities/calendar/[A-Za-z0-9_-]+\.ics)"', profile).group(1)
    response = app.test_client().get(path)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"


def test_the_public_referral_page_sends_no_referrer_and_is_not_cached(app, staff, staff_client):
    from kernel.outbox import OutboxMessage
    from plugins.contactcenter.models import Referral
    from tests.contactcenter.helpers import make_contact, make_profile, make_resource

    resource = make_resource("Night shelter", None, url="https://shelter.example.org")
    contact = make_contact(staff, profile=make_profile(staff))
    staff_client.post(f"/contactcenter/contacts/{contact.id}/referrals", data={"resource_id": resource.id})
    referral = db.session.scalar(select(Referral))
    staff_client.post(f"/contactcenter/referrals/{referral.id}/sms")
    token = re.search(r"/r/(\S+)", db.session.scalar(select(OutboxMessage.body))).group(1)
    response = app.test_client().get(f"/contactcenter/r/{token}")
    assert response.status_code == 200 and "Night shelter" in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert directives(response)["script-src"] == "'self'"


def test_an_error_page_has_the_headers_too(staff_client):
    response = staff_client.get("/clients/999999")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_an_answer_that_used_no_nonce_allows_no_inline_code_and_draws_none(app, staff, token_for, monkeypatch):
    """An API answer carries no page: its policy allows scripts and styles from our files only,
    and no random nonce is drawn for it (one system call fewer for each API request)."""
    import secrets

    headers, drawn = token_for(staff), []
    token_urlsafe = secrets.token_urlsafe
    monkeypatch.setattr(secrets, "token_urlsafe", lambda size: drawn.append(size) or token_urlsafe(size))
    response = app.test_client().get("/api/v1/clients", headers=headers)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert drawn == []
