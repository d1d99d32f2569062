"""Flask-Limiter, for the routes that limit plain request rates (storage from
``RATELIMIT_STORAGE_URI``).

Password checks and forgotten-password requests are not throttled here but by
``kernel.security.throttle``: counters per account and per address shared by every worker,
in the database or in Redis (``kernel.security.passwords.verify_password``)."""

import flask_limiter
from flask import current_app, request
from flask_limiter.util import get_remote_address


class Limiter(flask_limiter.Limiter):
    """Flask-Limiter's, without its check before every view when there is nothing to check there.

    A view's own limit (``@limiter.limit``, ``@limiter.shared_limit``) is checked by its decorator
    when the view runs. Before the view, Flask-Limiter checks the limits of the whole application,
    the default and meta limits, a blueprint's, and those of a function an endpoint's view called
    before (its "hints"); working out that none applies took 4 % of ``serve``'s time under the
    API's load (issue 18). When none of them exists, that check is skipped. Should Flask-Limiter
    no longer have what this looks at, the check runs as before."""

    def _check_request_limit(self, callable_name=None, in_middleware=True):
        if in_middleware and callable_name is None and self._nothing_to_check_before(request.endpoint):
            return None
        return super()._check_request_limit(callable_name, in_middleware)

    def _nothing_to_check_before(self, endpoint: str | None) -> bool:
        try:
            manager = self.limit_manager
            return not (manager.application_limits or manager.default_limits or self._meta_limits
                        or manager._blueprint_limits or manager.has_hints(endpoint or ""))
        except AttributeError:
            return False


limiter = Limiter(get_remote_address, default_limits=[])


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]
