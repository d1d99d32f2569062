"""5,000,000 helpline contacts over 1,000,000 caller profiles, seeded, loaded with COPY.

One repeat caller (``REPEAT_PHONE``) has ``REPEAT_CONTACTS`` earlier contacts and one open contact
with needs and referrals: the contact screen is measured on it. Needs and referrals of the other
contacts are derived from the contacts with set-based SQL (one primary need each, a second need
for one in three, a referral for one in two)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from bench.data import copy_rows
from bench.province.copying import IndexesDropped, execute
from kernel.text import fold

PROFILES = 1_000_000
CONTACTS = 5_000_000
REPEAT_CONTACTS = 1_000
REPEAT_PHONE = "(867) 979-0000"
SEED = 2026
FIRST_DAY = datetime(2024, 1, 1)
NOW = datetime(2026, 11, 23, 12, 0)
LINES = [("prov-211", "211 line", "Ligne 211", "phone"), ("prov-crisis", "Crisis line", "Ligne de crise", "phone"),
         ("prov-chat", "Chat", "Clavardage", "chat"), ("prov-sms", "Text line", "Ligne texto", "sms"),
         ("prov-email", "E-mail", "Courriel", "email"), ("prov-walkin", "Front desk", "Accueil", "walk_in")]
FIRST = ["Émile", "Amélie", "François", "Hélène", "Zoé", "Noël", "Léa", "Théo", "Marie", "Jean", "Sarah",
         "John", "Fatoumata", "Karim", "Priya", "Ngozi", "Benoît", "Inès", "Lucas", "Alice"]
LAST = ["Tremblay", "Gagnon", "Côté", "Bélanger", "Pelletier", "Smith", "MacDonald", "Diallo", "Haddad",
        "García", "Kaur", "Okafor", "Kilabuk", "Akavak", "Roy", "Morin", "Fortin", "Leblanc", "Martin", "Simard"]
SUBJECTS = ["housing", "food", "counselling", "a shelter", "legal aid", "employment", "a food bank", "income support"]
CHANNELS = ["phone"] * 6 + ["chat", "chat", "sms", "email"]
SERVED = ["yes", "yes", "yes", "partly", "no"]
DELIVERY = ["information", "referral", "referral", "advocacy", "crisis_support", "follow_up"]
PROFILE_COLUMNS = ["id", "name", "phone", "phone_digits", "postal_code", "preferred_language", "search_text",
                   "created_at", "updated_at", "created_by_id", "updated_by_id", "version", "custom"]
CONTACT_COLUMNS = ["id", "channel", "line_id", "caller_number", "profile_id", "started_at", "ended_at", "status",
                   "requester_served", "service_delivery", "tags", "notes", "assigned_user_id", "search_text",
                   "created_at", "updated_at", "created_by_id", "updated_by_id", "version", "custom"]


def phone_of(number: int) -> tuple[str, str]:
    """The profile's phone number and its digits: unique per profile."""
    area = (613, 819, 867, 418, 514)[number % 5]
    rest = number // 5
    return f"({area}) {200 + rest // 10_000:03d}-{rest % 10_000:04d}", f"{area}{200 + rest // 10_000:03d}{rest % 10_000:04d}"


def profile_rows(first_id: int, user_id: int):
    rng = random.Random(SEED)
    for number in range(PROFILES):
        if number == 0:
            name, (phone, phone_digits) = "Appelant fréquent", (REPEAT_PHONE, "8679790000")
        else:
            name, (phone, phone_digits) = f"{rng.choice(FIRST)} {rng.choice(LAST)} {number}", phone_of(number)
        created = FIRST_DAY + timedelta(minutes=number)
        yield (first_id + number, name, phone, phone_digits, f"K{number % 10}A {number % 7}B{number % 9}",
               rng.choice(("fr", "en", "fr", "iu", None)), f"{fold(name)} {fold(phone)} {phone_digits}",
               created, created, user_id, user_id, 1, "{}")


def contact_rows(first_id: int, first_profile: int, lines: list[int], agents: list[int], staff: int, user_id: int):
    """The repeat caller's earlier contacts first, then the others spread over three years."""
    rng = random.Random(SEED + 1)
    span = int((NOW - FIRST_DAY).total_seconds())
    for number in range(CONTACTS):
        if number < REPEAT_CONTACTS:
            profile, started = 0, NOW - timedelta(days=number + 1, hours=rng.randrange(8))
        else:
            profile, started = rng.randrange(1, PROFILES), FIRST_DAY + timedelta(seconds=rng.randrange(span))
        phone = REPEAT_PHONE if profile == 0 else phone_of(profile)[0]
        status = "incomplete" if rng.random() < 0.02 else "closed"
        agent = staff if number % 50 == 0 else rng.choice(agents)
        tags = "follow_up" if number % 11 == 0 else None
        yield (first_id + number, rng.choice(CHANNELS), rng.choice(lines), phone, first_profile + profile, started,
               started + timedelta(minutes=rng.randrange(2, 40)), status, rng.choice(SERVED), rng.choice(DELIVERY),
               tags, f"Caller asked about {rng.choice(SUBJECTS)}.", agent, f"{fold(phone)} {phone_key(phone)}",
               started, started, user_id, user_id, 1, "{}")


def phone_key(phone: str) -> str:
    return "".join(char for char in phone if char.isdigit())


def next_id(table: str) -> int:
    return execute(f"SELECT coalesce(max(id), 0) + 1 FROM {table}")[0][0]


def set_sequence(table: str) -> None:
    execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")


