"""The agent's working screen, one module per concern: a contact from the moment a call arrives
(``api``) through the screen's steps (``screen``, ``profiles``) and tabs (``details``,
``referrals``, ``programmes``) until it is closed (``closing``); the closing checklist's settings
(``settings``). Every module adds its routes to the one blueprint of ``common``."""

from plugins.contactcenter.followups import views as followup_views  # noqa: F401, E402  the follow-up screens
from plugins.contactcenter.texting import views as texting_views  # noqa: F401, E402  the reply to a text contact
from plugins.contactcenter.views import (  # noqa: F401  importing a module registers its routes
    api,
    closing,
    details,
    profiles,
    programmes,
    referrals,
    screen,
    settings,
)
from plugins.contactcenter.views.common import blueprint

__all__ = ["blueprint"]
from plugins.contactcenter.warm_referrals import views as warm_referral_views  # noqa: F401, E402  warm referrals
