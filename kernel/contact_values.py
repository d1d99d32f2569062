"""E-mail addresses and phone numbers, checked and written one way everywhere (forms, the API,
imports, the command line).

``email_validator`` and ``phonenumbers`` know every rule, and cost 20–30 µs a value, which an
import of 100,000 rows pays twice per row. Most values are plain: an ASCII address, a North
American number with ten digits. Those are recognised by one regular expression and give exactly
what the libraries give (``tests/kernel/test_contact_values.py`` compares both ways); anything
else goes through the libraries.
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

DEFAULT_PHONE_REGION = "CA"

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_EMAIL = re.compile(rf"({_ATOM}(?:\.{_ATOM})*)@((?:{_LABEL}\.)+[A-Za-z]{{2,63}})")
PLAIN_NANP_PHONE = re.compile(r"(?:\+?1[ .-]?)?\(?([2-9]\d\d)\)?[ .-]?(\d{3})[ .-]?(\d{4})")


class PhoneNotValid(ValueError):
    """Not a phone number anyone could dial."""


def normalized_email(text: str) -> str:
    """The address as stored (the domain in lower case); ``EmailNotValidError`` when it is not one."""
    text = text.strip()
    plain = PLAIN_EMAIL.fullmatch(text)
    if plain and _plain_email_is_valid(plain.group(1), plain.group(2).lower(), text):
        return f"{plain.group(1)}@{plain.group(2).lower()}"
    return validate_email(text, check_deliverability=False).normalized


def _plain_email_is_valid(local: str, domain: str, text: str) -> bool:
    """What ``email_validator`` checks beyond the pattern: lengths, reserved domains; labels
    with "--" (internationalised names) are left to it."""
    if len(local) > 64 or len(text) > 254 or len(domain) > 253 or "--" in domain:
        return False
    return not any(domain == name or domain.endswith("." + name) for name in SPECIAL_USE_DOMAIN_NAMES)


def formatted_phone(text: str) -> str:
    """The number written one way: "(867) 979-1234" in North America, "+33 1 23 45 67 89"
    elsewhere, with " ext. 12" when it has an extension; ``PhoneNotValid`` when it is not one."""
    text = text.strip()
    plain = PLAIN_NANP_PHONE.fullmatch(text)
    if plain:
        area, exchange, line = plain.groups()
        return f"({area}) {exchange}-{line}"
    try:
        number = phonenumbers.parse(text, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise PhoneNotValid(text) from error
    if not phonenumbers.is_possible_number(number):
        raise PhoneNotValid(text)
    style = phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1 else \
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
    formatted = phonenumbers.format_number(number, style)
    if number.extension:
        formatted = formatted.split(" ext.")[0] + f" ext. {number.extension}"
    return formatted


__all__ = ["EmailNotValidError", "PhoneNotValid", "formatted_phone", "normalized_email"]
