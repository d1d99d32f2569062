"""SMS through a real gateway: an HTTP API of the Twilio kind (``POST
{SMS_GATEWAY_URL}/2010-04-01/Accounts/{account}/Messages.json`` with ``To``, ``From`` and ``Body``,
HTTP basic authentication), offered to the kernel's outbox as the SMS provider ``gateway``.

Settings (instance config file, or environment variables of the same names):
``SMS_PROVIDER = "gateway"``, ``SMS_GATEWAY_URL`` (default ``https://api.twilio.com``),
``SMS_GATEWAY_ACCOUNT``, ``SMS_GATEWAY_TOKEN``, ``SMS_GATEWAY_FROM`` (the sending number) and
``SMS_GATEWAY_TIMEOUT`` (seconds, default 20).

SMS from people arrive on ``POST /sms_gateway/inbound`` (the gateway's inbound webhook, signed with
``SMS_GATEWAY_TOKEN``; ``plugins.sms_gateway.inbound``) and go to the plugins that take them
(``passerelle_inbound_sms``: the contact centre's text contacts)."""

from kernel.toolkit import hookimpl
from kernel.toolkit import lazy_gettext as _l

LABEL = _l("SMS gateway")
REQUIRES = ()


@hookimpl
def passerelle_sms_providers():
    from plugins.sms_gateway.provider import GatewayProvider

    return {"gateway": GatewayProvider()}


@hookimpl
def passerelle_blueprints():
    from plugins.sms_gateway.inbound import blueprint

    return [blueprint]
