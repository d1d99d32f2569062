"""Choice lists: the options of a "choice" field, with French and English labels.

A plugin declares a ``ChoiceList`` once, with its default options; fields refer to it. Labels are
lazy translations, so the same list shows in the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

_registry: dict[str, ChoiceList] = {}


@dataclass
class ChoiceList:
    name: str
    options: list[tuple[str, object]] = field(default_factory=list)

    def __post_init__(self):
        _registry[self.name] = self

    def values(self) -> list[str]:
        return [value for value, _label in self.options]

    def label(self, value) -> str:
        if value is None:
            return ""
        for option_value, option_label in self.options:
            if option_value == value:
                return str(option_label)
        return str(value)

    def items(self) -> list[tuple[str, str]]:
        return [(value, str(label)) for value, label in self.options]


def get_choice_list(name: str) -> ChoiceList:
    return _registry[name]
