"""Privacy by design: consent by purpose, who saw what, retention and anonymisation, a person's own
data on request (export and erasure), and the register of confidentiality incidents.

The kernel carries the pieces every module takes part in (person entities, sensitive reads,
the anonymisation and person-data hooks); this plugin keeps the records and the screens.
See docs/privacy.md.
"""

from kernel.toolkit import lazy_gettext as _l

LABEL = _l("Privacy")
ORDER = 95
REQUIRES = ()
from plugins.privacy.access.hooks import *  # noqa: E402, F401, F403  who saw what (access/)
from plugins.privacy.consent.hooks import *  # noqa: E402, F401, F403  consent by purpose (consent/)
from plugins.privacy.incidents.hooks import *  # noqa: E402, F401, F403  the incident register (incidents/)
from plugins.privacy.person_data.hooks import *  # noqa: E402, F401, F403  a person's export and erasure (person_data/)
from plugins.privacy.retention.hooks import *  # noqa: E402, F401, F403  retention rules, holds, runs (retention/)
