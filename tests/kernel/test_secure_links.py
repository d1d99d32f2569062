"""Secure links: a record's page opened without an account, by a token that only its hash stands for."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from kernel import secure_links
from kernel.access_log import RecordRead
from kernel.db import db, utcnow
from kernel.secure_links import SecureLink


@pytest.fixture
def link_app(make_app):
    """An app with a page reached through a ``demo`` link to a client (a sensitive entity)."""
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    def page(token):
        link = secure_links.open_link("demo", token)
        db.session.commit()
        from flask_babel import gettext

        return f"record {link.record_id} {gettext('Save')}"

    app.add_url_rule("/demo-link/<token>", "demo_link", page)
    return app


def _issue(app, **values):
    with app.app_context():
        token = secure_links.issue(values.pop("purpose", "demo"), entity="client", record_id=7,
                                   days=values.pop("days", 30), **values)
        db.session.commit()
        return token


def test_only_the_hash_of_the_token_is_kept(link_app):
    token = _issue(link_app, email="partner@example.org")
    with link_app.app_context():
        link = db.session.scalar(select(SecureLink))
        assert token not in (link.token_hash, link.email)
        assert len(token) >= 40 and link.expires_at > utcnow() + timedelta(days=29)


def test_a_link_opens_its_record_and_counts_the_visit_in_the_access_log(link_app):
    token = _issue(link_app)
    client = link_app.test_client()
    answer = client.get(f"/demo-link/{token}")
    assert answer.status_code == 200 and "record 7" in answer.text
    client.get(f"/demo-link/{token}")
    with link_app.app_context():
        link = db.session.scalar(select(SecureLink))
        assert link.uses == 2 and link.last_used_at is not None
        reads = db.session.scalars(select(RecordRead)).all()
        assert {(read.entity, read.record_id, read.via, read.user_id) for read in reads} == {
            ("client", 7, "link:demo", None)}


@pytest.mark.parametrize("token", ["not-a-token", "x" * 500])
def test_an_unknown_token_answers_404(link_app, token):
    _issue(link_app)
    assert link_app.test_client().get(f"/demo-link/{token}").status_code == 404


def test_a_token_of_another_purpose_answers_404(link_app):
    token = _issue(link_app, purpose="other")
    assert link_app.test_client().get(f"/demo-link/{token}").status_code == 404


def test_an_expired_link_answers_410_in_its_language(link_app):
    token = _issue(link_app, language="fr")
    with link_app.app_context():
        db.session.scalar(select(SecureLink)).expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    answer = link_app.test_client().get(f"/demo-link/{token}")
    assert answer.status_code == 410
    assert "Ce lien a expiré" in answer.text


def test_a_revoked_link_answers_410(link_app):
    token = _issue(link_app, language="en")
    with link_app.app_context():
        secure_links.revoke(db.session.scalar(select(SecureLink)))
        db.session.commit()
    answer = link_app.test_client().get(f"/demo-link/{token}")
    assert answer.status_code == 410 and "withdrawn" in answer.text


def test_the_page_is_in_the_links_language_unless_the_visitor_chose_one(link_app):
    token = _issue(link_app, language="fr")
    client = link_app.test_client()
    assert "Sauvegarder" in client.get(f"/demo-link/{token}", headers={"Accept-Language": "en"}).text
    client.get("/language/en")
    assert "Save" in client.get(f"/demo-link/{token}").text


def test_the_links_of_a_record_newest_first(link_app):
    _issue(link_app)
    _issue(link_app)
    with link_app.app_context():
        links = secure_links.links_for("client", 7)
        assert len(links) == 2 and links[0].id > links[1].id
