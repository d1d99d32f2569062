""""Everything we hold about this person": one ZIP of JSON and CSV files (and the documents'
files), from every enabled plugin, in the person's language."""

from __future__ import annotations

import csv
import io
import json
import zipfile

from flask import current_app
from flask_babel import force_locale

from kernel.toolkit import gettext as _
from kernel.toolkit import personal_data, spreadsheet_safe

LANGUAGES = ("fr", "en")


def language_of(record) -> str:
    """The person's language when their record says it, else the organisation's default."""
    chosen = str(getattr(record, "preferred_language", None) or getattr(record, "language", None) or "")
    if chosen in LANGUAGES:
        return chosen
    default = str(current_app.config.get("BABEL_DEFAULT_LOCALE") or "fr")
    return default if default in LANGUAGES else "fr"


def build_zip(entity, record) -> tuple[bytes, int]:
    """The ZIP and the number of rows it holds."""
    language = language_of(record)
    with force_locale(language):
        parts = personal_data.person_data(entity, record.id)
        buffer = io.BytesIO()
        rows = 0
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            contents = []
            for part in parts:
                name = _file_name(part.key)
                rows += len(part.rows)
                if part.rows:
                    archive.writestr(f"{name}.json", json.dumps(part.rows, ensure_ascii=False, indent=2, default=str))
                    archive.writestr(f"{name}.csv", _csv(part.rows))
                for file_name, content in part.files.items():
                    archive.writestr(f"files/{name}/{_file_name(file_name)}", content)
                contents.append({"file": name, "title": str(part.title), "rows": len(part.rows),
                                 "files": sorted(part.files)})
            archive.writestr("index.json", json.dumps({
                "title": _("Everything we hold about %(person)s", person=entity.title_of(record)),
                "language": language, "contents": contents}, ensure_ascii=False, indent=2))
            archive.writestr("README.txt", _readme(entity, record, contents))
    return buffer.getvalue(), rows


def _file_name(key: str) -> str:
    safe = "".join(character if character.isalnum() or character in "._-" else "_" for character in key)
    return safe.strip("._") or "data"


def _csv(rows: list[dict]) -> str:
    columns = list(dict.fromkeys(key for row in rows for key in row))
    buffer = io.StringIO()
    buffer.write("\ufeff")  # spreadsheets open it as UTF-8
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: ("" if value is None else spreadsheet_safe(value)) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def _readme(entity, record, contents: list[dict]) -> str:
    lines = [_("Everything we hold about %(person)s", person=entity.title_of(record)), "",
             _("Each part is given twice: as JSON and as CSV (opens in a spreadsheet)."), ""]
    lines.extend(f"- {item['file']}: {item['title']} ({item['rows']})" for item in contents)
    return "\n".join(lines) + "\n"
