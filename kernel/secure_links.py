"""Secure links: a page of one record opened without an account (a partner organisation answering a
warm referral, an agency confirming its directory records).

``issue`` makes a random token for one purpose and one record and stores only its SHA-256, with an
expiry; the e-mail carries the token. ``open_link`` finds the link again from the token in the URL:
unknown, or issued for another purpose, answers 404; expired or revoked, 410 with a translated
explanation. Every visit is counted and written to the access log (``via="link:<purpose>"``), and the
page is shown in the link's language unless the visitor chose another one.

A route reached through a link has no ``@login_required``: it calls ``open_link`` first and shows
only the minimum data of ``link.record_id``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import g, session
from flask_babel import refresh
from sqlalchemy import DateTime, Index, String, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.exceptions import Gone, NotFound

from kernel import access_log
from kernel.db import Base, db, utcnow
from kernel.i18n import LANGUAGES, lazy_gettext

TOKEN_BYTES = 32
LONGEST_TOKEN = 100  # a longer path segment is no token of ours: refused before hashing


class SecureLink(Base):
    """One link: which record it opens, for what, until when, and how often it was used."""

    __tablename__ = "secure_links"
    __table_args__ = (Index("ix_secure_links_record", "entity", "record_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int] = mapped_column()
    language: Mapped[str | None] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(254))  # where it was sent, if by e-mail
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column()  # no foreign key: links outlive accounts
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    uses: Mapped[int] = mapped_column(default=0)

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()

    @property
    def usable(self) -> bool:
        return self.revoked_at is None and not self.expired


class LinkUnusable(Gone):
    """410 with the reason shown on the error page."""

    def __init__(self, message):
        super().__init__()
        self.shown_message = message


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(purpose: str, *, entity: str, record_id: int, days: int, language: str | None = None,
          email: str | None = None, created_by=None) -> str:
    """A new link to ``record_id`` of ``entity`` for ``purpose``, valid ``days`` days. Returns the
    token to put in the URL (it is not stored); the caller commits."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    db.session.add(SecureLink(
        token_hash=_hash(token), purpose=purpose, entity=entity, record_id=record_id,
        language=language if language in LANGUAGES else None, email=email,
        created_by_id=getattr(created_by, "id", None), expires_at=utcnow() + timedelta(days=days)))
    return token


def find(purpose: str, token: str) -> SecureLink | None:
    """The link of ``token`` for ``purpose``, usable or not; None if there is none."""
    if not token or len(token) > LONGEST_TOKEN:
        return None
    link = db.session.scalar(select(SecureLink).where(SecureLink.token_hash == _hash(token)))
    return link if link is not None and link.purpose == purpose else None


def open_link(purpose: str, token: str) -> SecureLink:
    """The usable link of ``token`` for ``purpose``, with the visit recorded; 404 or 410 otherwise."""
    link = find(purpose, token)
    if link is None:
        raise NotFound()
    _show_in_links_language(link)
    if link.revoked_at is not None:
        raise LinkUnusable(lazy_gettext("This link was withdrawn. Ask the organisation that sent it for a new one."))
    if link.expired:
        raise LinkUnusable(lazy_gettext("This link has expired. Ask the organisation that sent it for a new one."))
    link.last_used_at = utcnow()
    link.uses = (link.uses or 0) + 1
    access_log.note_read(link.entity, link.record_id, via=f"link:{purpose}")
    return link


def revoke(link: SecureLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()


def links_for(entity: str, record_id: int) -> list[SecureLink]:
    """The links issued for one record, newest first."""
    return list(db.session.scalars(
        select(SecureLink).where(SecureLink.entity == entity, SecureLink.record_id == record_id)
        .order_by(SecureLink.created_at.desc(), SecureLink.id.desc())))


def _show_in_links_language(link: SecureLink) -> None:
    """The link's language for this page, unless the visitor picked one (``session["language"]``)."""
    if link.language in LANGUAGES and session.get("language") not in LANGUAGES:
        g.page_language = link.language
        refresh()
