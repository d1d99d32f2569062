"""Sending e-mail: messages go through the outbox (``kernel.outbox``) and the worker sends them.

``send_email`` only queues the message in the current transaction: it leaves once the request
commits, is retried when the SMTP server fails, and shows on ``/admin/outbox``. Without
``SMTP_HOST`` (development) the worker writes it to the log instead of sending it.
"""

from __future__ import annotations

from kernel.outbox import build_message, queue_email

__all__ = ["build_message", "send_email"]


def send_email(to: str, subject: str, body: str) -> None:
    """Queue an e-mail; ``passerelle worker`` sends it after the transaction commits."""
    queue_email(to, subject, body)
