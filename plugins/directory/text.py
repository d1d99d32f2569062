"""Words of the resource search: folded, stemmed (light French/English suffix stripping)."""

import re

from kernel.toolkit import fold

_WORD = re.compile(r"[a-z0-9]+")
# Longest suffixes first; a stem keeps at least three letters.
_SUFFIXES = (
    "issements", "issement", "ements", "ement", "ations", "ation", "ments", "ment", "ingly", "ness",
    "ings", "ing", "ies", "eux", "euse", "euses", "aux", "ers", "eurs", "eur", "ees", "ee", "es", "er", "ed",
    "ly", "s", "x", "e",
)
_MIN_STEM = 3


def stem(word: str) -> str:
    """``logements`` → ``log``… the same stem for ``logement``; ``shelters`` → ``shelt`` like ``shelter``."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def words_of(text) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


def stems_of(text) -> list[str]:
    return [stem(word) for word in words_of(text)]
