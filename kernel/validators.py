"""Rules across several fields of a record, declared with ``Entity(validators=(...))``.

A validator receives the record's values after the change (a dict) and returns
``{field: message}`` for what is wrong (an empty dict when all is well)."""

from __future__ import annotations

from kernel.i18n import gettext as _


def end_not_before_start(start: str, end: str):
    """The end date (or time) is never before the start."""

    def check(values: dict) -> dict:
        begins, ends = values.get(start), values.get(end)
        if begins is not None and ends is not None and ends < begins:
            return {end: _("The end cannot be before the start.")}
        return {}

    check.__name__ = f"{end}_not_before_{start}"
    return check
