"""The gateway's inbound webhook: an SMS a person sent to the organisation's number, posted by
the gateway as a form (``From``, ``To``, ``Body``, ``MessageSid``) and signed the Twilio way
(``X-Twilio-Signature``: base64 of the HMAC-SHA1, keyed with ``SMS_GATEWAY_TOKEN``, of the
webhook's public address followed by each parameter's name and value, sorted by name). A
message without a valid signature is refused (403) and nothing is read; a signed one is handed
to the plugins through ``receive_sms``, which ignore a message id they already took (the gateway
retries)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from flask import Blueprint, current_app, jsonify, request

from kernel.toolkit import InboundSms, csrf_exempt, db, receive_sms, utcnow
from kernel.toolkit import gettext as _
from plugins.sms_gateway.provider import setting

blueprint = Blueprint("sms_gateway", __name__)

MAX_BODY = 1600


def signature(url: str, params: dict[str, str], token: str) -> str:
    payload = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def public_url() -> str:
    """The address the gateway called, as configured at the gateway: BASE_URL and the path (the
    request's own host may be a proxy's)."""
    query = request.query_string.decode()
    return current_app.config["BASE_URL"].rstrip("/") + request.path + (f"?{query}" if query else "")


def signed(params: dict[str, str]) -> bool:
    token = setting("SMS_GATEWAY_TOKEN")
    given = request.headers.get("X-Twilio-Signature", "")
    if not token or not given:
        return False
    return hmac.compare_digest(signature(public_url(), params, str(token)), given)


def refused(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    return response


@blueprint.route("/sms_gateway/inbound", methods=["POST"])
@csrf_exempt
def inbound():
    params = {name: request.form.get(name, "") for name in request.form}
    if not signed(params):
        return refused(403, _("The message is not signed by the SMS gateway."))
    sender, sid = params.get("From", "").strip(), params.get("MessageSid", "").strip()
    if not sender or not sid or len(sid) > 64 or len(sender) > 255:
        return refused(400, _("An SMS needs its sender and its identifier."))
    message = InboundSms(sender=sender, recipient=params.get("To", "").strip()[:255],
                         body=params.get("Body", "")[:MAX_BODY], received_at=utcnow(), gateway_id=sid)
    receive_sms(message)
    db.session.commit()
    return current_app.response_class('<?xml version="1.0" encoding="UTF-8"?><Response></Response>',
                                      mimetype="text/xml")
