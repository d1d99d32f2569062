"""The resource's rows edited by hand in its create and edit form (kernel form sections): phones,
weekly hours and closures, service areas, service types, languages and locations.

Each section reads the resource's rows in one query, parses what the user typed (kept as typed
when something is wrong, with translated errors under the inputs named by them) and writes the
difference: rows that did not change stay as they are (their HSDS identifiers too), the others
are deleted and inserted again in one statement each. The kernel saves the sections with the
resource, and the save hook (``passerelle_record_saved``) rebuilds its search rows and hours."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from babel import Locale
from babel.dates import get_day_names
from flask_babel import get_locale
from marshmallow import ValidationError
from sqlalchemy import delete, insert, select

from kernel.toolkit import FormSection, PhoneNotValid, db, entities, fold, formatted_phone, records
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.directory.hours import WEEKDAYS, hours_text
from plugins.directory.models import (
    Site,
    TaxonomyTerm,
    languages,
    phones,
    schedules,
    service_areas,
    service_at_location,
    service_taxonomy,
)
from plugins.directory.search import phone_digits

MAX_ROWS = 30  # rows of one kind a form may send: more is not a hand-kept resource
BLANK_ROWS = 2  # empty rows offered to add phones, hours and closures
TEXT_MAX = 255
PHONE_TYPES = (("voice", _l("Voice")), ("fax", _l("Fax")), ("text", _l("Text message")), ("cell", _l("Mobile")),
               ("video", _l("Video")), ("pager", _l("Pager")), ("textphone", _l("Textphone (TTY)")))
TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(:00)?")


def sections_for_resource(record) -> list[FormSection]:
    return [
        FormSection("phones", _l("Phones"), "directory/form_phones.html", read_phones, parse_phones,
                    save_phones, order=10, context={"phone_types": PHONE_TYPES}),
        FormSection("hours", _l("Opening hours"), "directory/form_hours.html", read_hours, parse_hours,
                    save_hours, order=20, context={"weekday_names": weekday_names}),
        FormSection("areas", _l("Service area"), "directory/form_areas.html", read_areas, parse_areas,
                    save_areas, order=30),
        FormSection("service_types", _l("Service types"), "directory/form_types.html", read_types, parse_types,
                    save_types, order=40, context={"resource_type_choices": type_choices}),
        FormSection("languages", _l("Languages"), "directory/form_languages.html", read_languages,
                    parse_languages, save_languages, order=50, context={"resource_language_choices": language_choices}),
        FormSection("locations", _l("Locations"), "directory/form_locations.html", read_locations,
                    parse_locations, save_locations, order=60),
    ]


# -- shared ----------------------------------------------------------------------------------
def clean_text(value, limit: int = TEXT_MAX) -> tuple[str, str | None]:
    """The text as typed, trimmed, and an error when it cannot be saved."""
    text = (value or "").strip()
    if "\x00" in text or not _encodable(text):
        return text, _("This text contains a character that cannot be saved.")
    if len(text) > limit:
        return text, _("At most %(count)d characters.", count=limit)
    return text, None


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def row_indexes(form, prefix: str) -> list[int]:
    """The row numbers of ``<prefix>-<n>-…`` inputs in the form, in order, at most ``MAX_ROWS``."""
    found = set()
    for key in form.keys():
        match = re.fullmatch(rf"{prefix}-(\d{{1,3}})-\w+", key)
        if match and int(match.group(1)) < MAX_ROWS:
            found.add(int(match.group(1)))
    return sorted(found)


def own_id(value, known: set[int]) -> int | None:
    """A row id sent back by the form, if it is one of this resource's rows (else the row is new)."""
    return int(value) if value and str(value).isdigit() and int(value) in known else None


def write_rows(table, service_id: int, existing: list[dict], wanted: list[dict], same) -> None:
    """Make the resource's rows of ``table`` the ``wanted`` ones. ``same(old, new)``: an existing row
    already says what a wanted one says; it stays. A wanted row with the ``id`` of an existing one
    replaces it (keeping its id and HSDS identifier); the others are new."""
    by_id = {row["id"]: row for row in existing}
    kept, replaced, added = set(), [], []
    for row in wanted:
        old = by_id.get(row.get("id"))
        if old is None:
            old = next((row_ for row_ in existing if row_["id"] not in kept and same(row_, row)), None)
        if old is not None and same(old, row):
            kept.add(old["id"])
        elif old is not None:
            kept.add(old["id"])
            replaced.append({**old, **row, "id": old["id"], "service_id": service_id})
        else:
            added.append({**row, "service_id": service_id})
    removed = [row["id"] for row in existing if row["id"] not in kept] + [row["id"] for row in replaced]
    if removed:
        db.session.execute(delete(table).where(table.c.id.in_(removed)))
    columns = [column.name for column in table.columns if column.name != "id"]
    if replaced:  # one statement for all: every row names every column
        db.session.execute(insert(table), [{"id": row["id"], **{name: row.get(name) for name in columns}}
                                           for row in replaced])
    if added:
        db.session.execute(insert(table), [{name: row.get(name) for name in columns} for row in added])


