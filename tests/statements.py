"""Counting the SQL statements a piece of code sends (issue 18's budgets): counted, never timed."""

from contextlib import contextmanager

from sqlalchemy import event

from kernel.db import db


@contextmanager
def statements_sent(*, with_parameters: bool = False):
    """The statements sent meanwhile, in order (``(statement, parameters)`` with ``with_parameters``)."""
    sent = []

    def remember(_connection, _cursor, statement, parameters, *_args):
        sent.append((statement, parameters) if with_parameters else statement)

    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
