"""SMS received from people (a gateway's inbound webhook), handed to the plugins that answer
them through the hook ``passerelle_inbound_sms``: the gateway plugin knows nothing of who reads
them, the contact centre nothing of the gateway."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app


@dataclass(frozen=True)
class InboundSms:
    sender: str  # the person's number, as the gateway gives it (+18675550100)
    recipient: str  # the organisation's number the person wrote to
    body: str
    received_at: datetime  # UTC, naive
    gateway_id: str  # the gateway's id of the message: the same on every retry


def receive_sms(message: InboundSms) -> bool:
    """Give ``message`` to the plugins; True when one of them took it (or had already taken it)."""
    plugin_set = current_app.extensions["passerelle.plugins"]
    return any(plugin_set.hook.passerelle_inbound_sms(message=message))