def change(key: str, before: list[str], after: list[str]) -> dict:
    old, new = "; ".join(before), "; ".join(after)
    return {key: (old or None, new or None)} if old != new else {}


def _rows(statement) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(statement)]


# -- phones ----------------------------------------------------------------------------------
PHONE_INPUTS = ("number", "extension", "type", "description")


def _phones_of(service_id) -> list[dict]:
    return _rows(select(phones).where(phones.c.service_id == service_id).order_by(phones.c.id))


def read_phones(record) -> dict:
    rows = _phones_of(record.id) if record is not None else []
    return {"rows": [{"id": row["id"], **{name: row[name] or "" for name in PHONE_INPUTS}} for row in rows]}


def parse_phones(form, record) -> tuple[dict, dict]:
    rows, errors = [], {}
    for index in row_indexes(form, "phone"):
        row = {"id": form.get(f"phone-{index}-id", ""), "remove": bool(form.get(f"phone-{index}-remove"))}
        for name in PHONE_INPUTS:
            row[name], error = clean_text(form.get(f"phone-{index}-{name}"), 20 if name == "extension" else TEXT_MAX)
            if error:
                errors[f"phone-{len(rows)}-{name}"] = [error]
        if not any(row[name] for name in PHONE_INPUTS):
            continue
        _check_phone(row, len(rows), errors)
        rows.append(row)
    return {"rows": rows}, errors


def _check_phone(row: dict, index: int, errors: dict) -> None:
    if row["remove"]:
        return
    if not row["number"]:
        errors[f"phone-{index}-number"] = [_("Enter the phone number.")]
    else:
        try:
            row["number"] = formatted_phone(row["number"])
        except PhoneNotValid:
            errors[f"phone-{index}-number"] = [_("Enter a valid phone number, such as 867-979-1234.")]
    if row["extension"] and not row["extension"].isdigit():
        errors[f"phone-{index}-extension"] = [_("An extension is digits only.")]
    if row["type"] and row["type"] not in dict(PHONE_TYPES):
        errors[f"phone-{index}-type"] = [_("Choose a type from the list.")]


def _phone_text(row) -> str:
    extension = f" #{row['extension']}" if row.get("extension") else ""
    return f"{row['number']}{extension}" + (f" ({row['type']})" if row.get("type") else "")


def save_phones(record, values, user) -> dict:
    existing = _phones_of(record.id)
    known = {row["id"] for row in existing}
    wanted = [{"id": own_id(row["id"], known), "number": row["number"], "digits": phone_digits(row["number"]),
               "extension": row["extension"] or None, "type": row["type"] or None,
               "description": row["description"] or None}
              for row in values["rows"] if not row["remove"]]
    write_rows(phones, record.id, existing, wanted,
               lambda old, new: all(old[name] == new[name] for name in PHONE_INPUTS))
    return change("phones", [_phone_text(row) for row in existing], [_phone_text(row) for row in wanted])


# -- opening hours and closures --------------------------------------------------------------
def _schedules_of(service_id) -> list[dict]:
    return _rows(select(schedules).where(schedules.c.service_id == service_id).order_by(schedules.c.id))


RULE_COLUMNS = ("valid_from", "valid_to", "dtstart", "until", "count", "interval", "byweekno", "bymonthday",
                "byyearday", "location_id")


def is_weekly(row) -> bool:
    """Hours on days of the week, nothing more: what the form edits (other imported rules stay)."""
    return bool(row["opens_at"] and row["closes_at"] and row["byday"]) \
        and (row["freq"] or "WEEKLY").upper() == "WEEKLY" and not any(row[name] for name in RULE_COLUMNS)


def is_closure(row) -> bool:
    return not row["opens_at"] and bool(row["valid_from"]) and not row["location_id"]


