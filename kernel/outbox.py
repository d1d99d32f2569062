"""The outbox: e-mails and SMS are queued in the database and sent by the worker.

``queue_email`` and ``queue_sms`` only add a row to the current transaction, so a message leaves
only if the request's work is committed. ``passerelle worker`` calls ``drain``, which sends the
messages that are due, one at a time:

1. **claim** one due message in its own committed transaction: ``status = 'sending'``,
   ``locked_until = now + OUTBOX_LOCK_SECONDS``, ``attempts + 1``. The claim is a single
   ``UPDATE … WHERE id = (SELECT id … LIMIT 1 FOR UPDATE SKIP LOCKED) AND <still due> RETURNING``:
   on PostgreSQL concurrent workers skip each other's rows; on SQLite (which ignores ``FOR
   UPDATE`` and has a single writer) the conditional ``UPDATE`` is atomic, so two workers never
   claim the same row;
2. **send** it, outside any transaction (SMTP, or the SMS provider chosen by ``SMS_PROVIDER``);
3. **record** the outcome: ``sent`` (with the provider's message id), or back to ``queued`` with
   an exponential back-off (1 min, 5 min, 30 min, 2 h, 6 h, 1 day…), or ``failed`` with the last
   error once ``OUTBOX_MAX_ATTEMPTS`` attempts are spent. Administrators see every message at
   ``/admin/outbox`` and can retry failed ones.

Delivery is **at least once**: a worker killed between sending and recording leaves the row in
``sending``; once ``locked_until`` has passed the next drain claims and sends it again. Nothing
is lost, but such a message may arrive twice (e-mails keep the same ``Message-ID`` on every
attempt, so mail clients can recognise the duplicate). A message whose worker died on its last
allowed attempt is marked failed instead of being retried forever.

Without ``SMTP_HOST`` (development) e-mails are written to the log and the console and marked
sent. The kernel's SMS provider ``log`` does the same for SMS; plugins offer real gateways
through the ``passerelle_sms_providers`` hook.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    and_,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column

from kernel import consent
from kernel.db import Base, db, utcnow
from kernel.i18n import lazy_gettext as _l
from kernel.mail import header_text

log = logging.getLogger("passerelle.outbox")

EMAIL, SMS = "email", "sms"
CHANNELS = {EMAIL: _l("E-mail"), SMS: _l("SMS")}

QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"
STATUSES = {QUEUED: _l("Queued"), SENDING: _l("Sending"), SENT: _l("Sent"), FAILED: _l("Failed")}

# Seconds to wait after the 1st, 2nd, 3rd… failed attempt; the last value repeats.
BACKOFF_SECONDS = (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600, 24 * 3600)
ERROR_MAX_LENGTH = 2000
SMTP_TIMEOUT = 30


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt", "status", "next_attempt_at"),  # due messages
        Index("ix_outbox_messages_status_locked_until", "status", "locked_until"),  # abandoned claims
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_message_id: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def summary(self) -> str:
        """What the administrators' list shows: the subject, or the start of an SMS."""
        if self.subject:
            return self.subject
        return self.body if len(self.body) <= 80 else self.body[:79] + "…"


class OutboxAttachment(Base):
    """A file sent with an e-mail of the outbox (a scheduled report's CSV…)."""

    __tablename__ = "outbox_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(120))
    content: Mapped[bytes] = mapped_column(LargeBinary)


# -- queueing --------------------------------------------------------------------------------

def queue_email(to: str, subject: str, body: str, attachments=(), *, person: str | None = None,
                purpose: str | None = None, scope: str | None = None) -> OutboxMessage:
    """Queue an e-mail in the current transaction; it is sent once the transaction commits.
    ``attachments`` are ``(filename, content_type, content_bytes)`` tuples (text in UTF-8).
    A message to or about a person names them (``person="client:42"``) and its ``purpose``
    (``kernel.consent``): without a current consent it raises ``MessageRefused``, nothing queued."""
    message = _queue(EMAIL, header_text(to), body, subject=header_text(subject)[:255],
                     about=(person, purpose, scope))
    if attachments:
        db.session.flush()  # the attachments need the message's id
    for filename, content_type, content in attachments:
        db.session.add(OutboxAttachment(message_id=message.id, filename=header_text(filename)[:255],
                                        content_type=content_type,
                                        content=content))
    return message


# French typography's non-breaking spaces are outside the GSM 7-bit alphabet: one of them would
# send the whole SMS as UCS-2, 70 characters a part instead of 160.
SMS_PLAIN_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2007": " "})


def queue_sms(to: str, body: str, *, person: str | None = None, purpose: str | None = None,
              scope: str | None = None) -> OutboxMessage:
    """Queue an SMS in the current transaction; it is sent once the transaction commits
    (``person``, ``purpose``, ``scope``: as for ``queue_email``)."""
    return _queue(SMS, to, sms_text(body), about=(person, purpose, scope))


def sms_text(body: str) -> str:
    """The body as an SMS carries it: plain spaces for the non-breaking ones."""
    return (body or "").translate(SMS_PLAIN_SPACES)


