"""The quick way of checking e-mail addresses and phone numbers gives exactly what the libraries
give, and refuses what they refuse."""

import random

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email

from kernel.contact_values import PhoneNotValid, formatted_phone, normalized_email


def library_email(text: str):
    try:
        return validate_email(text.strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def quick_email(text: str):
    try:
        return normalized_email(text)
    except EmailNotValidError:
        return None


def library_phone(text: str):
    try:
        number = phonenumbers.parse(text.strip(), "CA")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    style = phonenumbers.PhoneNumberFormat.NATIONAL if number.country_code == 1 else \
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
    formatted = phonenumbers.format_number(number, style)
    if number.extension:
        formatted = formatted.split(" ext.")[0] + f" ext. {number.extension}"
    return formatted


def quick_phone(text: str):
    try:
        return formatted_phone(text)
    except PhoneNotValid:
        return None


EMAILS = [
    "jean.tremblay@example.org", "Jean.Tremblay@Example.ORG", "  marie@gov.nu.ca ", "a+b@x.co",
    "o'neil@example.com", "x@localhost", "x@example.test", "x@printer.local", "x@example.invalid",
    "x@host", "x@123.456", "x@example.c", ".x@example.org", "x.@example.org", "x..y@example.org",
    "x@-example.org", "x@example-.org", "x@xn--bcher-kva.example", "x@ex--ample.org",
    "éloïse@exemple.ca", "x@exemple.québec", "a" * 64 + "@example.org", "a" * 65 + "@example.org",
    "x@" + "a" * 63 + ".org", "x@" + "a" * 64 + ".org", "x@" + ".".join(["a" * 60] * 5) + ".org",
    "x y@example.org", "x@example.org.", "@example.org", "x@", "x", "", "x@@example.org",
    "\"quoted\"@example.org", "x@[127.0.0.1]", "{x}@example.org", "x@EXAMPLE.onion", "x@a.b.arpa",
]


@pytest.mark.parametrize("text", EMAILS)
def test_an_email_is_checked_as_the_library_checks_it(text):
    assert quick_email(text) == library_email(text)


def test_many_generated_emails_are_checked_as_the_library_checks_them():
    chance = random.Random(2026)
    alphabet = "abcXYZ019.-_+'@é "
    for _ in range(3000):
        text = "".join(chance.choice(alphabet) for _ in range(chance.randint(1, 14))) + \
            chance.choice(["@example.org", "@Ex-ample.CA", ".org", "@a.b", "@x--y.com", ""])
        assert quick_email(text) == library_email(text), text


PHONES = [
    "(867) 979-1234", "867-979-1234", "867.979.1234", "867 979 1234", "8679791234", "+1 867 979 1234",
    "1-867-979-1234", "+18679791234", "1 (867) 979-1234", "(555) 000-0001", "(867)979-1234",
    "(867 979-1234", "867) 979-1234", "(067) 979-1234", "(167) 979-1234", "867-979-123", "867-979-12345",
    "+33 1 23 45 67 89", "+44 20 7946 0958", "867-979-1234 ext. 12", "867-979-1234 x12", "nothing",
    "", "911", "+1 867 979 1234 5", "  (867) 979-1234  ", "867--979-1234", "+ 1 867 979 1234",
]


@pytest.mark.parametrize("text", PHONES)
def test_a_phone_number_is_written_as_the_library_writes_it(text):
    assert quick_phone(text) == library_phone(text)


def test_many_generated_phone_numbers_are_written_as_the_library_writes_them():
    chance = random.Random(2026)
    for _ in range(3000):
        digits = "".join(chance.choice("0123456789") for _ in range(10))
        prefix = chance.choice(["", "1", "1-", "+1 ", "+1", "1 "])
        separator = chance.choice(["", " ", "-", ".", "--"])
        text = prefix + chance.choice([f"({digits[:3]})", digits[:3]]) + separator + digits[3:6] + \
            chance.choice([separator, ""]) + digits[6:]
        assert quick_phone(text) == library_phone(text), text