def _hour_row(row) -> dict:
    days = [day.strip().upper()[-2:] for day in (row["byday"] or "").split(",")]
    return {"id": row["id"], "days": [day for day in WEEKDAYS if day in days],
            "opens": (row["opens_at"] or "")[:5], "closes": (row["closes_at"] or "")[:5]}


def _closure_row(row) -> dict:
    return {"id": row["id"], "from": row["valid_from"].isoformat() if row["valid_from"] else "",
            "to": row["valid_to"].isoformat() if row["valid_to"] else "", "description": row["description"] or ""}


def read_hours(record) -> dict:
    """The weekly hours and closures the form edits, and the other schedules (kept) in words."""
    rows = _schedules_of(record.id) if record is not None else []
    return {"rows": [_hour_row(row) for row in rows if is_weekly(row)],
            "closures": [_closure_row(row) for row in rows if is_closure(row)],
            "others": [_rule_text(row) for row in rows if not is_weekly(row) and not is_closure(row)]}


def _rule_text(row) -> str:
    """An imported schedule the form does not edit, in words as far as they go."""
    return row["description"] or "; ".join(hours_text([row])) or \
        " ".join(str(row[name]) for name in ("freq", "bymonthday", "opens_at", "closes_at") if row[name])


def parse_hours(form, record, current: dict | None = None) -> tuple[dict, dict]:
    """The weekly hours and closures typed (``current``: what ``read_hours`` gives, when the
    caller has read it with other records')."""
    rows, closures, errors = [], [], {}
    for index in row_indexes(form, "hours"):
        row = {"id": form.get(f"hours-{index}-id", ""), "days": [day for day in WEEKDAYS
                                                                  if day in form.getlist(f"hours-{index}-days")],
               "opens": (form.get(f"hours-{index}-opens") or "").strip()[:8],
               "closes": (form.get(f"hours-{index}-closes") or "").strip()[:8]}
        if row["days"] or row["opens"] or row["closes"]:
            _check_hours(row, len(rows), errors)
            rows.append(row)
    for index in row_indexes(form, "closure"):
        row = {"id": form.get(f"closure-{index}-id", ""), "from": (form.get(f"closure-{index}-from") or "").strip(),
               "to": (form.get(f"closure-{index}-to") or "").strip()}
        row["description"], error = clean_text(form.get(f"closure-{index}-description"))
        if error:
            errors[f"closure-{len(closures)}-description"] = [error]
        if row["from"] or row["to"] or row["description"]:
            _check_closure(row, len(closures), errors)
            closures.append(row)
    return {"rows": rows, "closures": closures, "others": (current or read_hours(record))["others"]}, errors


def _check_hours(row: dict, index: int, errors: dict) -> None:
    if not row["days"]:
        errors[f"hours-{index}-days"] = [_("Tick the days these hours are for.")]
    opens, closes = TIME.fullmatch(row["opens"]), TIME.fullmatch(row["closes"])
    if not opens:
        errors[f"hours-{index}-opens"] = [_("Enter a time such as 09:00.")]
    if not closes:
        errors[f"hours-{index}-closes"] = [_("Enter a time such as 17:00.")]
    if opens and closes and row["closes"][:5] <= row["opens"][:5]:
        errors[f"hours-{index}-closes"] = [_("The closing time comes after the opening time.")]


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _check_closure(row: dict, index: int, errors: dict) -> None:
    start, end = _day(row["from"]), _day(row["to"]) if row["to"] else None
    if start is None:
        errors[f"closure-{index}-from"] = [_("Enter the first day of the closure.")]
    if row["to"] and end is None:
        errors[f"closure-{index}-to"] = [_("Enter a valid date.")]
    elif start and end and end < start:
        errors[f"closure-{index}-to"] = [_("The last day cannot be before the first.")]


def save_hours(record, values, user) -> dict:
    existing = _schedules_of(record.id)
    weekly = [row for row in existing if is_weekly(row)]
    closed = [row for row in existing if is_closure(row)]
    wanted_hours = [{"id": own_id(row["id"], {old["id"] for old in weekly}), "freq": "WEEKLY",
                     "byday": ",".join(row["days"]), "opens_at": f"{row['opens'][:5]}:00",
                     "closes_at": f"{row['closes'][:5]}:00"} for row in values["rows"]]
    write_rows(schedules, record.id, weekly, wanted_hours, lambda old, new: (
        _hour_row(old)["days"] == new["byday"].split(",") and old["opens_at"][:5] == new["opens_at"][:5]
        and old["closes_at"][:5] == new["closes_at"][:5]))
    wanted_closures = [{"id": own_id(row["id"], {old["id"] for old in closed}), "valid_from": _day(row["from"]),
                        "valid_to": _day(row["to"]) if row["to"] else None,
                        "description": row["description"] or None} for row in values["closures"]]
    write_rows(schedules, record.id, closed, wanted_closures, lambda old, new: all(
        old[name] == new[name] for name in ("valid_from", "valid_to", "description")))
    return change("hours", hours_text(weekly) + [_closure_text(row) for row in closed],
                  hours_text(wanted_hours) + [_closure_text(row) for row in wanted_closures])


