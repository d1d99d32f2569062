"""Notifications: short messages for one user, shown under the bell of the top bar.

``notify(user, kind, message, entity=None, record=None)`` is the service plugins call. The
message is **rendered when the notification is created, in the recipient's language**
(``force_locale(user.language)``): pass a lazy string (``_l("…", name=…)``) and it is translated
for them, whoever triggers it. The stored text then stays readable even if the plugin that wrote
it is disabled later; the price is that a user who changes language keeps the old notifications
in the language they had.

The kernel notifies by itself, through its own implementation of the ``passerelle_record_saved``
hook (``AutomaticNotifications``, registered after the plugins): a user to whom a record is
assigned by someone else, and a user newly ``@mentioned`` in a long-text field. ``@patrick``
matches the local part of an e-mail address (``patrick@…``) or a name without spaces or accents
(``Patrick Émond`` → ``@patrickemond``), ignoring case.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from functools import cache

from flask import g
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import ForeignKey, Index, String, Text, bindparam, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from kernel import hookimpl
from kernel.db import Base, db, utcnow
from kernel.i18n import lazy_gettext as _l
from kernel.text import fold
from kernel.users import User, active_users

log = logging.getLogger(__name__)

ASSIGNED, MENTIONED = "assigned", "mentioned"

# "@" not preceded by a word character (so "ana@example.org" is no mention), then a handle.
MENTION = re.compile(r"(?<![\w@])@([\w][\w.+-]*)")


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(Text)
    entity: Mapped[str | None] = mapped_column(String(64))
    record_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


# -- the service -----------------------------------------------------------------------------

def notify(user_or_id, kind: str, message, entity=None, record=None) -> Notification | None:
    """Add a notification for a user in the current transaction (the caller commits).

    ``message`` is a string or a lazy string rendered in the recipient's language; ``entity``
    an ``Entity`` or its name, ``record`` a record or its id, for the link. Inactive or unknown
    users get nothing (``None`` is returned)."""
    user = user_or_id if isinstance(user_or_id, User) else db.session.get(User, user_or_id)
    if user is None or not user.active:
        return None
    with force_locale(user.language):
        text = str(message)
    notification = Notification(
        user_id=user.id, kind=kind[:50], text=text,
        entity=getattr(entity, "name", entity), record_id=getattr(record, "id", record),
    )
    db.session.add(notification)
    return notification


def unread_count(user_id: int) -> int:
    """Counted on the index ``(user_id, read_at)``."""
    return db.session.scalar(_unread_statement(), {"unread_user_id": user_id})


@cache  # built once, the user a parameter: every page reads it (kernel.onepass)
def _unread_statement():
    return (select(func.count()).select_from(Notification)
            .where(Notification.user_id == bindparam("unread_user_id"), Notification.read_at.is_(None)))


def add_unread_read(reads, user_id: int) -> None:
    """The bell's number, read with a page's other reads (``kernel.onepass``)."""
    reads.scalar("unread", _unread_statement(), params={"unread_user_id": user_id})


def keep_unread_read(found: dict) -> None:
    g.unread_notifications = found["unread"]


def has_unread_count() -> bool:
    return "unread_notifications" in g


def unread_count_for_current_user() -> int:
    """The bell's number: counted at most once per request, with the menus' shortcuts (every
    page's layout shows both: one statement, ``kernel.navigation``)."""
    if not current_user.is_authenticated:
        return 0
    if not has_unread_count():
        _read_with_the_menus()
    if not has_unread_count():  # the menus had been read without it
        g.unread_notifications = unread_count(current_user.id)
    return g.unread_notifications


def _read_with_the_menus() -> None:
    from kernel import navigation

    try:
        navigation.read_layout_of(current_user)
    except SQLAlchemyError:  # as the menus themselves: the layout never breaks the page it is on
        log.exception("cannot read the favourites, recently viewed records and unread count")
        db.session.rollback()


def notifications_of(user_id: int):
    """SELECT of a user's notifications, newest first."""
    return (
        select(Notification).where(Notification.user_id == user_id)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )


def mark_read(user_id: int, notification_id: int) -> bool:
    """Mark one of the user's notifications read; ``False`` when it is not theirs. No commit."""
    notification = db.session.get(Notification, notification_id)
    if notification is None or notification.user_id != user_id:
        return False
    notification.read_at = notification.read_at or utcnow()
    return True


def mark_all_read(user_id: int) -> int:
    """Mark every unread notification of the user read; returns how many. No commit."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow()).execution_options(synchronize_session=False)
    )
    return result.rowcount


# -- @mentions -------------------------------------------------------------------------------

def mentions_in(text: str | None) -> set[str]:
    """The folded handles mentioned in a text: ``"Hi @Émile."`` → ``{"emile"}``."""
    return {fold(handle).rstrip(".-") for handle in MENTION.findall(text or "")} - {""}


def handles_of(user: User) -> set[str]:
    """What mentions a user: their e-mail's local part and their name without spaces."""
    return {fold(user.email.partition("@")[0]), fold(user.name).replace(" ", "")} - {""}


def users_mentioned(handles: set[str]) -> list[User]:
    if not handles:
        return []
    return [user for user in active_users() if handles_of(user) & handles]


def long_text_fields(entity) -> set[str]:
    """The entity's long-text fields, declared or added by an administrator (custom fields)."""
    metas = {**entity.fields, **getattr(entity, "custom_fields", {})}
    return {name for name, meta in metas.items() if meta.kind == "longtext"}


def new_mentions(entity, changes: dict) -> set[str]:
    """Handles present in a long-text field after this save and absent from it before."""
    with_at = {name: (old, new) for name, (old, new) in changes.items() if isinstance(new, str) and "@" in new}
    if not with_at:
        return set()
    long_texts = long_text_fields(entity)
    found = set()
    for name, (old, new) in with_at.items():
        if name in long_texts:
            found |= mentions_in(new) - mentions_in(old if isinstance(old, str) else None)
    return found


# -- automatic notifications -----------------------------------------------------------------

def _author_name(user):
    """The author's name, or a lazy "Someone" (translated with the rest of the message)."""
    return getattr(user, "name", None) or _l("Someone")


def notify_assignment(entity, record, changes: dict, author) -> None:
    old, new = changes.get("assigned_user_id", (None, None))
    if not new or new == old or new == getattr(author, "id", None):
        return
    notify(new, ASSIGNED, _l("%(user)s assigned a record to you: %(title)s",
                             user=_author_name(author), title=entity.title_of(record)),
           entity=entity, record=record)


def notify_mentions(entity, record, changes: dict, author) -> None:
    for user in users_mentioned(new_mentions(entity, changes)):
        if user.id == getattr(author, "id", None):
            continue
        notify(user, MENTIONED, _l("%(user)s mentioned you in %(title)s",
                                   user=_author_name(author), title=entity.title_of(record)),
               entity=entity, record=record)


class AutomaticNotifications:
    """The kernel's own ``passerelle_record_saved``: it reacts to saves like any plugin, so the
    save service (``kernel.records``) stays unaware of notifications."""

    @hookimpl
    def passerelle_record_saved(self, entity, record, created, changes, user):
        notify_assignment(entity, record, changes, user)
        notify_mentions(entity, record, changes, user)


def init_app(app, plugin_set) -> None:
    """Register the automatic notifications and give templates the bell's unread count."""
    plugin_set.manager.register(AutomaticNotifications(), name="kernel.notifications")
    app.jinja_env.globals["unread_notification_count"] = unread_count_for_current_user
