"""Identifiers typed by people (activity numbers, case-file numbers, line codes): a field declared
with ``field(identifier=True)`` is unique whatever the case and the spacing, so that ``act-100 ``
cannot sit next to ``ACT-100``. Its value is kept as typed once the spaces are tidied (outer ones
removed, inner runs made one), and compared to the others without regard to case."""

from __future__ import annotations

from marshmallow import fields


def normalise(text: str) -> str:
    """``"  act  -100 "`` → ``"act -100"``."""
    return " ".join(text.split())


def comparable(text: str) -> str:
    """The form two identifiers are compared in (as the database's lower() does it)."""
    return normalise(text).lower()


class Identifier(fields.String):
    """Marshmallow field of an identifier: the tidied text."""

    def _deserialize(self, value, attr, data, **kwargs):
        return normalise(super()._deserialize(value, attr, data, **kwargs))