def _closure_text(row) -> str:
    end = f"–{row['valid_to'].isoformat()}" if row["valid_to"] else ""
    reason = f" ({row['description']})" if row["description"] else ""
    return _("closed %(days)s", days=f"{row['valid_from'].isoformat()}{end}") + reason


def weekday_names() -> list[tuple[str, str]]:
    """(HSDS day code, abbreviated name in the reader's language), Monday first."""
    names = get_day_names("abbreviated", locale=str(get_locale() or "en"))
    return [(code, names[number]) for number, code in enumerate(WEEKDAYS)]


# -- service areas ---------------------------------------------------------------------------
def _areas_of(service_id) -> list[dict]:
    return _rows(select(service_areas).where(service_areas.c.service_id == service_id).order_by(service_areas.c.id))


def read_areas(record) -> dict:
    return {"text": "\n".join(row["name"] or "" for row in (_areas_of(record.id) if record is not None else [])
                              if row["name"])}


def parse_areas(form, record) -> tuple[dict, dict]:
    text = (form.get("areas") or "")[:20000]
    names, seen, errors = [], set(), []
    for line in text.splitlines():
        name, error = clean_text(line)
        if error:
            errors.append(f"{name[:40]}: {error}")
        elif name and fold(name) not in seen:
            seen.add(fold(name))
            names.append(name)
    if len(names) > MAX_ROWS * 3:
        errors.append(_("At most %(count)d service areas.", count=MAX_ROWS * 3))
    return {"text": text, "names": names}, ({"areas": errors} if errors else {})


def save_areas(record, values, user) -> dict:
    existing = _areas_of(record.id)
    wanted = [{"name": name, "folded_name": fold(name)[:TEXT_MAX]} for name in values["names"]]
    write_rows(service_areas, record.id, existing, wanted, lambda old, new: old["name"] == new["name"])
    return change("areas", [row["name"] or "" for row in existing], values["names"])


# -- service types ---------------------------------------------------------------------------
TERM_CHOICES = 1000


def term_label(term, french: bool) -> str:
    return (term.name_fr if french and term.name_fr else term.name) or term.code or ""


def indented(code: str | None, label: str) -> str:
    """A term's label indented by its depth in the code (``BD-1800.2000``: two levels down)."""
    depth = len(re.split(r"[-.]", code)) - 1 if code else 0
    return "\u00a0\u00a0" * depth + label


def _is_french() -> bool:
    return str(get_locale() or "fr") == "fr"


def type_choices(chosen: list[str]) -> list[tuple[str, str]]:
    """(id, name) of the taxonomy's terms, in code order, indented by depth, named in the reader's
    language: the search's service-type picker, by id; the chosen terms are always offered."""
    query = select(TaxonomyTerm).where(TaxonomyTerm.deleted_at.is_(None)).order_by(
        TaxonomyTerm.code.is_(None), TaxonomyTerm.code, TaxonomyTerm.name)
    terms = list(db.session.scalars(query.limit(TERM_CHOICES)))
    shown = {str(term.id) for term in terms}
    missing = [int(value) for value in chosen if value.isdigit() and value not in shown]
    if missing:
        terms += list(db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(missing))))
    french = _is_french()
    return [(str(term.id), indented(term.code, term_label(term, french))) for term in terms]


def _links_of(service_id) -> list[dict]:
    return _rows(select(service_taxonomy).where(service_taxonomy.c.service_id == service_id)
                 .order_by(service_taxonomy.c.id))


def read_types(record) -> dict:
    return {"chosen": [str(row["term_id"]) for row in (_links_of(record.id) if record is not None else [])]}


