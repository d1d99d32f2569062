"""Sending e-mail: messages go through the outbox (``kernel.outbox``) and the worker sends them.

``send_email`` only queues the message in the current transaction: it leaves once the request
commits, is retried when the SMTP server fails, and shows on ``/admin/outbox``. Without
``SMTP_HOST`` (development) the worker writes it to the log instead of sending it.

Headers are often made of people's text (a resource's name in a subject, a report's name in an
attachment's file name): ``header_text`` is the one place that makes such text fit on a header
line, used when a message is queued and again when it is built for sending.
"""

from __future__ import annotations

import re

__all__ = ["header_text", "send_email"]

# Every line break str.splitlines knows (CR, LF, VT, FF, NEL, U+2028…) and other control characters:
# in a header they either break the message (Python refuses it, so it failed on every attempt) or
# would start a header of their own.
LINE_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")


def header_text(value: str | None) -> str:
    """``value`` on one line: line breaks and control characters collapsed to single spaces."""
    return LINE_BREAKS.sub(" ", value or "").strip()


def send_email(to: str, subject: str, body: str) -> None:
    """Queue an e-mail; ``passerelle worker`` sends it after the transaction commits."""
    from kernel.outbox import queue_email  # the outbox imports header_text from here

    queue_email(to, subject, body)
