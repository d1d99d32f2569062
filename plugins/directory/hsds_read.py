"""Reading an HSDS 3 package into tables of rows (dictionaries of strings): the CSV form (a folder
of CSV files, with or without datapackage.json) or the JSON form (nested objects, one per file,
or lists with ``contents``), flattened into the same tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path


class PackageError(Exception):
    """The package cannot be read at all: nothing is loaded."""


# A nested list under an object: its rows point back at the object with this column.
PARENT_COLUMN = {"organizations": "organization_id", "services": "service_id", "locations": "location_id",
                 "service_at_location": "service_at_location_id", "phones": "phone_id",
                 "taxonomy_terms": "taxonomy_term_id", "taxonomies": "taxonomy_id"}
# A nested single object: the object holding it points at it with this column.
SINGLE_OBJECTS = {"organization": ("organizations", "organization_id"), "service": ("services", "service_id"),
                  "location": ("locations", "location_id"), "program": ("programs", "program_id"),
                  "taxonomy_term": ("taxonomy_terms", "taxonomy_term_id"),
                  "taxonomy_detail": ("taxonomies", "taxonomy_id")}
LIST_TABLES = {"service_at_locations": "service_at_location", "services": "services", "locations": "locations",
               "phones": "phones", "schedules": "schedules", "service_areas": "service_areas",
               "languages": "languages", "addresses": "addresses", "accessibility": "accessibility",
               "attributes": "attributes", "contacts": "contacts", "funding": "funding",
               "cost_options": "cost_options", "programs": "programs", "required_documents": "required_documents",
               "organization_identifiers": "organization_identifiers", "metadata": "metadata"}
FILE_TABLES = {"service": "services", "organization": "organizations", "service_at_location": "service_at_location",
               "location": "locations", "taxonomy": "taxonomies", "taxonomy_term": "taxonomy_terms"}


def read_package(path: Path) -> dict[str, list[dict]]:
    path = Path(path)
    if not path.exists():
        raise PackageError(f"{path} does not exist")
    if path.is_dir() and any(path.glob("*.csv")):
        return read_csv_folder(path)
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    if not files:
        raise PackageError(f"{path} holds neither CSV nor JSON files")
    return read_json_files(files)


def read_csv_folder(folder: Path) -> dict[str, list[dict]]:
    tables = {}
    for file in sorted(folder.glob("*.csv")):
        try:
            with file.open(newline="", encoding="utf-8-sig") as handle:
                tables[file.stem] = [{key: (value or "") for key, value in row.items() if key} for row in csv.DictReader(handle)]
        except (UnicodeDecodeError, csv.Error) as error:
            raise PackageError(f"{file.name}: {error}") from error
    return tables


def read_json_files(files: list[Path]) -> dict[str, list[dict]]:
    tables: dict[str, dict[str, dict]] = {}
    for file in files:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise PackageError(f"{file.name}: {error}") from error
        table = _table_of_file(file.stem)
        if table is None:
            continue
        objects = document.get("contents", []) if isinstance(document, dict) and "contents" in document else document
        for item in objects if isinstance(objects, list) else [objects]:
            if isinstance(item, dict):
                flatten(item, table, tables)
    return {name: list(rows.values()) for name, rows in tables.items()}


def _table_of_file(stem: str) -> str | None:
    base = stem.removesuffix("_full").removesuffix("_list")
    return FILE_TABLES.get(base)


def flatten(item: dict, table: str, tables: dict, parent: tuple[str, str] | None = None) -> str | None:
    """Add ``item`` (and what it nests) to ``tables``; returns its id."""
    row = {}
    for key, value in item.items():
        if isinstance(value, dict) and key in SINGLE_OBJECTS:
            child_table, column = SINGLE_OBJECTS[key]
            child_id = flatten(value, child_table, tables)
            if child_id and not row.get(column) and not item.get(column):
                row[column] = child_id
        elif isinstance(value, list):
            child_table = LIST_TABLES.get(key)
            for child in value if child_table else []:
                if isinstance(child, dict):
                    flatten(child, child_table, tables, (table, item.get("id")))
        elif not isinstance(value, dict):
            row[key] = "" if value is None else str(value)
    if parent and parent[1] and parent[0] in PARENT_COLUMN:
        column = PARENT_COLUMN[parent[0]]
        if not row.get(column) and (table != "attributes"):
            row[column] = parent[1]
        if table == "attributes" and not row.get("link_id"):
            row["link_id"] = parent[1]
    identifier = row.get("id")
    if not identifier:
        return None
    existing = tables.setdefault(table, {}).setdefault(identifier, {})
    for key, value in row.items():
        if not existing.get(key):
            existing[key] = value
    return identifier
