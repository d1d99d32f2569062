"""The suite's fixtures come from Passerelle's testing kit (``kernel.testing``, a pytest plugin
registered through the ``pytest11`` entry point): a migrated database (SQLite, or PostgreSQL with
--database-url), apps with chosen plugins, users of each role, logged-in clients and API tokens.
The helpers stay importable from here."""

from kernel.testing import TEST_PASSWORD, csrf_token_from, login

__all__ = ["TEST_PASSWORD", "csrf_token_from", "login"]