def parse_types(form, record) -> tuple[dict, dict]:
    chosen = list(dict.fromkeys(value for value in form.getlist("service_types") if value))[:MAX_ROWS * 3]
    ids = [int(value) for value in chosen if value.isdigit() and len(value) < 10]
    known = set(db.session.scalars(select(TaxonomyTerm.id).where(TaxonomyTerm.id.in_(ids),
                                                                 TaxonomyTerm.deleted_at.is_(None)))) if ids else set()
    unknown = [value for value in chosen if not value.isdigit() or len(value) >= 10 or int(value) not in known]
    errors = {"service_types": [_("This service type does not exist (any more): choose one from the list.")]} \
        if unknown else {}
    return {"chosen": [value for value in chosen if value not in unknown]}, errors


def _term_names(ids) -> dict[int, str]:
    if not ids:
        return {}
    terms = db.session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.id.in_(ids)))
    return {term.id: term.code or term.name for term in terms}


def save_types(record, values, user) -> dict:
    existing = _links_of(record.id)
    wanted = [{"term_id": int(value)} for value in values["chosen"]]
    write_rows(service_taxonomy, record.id, existing, wanted, lambda old, new: old["term_id"] == new["term_id"])
    names = _term_names({row["term_id"] for row in existing} | {row["term_id"] for row in wanted})
    return change("service_types", [names.get(row["term_id"], "") for row in existing],
                  [names.get(row["term_id"], "") for row in wanted])


# -- languages -------------------------------------------------------------------------------
@cache
def language_codes() -> frozenset[str]:
    """ISO 639 codes Babel names (two letters, or three for languages without two-letter codes,
    such as Inuinnaqtun ``ikt``)."""
    return frozenset(code for code in Locale("en").languages if re.fullmatch(r"[a-z]{2,3}", code))


@cache
def _language_options(locale_name: str) -> tuple[tuple[str, str], ...]:
    names = Locale.parse(locale_name).languages
    return tuple(sorted(((code, names.get(code, code)) for code in language_codes()),
                        key=lambda item: fold(item[1])))


def language_name(code: str | None, fallback: str | None = None) -> str:
    """A language named in the reader's language, from its code; else the name the data gives."""
    locale = get_locale() or Locale("en")
    if code and code.lower() in language_codes():
        return locale.languages.get(code.lower(), fallback or code)
    return fallback or code or ""


def _language_key(row) -> str:
    return (row["code"] or "").lower() or f"name:{row['name'] or ''}"


def _languages_of(service_id) -> list[dict]:
    return _rows(select(languages).where(languages.c.service_id == service_id).order_by(languages.c.id))


def language_choices(current: list[dict]) -> list[tuple[str, str]]:
    """(code, name in the reader's language) of every language, and the resource's own that have
    no known code (an import may give only a name)."""
    own = [(_language_key(row), row["name"] or row["code"] or "") for row in current
           if _language_key(row) not in language_codes()]
    return own + list(_language_options(str(get_locale() or "en")))


def read_languages(record) -> dict:
    current = _languages_of(record.id) if record is not None else []
    return {"chosen": [_language_key(row) for row in current], "current": current}


def parse_languages(form, record, current: dict | None = None) -> tuple[dict, dict]:
    """The languages chosen (``current``: what ``read_languages`` gives, when the caller has read
    it with other records')."""
    chosen = list(dict.fromkeys(value.strip().lower() if not value.startswith("name:") else value
                                for value in form.getlist("languages") if value.strip()))[:MAX_ROWS * 3]
    unknown = [value for value in chosen if not value.startswith("name:") and value not in language_codes()]
    errors = {"languages": [_("Choose the languages from the list.")]} if unknown else {}
    if current is not None:
        current = current["current"]
    else:
        current = _languages_of(record.id) if record is not None else []
    return {"chosen": [value for value in chosen if value not in unknown], "current": current}, errors


def save_languages(record, values, user) -> dict:
    existing = _languages_of(record.id)
    by_key = {_language_key(row): row for row in existing}
    english = Locale("en").languages
    wanted = []
    for key in values["chosen"]:
        if key in by_key:
            wanted.append({"id": by_key[key]["id"], "code": by_key[key]["code"], "name": by_key[key]["name"]})
        elif not key.startswith("name:"):  # a name-only language not the resource's own: ignored
            wanted.append({"code": key, "name": english.get(key, key)})
    write_rows(languages, record.id, existing, wanted, lambda old, new: old["id"] == new.get("id"))
    return change("languages", [row["name"] or row["code"] or "" for row in existing],
                  [row["name"] or row["code"] for row in wanted])