def _queue(channel: str, to: str, body: str, subject: str | None = None, about=(None, None, None)) -> OutboxMessage:
    recipient = (to or "").strip()
    if not recipient:
        raise ValueError("a message needs a recipient")
    reason = consent.refusal(consent.OutgoingMessage(channel, recipient[:255], subject, body or "", *about))
    if reason:
        raise consent.MessageRefused(reason)
    message = OutboxMessage(
        channel=channel, recipient=recipient[:255], subject=subject, body=body or "",
        status=QUEUED, attempts=0, next_attempt_at=utcnow(),
    )
    db.session.add(message)
    return message


# -- draining --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Claimed:
    """A message this worker holds (status ``sending``) and is about to send."""

    id: int
    channel: str
    recipient: str
    subject: str | None
    body: str
    attempts: int
    created_at: datetime


@dataclass
class DrainReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed


def drain(*, limit: int = 100, now: datetime | None = None,
          should_stop: Callable[[], bool] = lambda: False) -> DrainReport:
    """Send up to ``limit`` due messages, one claim at a time. ``now`` fixes the clock (tests)."""
    clock = (lambda: now) if now is not None else utcnow
    report = DrainReport()
    _give_up_on_abandoned(clock())
    while report.handled < limit and not should_stop():
        claimed = claim_next(clock())
        if claimed is None:
            break
        _send_and_record(claimed, clock, report)
    return report


def _max_attempts() -> int:
    return max(1, int(current_app.config.get("OUTBOX_MAX_ATTEMPTS") or 1))


def _lock_duration() -> timedelta:
    return timedelta(seconds=int(current_app.config.get("OUTBOX_LOCK_SECONDS") or 300))


def due_condition(now: datetime, message=OutboxMessage):
    """Queued and due, or claimed by a worker whose lock expired (it died mid-send)."""
    return or_(
        and_(message.status == QUEUED, message.next_attempt_at <= now),
        and_(message.status == SENDING, message.locked_until < now, message.attempts < _max_attempts()),
    )


def claim_next(now: datetime) -> Claimed | None:
    """Claim the next due message in one committed statement (see the module's docstring)."""
    candidate = aliased(OutboxMessage, name="candidate")
    next_due = (
        select(candidate.id).where(due_condition(now, candidate))
        .order_by(candidate.next_attempt_at, candidate.id).limit(1)
        .with_for_update(skip_locked=True)  # PostgreSQL; SQLite ignores it (one writer at a time)
        .scalar_subquery()
    )
    statement = (
        update(OutboxMessage)
        .where(OutboxMessage.id == next_due, due_condition(now))
        .values(status=SENDING, locked_until=now + _lock_duration(), attempts=OutboxMessage.attempts + 1)
        .returning(
            OutboxMessage.id, OutboxMessage.channel, OutboxMessage.recipient, OutboxMessage.subject,
            OutboxMessage.body, OutboxMessage.attempts, OutboxMessage.created_at,
        )
        .execution_options(synchronize_session=False)
    )
    row = db.session.execute(statement).first()
    db.session.commit()
    return Claimed(*row) if row is not None else None


def _send_and_record(claimed: Claimed, clock, report: DrainReport) -> None:
    try:
        provider_message_id = SENDERS[claimed.channel](claimed)
    except Exception as error:  # noqa: BLE001 - any failure of a gateway is recorded and retried
        log.warning("sending outbox message %s failed (attempt %s): %s", claimed.id, claimed.attempts, error)
        if _record_failure(claimed, describe(error), clock()) == FAILED:
            report.failed += 1
        else:
            report.retrying += 1
        return
    _record_success(claimed, provider_message_id, clock())
    report.sent += 1


def describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:ERROR_MAX_LENGTH]


def backoff(attempts: int) -> timedelta:
    """The wait after ``attempts`` failed attempts: 1 min, 5 min, 30 min, 2 h, 6 h, then 1 day."""
    return timedelta(seconds=BACKOFF_SECONDS[min(max(attempts, 1), len(BACKOFF_SECONDS)) - 1])


def _record_success(claimed: Claimed, provider_message_id, now: datetime) -> None:
    _update(claimed.id, status=SENT, sent_at=now, locked_until=None,
            provider_message_id=str(provider_message_id or "")[:255] or None)


def _record_failure(claimed: Claimed, error: str, now: datetime) -> str:
    """Back to the queue with a delay, or failed for good. Skipped when another worker has claimed
    the message since (our lock expired): that worker records its own outcome."""
    still_ours = (OutboxMessage.status == SENDING, OutboxMessage.attempts == claimed.attempts)
    if claimed.attempts >= _max_attempts():
        _update(claimed.id, *still_ours, status=FAILED, last_error=error, locked_until=None)
        return FAILED
    _update(claimed.id, *still_ours, status=QUEUED, last_error=error, locked_until=None,
            next_attempt_at=now + backoff(claimed.attempts))
    return QUEUED


