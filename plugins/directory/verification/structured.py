"""What an agency proposes, on its verification form, for the rows of its services that are not
columns (phones, weekly hours, languages) and for the address of each of their places; the review
of those proposals, field by field.

The inputs of one service are those of the resource form's sections (plugins/directory/resource_form),
named with the service's prefix (``s<id>-phone-0-number``): the sections' own parsing checks them
(translated errors, what was typed kept). A service's proposal holds, beside its scalar fields:

* ``phones``: the whole list wanted, ``[{"id", "number", "extension", "type", "description"}]``;
* ``hours``: the weekly hours wanted, ``[{"id", "days", "opens", "closes"}]`` (closures and other
  imported rules are kept as they are);
* ``languages``: the language keys wanted (``["en", "fr"]``);
* ``site-<id>-<field>``: a place's new address, postal code or community.

Accepting one writes it through the normal save path (``kernel.records.update`` with the section's
save as its children, or the place's own update), so the record's history shows it."""

from __future__ import annotations

import re

from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from kernel.toolkit import PhoneNotValid, db, entities, formatted_phone, records
from kernel.toolkit import gettext as _
from plugins.directory import resource_form as sections
from plugins.directory.hours import hours_text
from plugins.directory.models import Site
from plugins.directory.verification.service import field_label

STRUCTURED = ("phones", "hours", "languages")
SITE_FIELDS = ("address_1", "postal_code", "city")
SITE_KEY = re.compile(r"site-(\d{1,10})-(address_1|postal_code|city)")
MARKER = "section"


def prefix(service_id: int) -> str:
    return f"s{service_id}-"


def is_reviewable(entity: str, name: str, proposable) -> bool:
    """A proposal's key a reviewer decides on: a scalar field, or (a service's) a structured one."""
    if name in proposable.get(entity, ()):
        return True
    return entity == "resource" and (name in STRUCTURED or SITE_KEY.fullmatch(name) is not None)


# -- what the form shows ---------------------------------------------------------------------------
def current_values(service) -> dict:
    """The service's phones, weekly hours and languages as the resource form's sections read them."""
    return {"phones": sections.read_phones(service), "hours": sections.read_hours(service),
            "languages": sections.read_languages(service)}


def values_of_rows(phone_rows: list[dict], schedule_rows: list[dict], language_rows: list[dict]) -> dict:
    """The same as ``current_values`` from rows already read (the form reads all services' at once)."""
    by_id = sorted  # the sections read their rows by id
    phone_rows, schedule_rows, language_rows = (by_id(rows, key=lambda row: row["id"])
                                                for rows in (phone_rows, schedule_rows, language_rows))
    return {
        "phones": {"rows": [{"id": row["id"], **{name: row[name] or "" for name in sections.PHONE_INPUTS}}
                            for row in phone_rows]},
        "hours": {"rows": [sections._hour_row(row) for row in schedule_rows if sections.is_weekly(row)],
                  "closures": [sections._closure_row(row) for row in schedule_rows if sections.is_closure(row)],
                  "others": [sections._rule_text(row) for row in schedule_rows
                             if not sections.is_weekly(row) and not sections.is_closure(row)]},
        "languages": {"chosen": [sections._language_key(row) for row in language_rows], "current": language_rows},
    }


def _sub_form(form, service_id: int) -> MultiDict:
    """The service's inputs without their prefix: the names the sections parse."""
    start = prefix(service_id)
    return MultiDict([(key[len(start):], value) for key, value in form.items(multi=True) if key.startswith(start)])


def parse(form, service, current: dict | None = None) -> tuple[dict, dict, dict]:
    """(values to show again, proposed changes, errors {input name: message}) for one service's
    structured inputs; a section whose marker is not in the form is left out. ``current``: the
    service's ``current_values``, when the caller has read them with the other services'."""
    sub = _sub_form(form, service.id)
    present = set(sub.getlist(MARKER))
    shown, changes, errors = {}, {}, {}
    if current is None:
        current = current_values(service)
    for key, parse_section in (("phones", sections.parse_phones), ("hours", sections.parse_hours),
                               ("languages", sections.parse_languages)):
        if key not in present:
            shown[key] = current[key]
            continue
        if key == "phones":
            values, section_errors = parse_section(sub, service)
        else:
            values, section_errors = parse_section(sub, service, current[key])
        shown[key] = values
        errors |= {prefix(service.id) + name: " ".join(map(str, messages))
                   for name, messages in section_errors.items()}
        if section_errors:
            continue
        proposed = WANTED[key](values)
        if not _same(key, proposed, WANTED[key](current[key])):
            changes[key] = proposed
    return shown, changes, errors


def _wanted_phones(values) -> list[dict]:
    return [{"id": str(row.get("id") or ""), **{name: row.get(name) or "" for name in sections.PHONE_INPUTS}}
            for row in values["rows"] if not row.get("remove")]


def _wanted_hours(values) -> list[dict]:
    return [{"id": str(row.get("id") or ""), "days": list(row["days"]), "opens": row["opens"][:5],
             "closes": row["closes"][:5]} for row in values["rows"]]