# -- locations -------------------------------------------------------------------------------
NEW_SITE_INPUTS = ("name", "address_1", "postal_code", "city", "latitude", "longitude")


def _sites_of(service_id) -> list:
    return list(db.session.scalars(select(Site).join(service_at_location, service_at_location.c.location_id == Site.id)
                                   .where(service_at_location.c.service_id == service_id, Site.deleted_at.is_(None))
                                   .order_by(service_at_location.c.id)))


def read_locations(record) -> dict:
    sites = _sites_of(record.id) if record is not None else []
    return {"sites": sites, "remove": [], "add": "", "add_title": "", "new": dict.fromkeys(NEW_SITE_INPUTS, "")}


def parse_locations(form, record) -> tuple[dict, dict]:
    errors = {}
    new = {}
    for name in NEW_SITE_INPUTS:
        new[name], error = clean_text(form.get(f"location-new-{name}"))
        if error:
            errors[f"location-new-{name}"] = [error]
    if not errors:
        _check_new_site(new, errors)
    sites = _sites_of(record.id) if record is not None else []
    add = (form.get("location-add") or "").strip()
    added = db.session.get(Site, int(add)) if add.isdigit() and len(add) < 10 else None
    if add and (added is None or added.deleted_at is not None):
        errors["location-add"] = [_("This location does not exist (any more): choose one from the list.")]
        added = None
    removed = {int(value) for value in form.getlist("location-remove") if value.isdigit() and len(value) < 10}
    return {"sites": sites, "remove": sorted(removed), "add": str(added.id) if added else "",
            "add_title": added.name if added else "", "new": new}, errors


def _check_new_site(new: dict, errors: dict) -> None:
    """The new location's values as the kernel's save of a location checks them, and its point."""
    if not any(new.values()):
        return
    if not (new["name"] or new["address_1"] or new["city"]):
        errors["location-new-address_1"] = [_("Give at least the address or the community of the new location.")]
        return
    try:
        records.validate(entities().get("resource_location"), _site_raw(new), partial=False)
    except ValidationError as error:
        for name, messages in error.messages.items():
            shown = name if name in NEW_SITE_INPUTS else "address_1"
            errors.setdefault(f"location-new-{shown}", []).extend(str(message) for message in messages)
    for name, limit in (("latitude", 90), ("longitude", 180)):
        if not new[name]:
            continue
        try:
            value = float(new[name].replace(",", "."))
        except ValueError:
            value = None
        if value is None or not -limit <= value <= limit or value != value:
            errors[f"location-new-{name}"] = [_("Enter a number between -%(limit)d and %(limit)d.", limit=limit)]
    if bool(new["latitude"]) != bool(new["longitude"]):
        missing = "longitude" if new["latitude"] else "latitude"
        errors.setdefault(f"location-new-{missing}", [_("Give both the latitude and the longitude.")])


def _site_text(site) -> str:
    return ", ".join(part for part in (site.name, site.address_1, site.city, site.postal_code) if part)


def save_locations(record, values, user) -> dict:
    existing = _sites_of(record.id)
    chosen = [site for site in existing if site.id not in values["remove"]]
    if values["add"] and int(values["add"]) not in {site.id for site in chosen}:
        chosen.append(db.session.get(Site, int(values["add"])))
    if any(values["new"].values()):
        chosen.append(_create_site(record, values["new"], user, records))
    wanted_ids = [site.id for site in chosen]
    links = _rows(select(service_at_location).where(service_at_location.c.service_id == record.id))
    write_rows(service_at_location, record.id, links, [{"location_id": site_id} for site_id in wanted_ids],
               lambda old, new: old["location_id"] == new["location_id"])
    return change("locations", [_site_text(site) for site in existing], [_site_text(site) for site in chosen])


def _site_raw(new: dict) -> dict:
    return {"name": new["name"] or new["address_1"] or new["city"], "address_1": new["address_1"] or None,
            "postal_code": new["postal_code"] or None, "city": new["city"] or None, "location_type": "physical"}


def _create_site(record, new: dict, user, records) -> Site:
    """A new location through the kernel's save (history, search), the resource's agency's."""
    site = records.create(entities().get("resource_location"),
                          {**_site_raw(new), "organization_id": record.organization_id}, user)
    if new["latitude"] and new["longitude"]:
        site.latitude, site.longitude = float(new["latitude"].replace(",", ".")), float(new["longitude"].replace(",", "."))
        db.session.flush()
    return site
