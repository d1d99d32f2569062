"""Sending e-mail through SMTP; without ``SMTP_HOST`` (development) the message goes to the log."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("passerelle.mail")


def build_message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


def send_email(to: str, subject: str, body: str) -> None:
    message = build_message(to, subject, body)
    config = current_app.config
    if not config.get("SMTP_HOST"):
        log.warning("SMTP_HOST is not set; e-mail printed instead of sent:\n%s", message)
        print(f"--- e-mail (SMTP_HOST not set) ---\n{message}", flush=True)
        return
    security = (config.get("SMTP_SECURITY") or "none").lower()
    host, port = config["SMTP_HOST"], int(config.get("SMTP_PORT") or 25)
    if security == "ssl":
        client = smtplib.SMTP_SSL(host, port, context=ssl.create_default_context(), timeout=30)
    else:
        client = smtplib.SMTP(host, port, timeout=30)
    with client:
        if security == "starttls":
            client.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            client.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
        client.send_message(message)