def make_lines(user_id: int) -> list[int]:
    for code, name, name_fr, channel in LINES:
        execute("INSERT INTO contactcenter_lines (code, name, name_fr, default_channel, active, search_text, "
                "created_at, updated_at, created_by_id, updated_by_id, version, custom) VALUES "
                "(%s, %s, %s, %s, true, %s, %s, %s, %s, %s, 1, '{}') ON CONFLICT (code) DO NOTHING",
                code, name, name_fr, channel, fold(f"{name} {name_fr}"), NOW, NOW, user_id, user_id)
    return [row[0] for row in execute("SELECT id FROM contactcenter_lines WHERE code LIKE 'prov-%%' ORDER BY id")]


def generate(user_id: int, staff: int, agents: list[int]) -> int:
    """Loads profiles, contacts, needs and referrals; returns the number of rows made."""
    lines = make_lines(user_id)
    first_profile, first_contact = next_id("contactcenter_profiles"), next_id("contactcenter_contacts")
    with IndexesDropped("contactcenter_profiles", "contactcenter_contacts"):
        made = copy_rows("contactcenter_profiles", PROFILE_COLUMNS, profile_rows(first_profile, user_id))
        print(f"#   {made:,} caller profiles copied", flush=True)
        made += copy_rows("contactcenter_contacts", CONTACT_COLUMNS,
                          contact_rows(first_contact, first_profile, lines, agents, staff, user_id))
        print(f"#   {made:,} profiles and contacts copied", flush=True)
    set_sequence("contactcenter_profiles")
    set_sequence("contactcenter_contacts")
    made += derive_needs_and_referrals(first_contact, first_profile, user_id)
    made += open_contact_of_repeat_caller(first_profile, lines[0], staff, user_id)
    return made


def derive_needs_and_referrals(first_contact: int, first_profile: int, user_id: int) -> int:
    terms = [row[0] for row in execute("SELECT id FROM directory_taxonomy_terms WHERE code IS NOT NULL ORDER BY id")]
    low, high = execute("SELECT min(id), max(id) FROM directory_services")[0]
    stamp = "c.started_at, c.started_at, %(user)s, %(user)s, 1, '', '{}'"
    scope = f"FROM contactcenter_contacts c WHERE c.id >= {first_contact}"
    with IndexesDropped("contactcenter_needs", "contactcenter_referrals"):
        with raw_cursor() as cursor:
            common = "created_at, updated_at, created_by_id, updated_by_id, version, search_text, custom"
            cursor.execute(f"INSERT INTO contactcenter_needs (contact_id, term_id, is_primary, {common}) "
                           f"SELECT c.id, (%(terms)s::int[])[1 + c.id %% %(count)s], true, {stamp} {scope}",
                           {"terms": terms, "count": len(terms), "user": user_id})
            needs = cursor.rowcount
            cursor.execute(f"INSERT INTO contactcenter_needs (contact_id, term_id, is_primary, {common}) "
                           f"SELECT c.id, (%(terms)s::int[])[1 + (c.id / 3) %% %(count)s], false, {stamp} "
                           f"{scope} AND c.id %% 3 = 0", {"terms": terms, "count": len(terms), "user": user_id})
            needs += cursor.rowcount
            cursor.execute(f"INSERT INTO contactcenter_referrals (contact_id, resource_id, profile_id, {common}) "
                           f"SELECT c.id, %(low)s + (c.id::bigint * 7919) %% %(span)s, c.profile_id, {stamp} "
                           f"{scope} AND (c.id %% 2 = 0 OR c.profile_id = %(repeat)s)",
                           {"low": low, "span": high - low + 1, "user": user_id, "repeat": first_profile})
            referrals = cursor.rowcount
    print(f"#   {needs:,} needs and {referrals:,} referrals derived", flush=True)
    return needs + referrals


def open_contact_of_repeat_caller(first_profile: int, line: int, staff: int, user_id: int) -> int:
    contact = execute("INSERT INTO contactcenter_contacts (channel, line_id, caller_number, profile_id, started_at, "
                      "status, assigned_user_id, search_text, created_at, updated_at, created_by_id, updated_by_id, "
                      "version, custom) VALUES ('phone', %s, %s, %s, %s, 'open', %s, %s, %s, %s, %s, %s, 1, '{}') "
                      "RETURNING id", line, REPEAT_PHONE, first_profile, NOW, staff,
                      f"{fold(REPEAT_PHONE)} 8679790000", NOW, NOW, user_id, user_id)[0][0]
    term = execute("SELECT min(id) FROM directory_taxonomy_terms WHERE code IS NOT NULL")[0][0]
    execute("INSERT INTO contactcenter_needs (contact_id, term_id, is_primary, created_at, updated_at, created_by_id, "
            "updated_by_id, version, search_text, custom) VALUES (%s, %s, true, %s, %s, %s, %s, 1, '', '{}')",
            contact, term, NOW, NOW, user_id, user_id)
    execute("INSERT INTO contactcenter_referrals (contact_id, resource_id, profile_id, created_at, updated_at, "
            "created_by_id, updated_by_id, version, search_text, custom) SELECT %s, id, %s, %s, %s, %s, %s, 1, '', "
            "'{}' FROM directory_services ORDER BY id LIMIT 3", contact, first_profile, NOW, NOW, user_id, user_id)
    return 5


def raw_cursor():
    from bench.province.copying import raw_connection

    return raw_connection().cursor()


def repeat_caller_open_contact() -> int | None:
    found = execute("SELECT c.id FROM contactcenter_contacts c JOIN contactcenter_profiles p ON p.id = c.profile_id "
                    "WHERE p.phone_digits = '8679790000' AND c.status = 'open' ORDER BY c.id DESC LIMIT 1")
    return found[0][0] if found else None
