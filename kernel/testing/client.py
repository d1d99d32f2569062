"""The test client of the apps the kit builds."""

from __future__ import annotations

from flask.testing import FlaskClient

from kernel.db import db


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (own ``g``, own database session), as in production,
    even though the test itself runs inside an app context."""

    def open(self, *args, **kwargs):
        db.session.remove()  # the request starts with a session of its own, as in production
        with self.application.app_context():
            return super().open(*args, **kwargs)
