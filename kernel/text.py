"""Text helpers shared by search, duplicates and validation."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(value) -> str:
    """Lower-case, accent-free, single-spaced text: ``"  Émile  Noël"`` → ``"emile noel"``."""
    if value is None:
        return ""
    text = str(value)
    if text.isascii():  # nothing to decompose (most values; imports fold millions)
        return _SPACES.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    return _SPACES.sub(" ", text.casefold()).strip()


def digits(value) -> str:
    """Only the digits of a value, for phone numbers written in any format."""
    return re.sub(r"\D", "", str(value or ""))