def _update(message_id: int, *conditions, **values) -> None:
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, *conditions).values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _give_up_on_abandoned(now: datetime) -> None:
    """A worker died while sending the last allowed attempt: fail the message, do not loop."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == SENDING, OutboxMessage.locked_until < now,
               OutboxMessage.attempts >= _max_attempts())
        .values(status=FAILED, locked_until=None,
                last_error="The worker stopped while sending the last attempt; delivery is unknown.")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount:
        log.warning("%s outbox message(s) abandoned by a stopped worker marked failed", result.rowcount)


def retry_now(message_id: int) -> bool:
    """Queue a failed message again with a fresh set of attempts (administrators' "Retry now").
    Does not commit; returns whether the message was failed."""
    result = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == FAILED)
        .values(status=QUEUED, attempts=0, next_attempt_at=utcnow(), locked_until=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def counts_by_status() -> dict[str, int]:
    rows = db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return {status: count for status, count in rows}


# -- e-mail ----------------------------------------------------------------------------------

def build_message(to: str, subject: str, body: str, message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = header_text(to)  # messages queued before headers were cleaned are sent too
    message["Subject"] = header_text(subject)
    if message_id:
        message["Message-ID"] = message_id
    message.set_content(body)
    return message


def stable_message_id(claimed: Claimed) -> str:
    """The same ``Message-ID`` on every attempt, so a duplicate can be recognised."""
    domain = (current_app.config.get("MAIL_FROM") or "passerelle@localhost").rpartition("@")[2] or "localhost"
    return f"<outbox.{claimed.id}.{claimed.created_at:%Y%m%d%H%M%S}@{domain.strip('> ')}>"


def send_email_now(claimed: Claimed) -> str:
    """Send through SMTP (or, without ``SMTP_HOST``, to the log); returns the ``Message-ID``."""
    message_id = stable_message_id(claimed)
    message = build_message(claimed.recipient, claimed.subject or "", claimed.body, message_id)
    add_attachments(message, claimed.id)
    config = current_app.config
    if not config.get("SMTP_HOST"):
        log.warning("SMTP_HOST is not set; e-mail printed instead of sent:\n%s", message)
        print(f"--- e-mail (SMTP_HOST not set) ---\n{message}", flush=True)
        return message_id
    with _smtp_client(config) as client:
        client.send_message(message)
    return message_id


def add_attachments(message: EmailMessage, message_id: int) -> None:
    attachments = db.session.scalars(
        select(OutboxAttachment).where(OutboxAttachment.message_id == message_id).order_by(OutboxAttachment.id))
    for attachment in attachments:
        maintype, _sep, subtype = attachment.content_type.partition("/")
        filename = header_text(attachment.filename)
        if maintype == "text":  # sent with its charset, so that mail clients read accents right
            message.add_attachment(attachment.content.decode("utf-8"), subtype=subtype, filename=filename)
        else:
            message.add_attachment(attachment.content, maintype=maintype, subtype=subtype or "octet-stream",
                                   filename=filename)
    db.session.rollback()  # sending happens outside any transaction


def _smtp_client(config) -> smtplib.SMTP:
    security = (config.get("SMTP_SECURITY") or "none").lower()
    host, port = config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25)
    if security == "ssl":
        client = smtplib.SMTP_SSL(host, port, context=ssl.create_default_context(), timeout=SMTP_TIMEOUT)
    else:
        client = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT)
    try:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            client.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
    except Exception:
        client.close()
        raise
    return client


# -- SMS -------------------------------------------------------------------------------------

class LogSmsProvider:
    """The kernel's SMS provider: writes the message to the log (development, demonstrations)."""

    def send(self, to: str, body: str) -> str:
        message_id = f"log-{uuid.uuid4().hex}"
        log.warning("SMS_PROVIDER is 'log'; SMS to %s written instead of sent (%s):\n%s", to, message_id, body)
        return message_id


def sms_providers(plugin_set) -> dict[str, object]:
    """``log`` and the providers of every enabled plugin (``passerelle_sms_providers``)."""
    providers = {"log": LogSmsProvider()}
    for offered in reversed(plugin_set.hook.passerelle_sms_providers()):
        providers.update(offered or {})
    return providers


def init_app(app, plugin_set) -> None:
    """Choose the SMS provider once, at start; an unknown ``SMS_PROVIDER`` stops the start."""
    from kernel.plugins import PluginError

    providers = sms_providers(plugin_set)
    name = app.config.get("SMS_PROVIDER") or "log"
    if name not in providers:
        raise PluginError(
            f"SMS_PROVIDER is {name!r}, which no enabled plugin offers. Available: {', '.join(sorted(providers))}."
        )
    app.extensions["passerelle.sms_provider"] = providers[name]


def send_sms_now(claimed: Claimed) -> str:
    return current_app.extensions["passerelle.sms_provider"].send(claimed.recipient, claimed.body)


SENDERS: dict[str, Callable[[Claimed], str]] = {EMAIL: send_email_now, SMS: send_sms_now}