def _wanted_languages(values) -> list[str]:
    return list(values["chosen"])


WANTED = {"phones": _wanted_phones, "hours": _wanted_hours, "languages": _wanted_languages}


def _same(key: str, proposed, current) -> bool:
    """Whether the proposed rows say what the current ones say (ids and phone spelling aside)."""
    if key == "languages":
        return sorted(proposed) == sorted(current)

    def comparable(row):
        return {name: _phone_form(value) if name == "number" else value for name, value in row.items() if name != "id"}

    return [comparable(row) for row in proposed] == [comparable(row) for row in current]


def _phone_form(number: str) -> str:
    try:
        return formatted_phone(number)
    except PhoneNotValid:
        return number


def parse_sites(form, sites: list[Site]) -> tuple[dict, dict]:
    """({proposal key: value} of the places' changed fields, errors), checked as a save of the place."""
    changes, errors = {}, {}
    for site in sites:
        wanted = {}
        for name in SITE_FIELDS:
            key = f"site-{site.id}-{name}"
            if key not in form:
                continue
            value, error = sections.clean_text(form.get(key))
            if error:
                errors[key] = error
            elif (value or None) != (getattr(site, name) or None):
                wanted[name] = value or None
        if not wanted:
            continue
        try:
            records.validate(entities().get("resource_location"), wanted, partial=True, record=site)
        except ValidationError as error:
            for name, messages in error.normalized_messages().items():
                shown = name if name in SITE_FIELDS else "address_1"
                errors[f"site-{site.id}-{shown}"] = " ".join(
                    str(message) for message in (messages if isinstance(messages, list) else [messages]))
            continue
        changes |= {f"site-{site.id}-{name}": value for name, value in wanted.items()}
    return changes, errors


# -- the review ------------------------------------------------------------------------------------
def as_text(key: str, value) -> str:
    """A structured value in words, for the side-by-side review."""
    if value is None:
        return ""
    if key == "phones":
        return "; ".join(_phone_text(row) for row in value)
    if key == "hours":
        return "; ".join(hours_text([{"byday": ",".join(row["days"]), "freq": "WEEKLY",
                                      "opens_at": f"{row['opens']}:00", "closes_at": f"{row['closes']}:00"}
                                     for row in value]))
    if key == "languages":
        return ", ".join(sections.language_name(code[5:] if code.startswith("name:") else code) for code in value)
    return str(value)


def _phone_text(row) -> str:
    types = dict(sections.PHONE_TYPES)
    parts = [row["number"] + (f" #{row['extension']}" if row.get("extension") else "")]
    if row.get("type"):
        parts.append(f"({types.get(row['type'], row['type'])})")
    if row.get("description"):
        parts.append(f"— {row['description']}")
    return " ".join(parts)


def current_of(key: str, service, sites: dict[int, Site]):
    """The value a proposal's structured key stands for today."""
    match = SITE_KEY.fullmatch(key)
    if match:
        site = sites.get(int(match.group(1)))
        return getattr(site, match.group(2)) if site is not None else None
    return WANTED[key](current_values(service)[key])


def site_labels() -> dict[str, str]:
    return {name: field_label("resource_location", name) for name in SITE_FIELDS}


def site_label(key: str, sites: dict[int, Site], labels: dict[str, str]) -> str:
    match = SITE_KEY.fullmatch(key)
    site = sites.get(int(match.group(1)))
    return f"{site.name if site is not None else '?'} — {labels[match.group(2)]}"


def section_writer(service, accepted: dict):
    """The children of the service's save writing its accepted structured changes (the sections' own
    saves: their changes join the record's history), or None."""
    steps = []
    if "phones" in accepted:
        rows = [{**row, "remove": False} for row in accepted["phones"]]
        steps.append(lambda saved: sections.save_phones(saved, {"rows": rows}, None))
    if "hours" in accepted:
        closures = sections.read_hours(service)["closures"]
        steps.append(lambda saved: sections.save_hours(saved, {"rows": accepted["hours"], "closures": closures}, None))
    if "languages" in accepted:
        steps.append(lambda saved: sections.save_languages(saved, {"chosen": accepted["languages"]}, None))
    if not steps:
        return None

    def write(saved) -> dict:
        changes = {}
        for step in steps:
            changes |= step(saved) or {}
        return changes

    return write


def save_sites(accepted: dict, user) -> dict:
    """Each place's accepted fields through its own save (its history). Raises ValidationError."""
    by_site: dict[int, dict] = {}
    for key, value in accepted.items():
        match = SITE_KEY.fullmatch(key)
        by_site.setdefault(int(match.group(1)), {})[match.group(2)] = value
    changes = {}
    for site_id, fields in by_site.items():
        site = db.session.get(Site, site_id)
        if site is None or site.deleted_at is not None:
            raise ValidationError({"address_1": [_("This place no longer exists.")]})
        changes |= records.update(entities().get("resource_location"), site, fields, user) or {}
    return changes

