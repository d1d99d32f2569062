"""The gateway provider: one HTTP request per SMS, settings read when sending (in the worker)."""

from __future__ import annotations

import base64
import json
import os
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app

DEFAULT_URL = "https://api.twilio.com"
DEFAULT_TIMEOUT = 20


class GatewayError(Exception):
    """The gateway refused the message or could not be reached; the outbox retries it."""


def setting(name: str, default=None):
    value = current_app.config.get(name)
    if value in (None, ""):
        value = os.environ.get(name, default)
    return value


class GatewayProvider:
    def send(self, to: str, body: str) -> str:
        account, token, sender = setting("SMS_GATEWAY_ACCOUNT"), setting("SMS_GATEWAY_TOKEN"), setting(
            "SMS_GATEWAY_FROM")
        if not (account and token and sender):
            raise GatewayError("SMS_GATEWAY_ACCOUNT, SMS_GATEWAY_TOKEN and SMS_GATEWAY_FROM must be set")
        url = f"{setting('SMS_GATEWAY_URL', DEFAULT_URL).rstrip('/')}/2010-04-01/Accounts/{account}/Messages.json"
        request = urllib.request.Request(
            url, method="POST",
            data=urllib.parse.urlencode({"To": to, "From": sender, "Body": body}).encode(),
            headers={"Authorization": "Basic " + base64.b64encode(f"{account}:{token}".encode()).decode(),
                     "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        )
        timeout = float(setting("SMS_GATEWAY_TIMEOUT", DEFAULT_TIMEOUT))
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - URL from settings
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            raise GatewayError(f"gateway answered {error.code}: {gateway_message(error)}") from error
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise GatewayError(f"gateway unreachable: {error}") from error
        if not answer.get("sid"):
            raise GatewayError("the gateway's answer has no message id")
        return str(answer["sid"])


def gateway_message(error: urllib.error.HTTPError) -> str:
    try:
        return str(json.loads(error.read() or b"{}").get("message") or error.reason)
    except ValueError:
        return str(error.reason)
