"""CSV import, for every entity: read a file, map its columns, coerce, match, write.

The same steps serve the screens (``kernel.views.imports``) and ``passerelle import``:

1. **read** the uploaded bytes: UTF-8 with or without BOM, else Windows-1252 (Latin-1 as the last
   resort); comma, semicolon or tab; the first line names the columns;
2. **map** each column to a field, guessed from the headers: field names and labels in English
   and French, without case, accents or punctuation ("Nom de famille", "last_name" → last_name);
3. **coerce** each cell to what the schema loads: choice codes or labels in either language,
   yes/no/oui/non, ISO or dd/mm/yyyy dates, country codes or names, "1 234,50";
4. **match** existing records with the entity's duplicate rule (same e-mail, same phone digits or
   same folded full name), looked up once per batch of rows in ``duplicate_keys``;
5. **validate** with the entity's schema and **write** through ``kernel.records`` (history,
   hooks). On PostgreSQL every row goes in ONE transaction: a database error, or a process killed
   mid-way, leaves nothing behind, and other users keep writing meanwhile. SQLite has one writer
   at a time: one long transaction made every other user wait for the whole import, so there
   the rows are committed in small batches (each holds the write lock about ``BATCH_SECONDS``)
   and a journal next to the upload lists what each batch did, to undo it all if the import
   fails or its process dies.

A running import heart-beats (``imports.heartbeat_at``, every batch). One whose heart stopped
longer than ``STALE_AFTER`` ago (its process was killed) is marked failed, and undone, by the
worker or when its page is shown; it can then be run again from its page.

Rows that fail validation are rejected, written to a "rejected rows" CSV (the original cells and a
reason), and the valid rows are imported. The ``imports`` table keeps the job: file, mapping,
duplicate mode, status and counters. Counters are published every batch *outside* the records'
transaction so that the import page can show progress.

The package holds one module per step: ``reading``, ``mapping``, ``coercion``, ``validation``,
``matching``, ``planning`` (and the preview), ``writing``, ``running``, ``progress``, ``journal``,
``stale`` (imports whose process died), ``jobs`` (the table), ``files`` and ``shell`` (the command
line). The names other code uses are imported from here.
"""

from kernel.importer.coercion import Coercer
from kernel.importer.files import (
    ImportFileError,
    RejectedRows,
    copy_rejected,
    delete_rejected,
    has_rejected,
    journal_path,
    max_bytes,
    open_rejected,
)
from kernel.importer.jobs import (
    CREATE,
    DONE,
    DUPLICATE_MODE_LABELS,
    DUPLICATE_MODES,
    FAILED,
    QUEUED,
    RUNNING,
    SKIP,
    UPDATE,
    Counters,
    Import,
    can_restart,
    new_job,
    restart,
    set_job,
)
from kernel.importer.mapping import guess_mapping, importable_fields, mapping_problems, unmapped_headers
from kernel.importer.matching import rule_labels
from kernel.importer.planning import REJECT, Planner, RowPlan, action_text, preview, reason_text
from kernel.importer.progress import ProgressBoard, current_counters
from kernel.importer.reading import CsvFile, open_file, open_job_file
from kernel.importer.running import as_user, claim, run_import, start
from kernel.importer.shell import entity_named, shell_mapping
from kernel.importer.stale import STALE_AFTER, fail_if_stale, fail_stale_imports, is_stale
from kernel.importer.validation import RowValidator

BATCH_SIZE = 1000  # rows written per batch, at most; ``writing`` reads it here when it runs (tests lower it)

__all__ = [
    "BATCH_SIZE", "CREATE", "DONE", "DUPLICATE_MODES", "DUPLICATE_MODE_LABELS", "FAILED", "QUEUED", "REJECT",
    "RUNNING", "SKIP", "STALE_AFTER", "UPDATE", "Coercer", "Counters", "CsvFile", "Import", "ImportFileError",
    "Planner", "ProgressBoard", "RejectedRows", "RowPlan", "RowValidator", "action_text", "as_user",
    "can_restart", "claim", "copy_rejected", "current_counters", "entity_named", "fail_if_stale",
    "fail_stale_imports", "guess_mapping", "importable_fields", "is_stale", "journal_path", "mapping_problems",
    "max_bytes", "new_job", "open_file", "open_job_file", "preview", "reason_text", "restart",
    "has_rejected", "open_rejected", "delete_rejected",
    "rule_labels", "run_import", "set_job", "shell_mapping", "start", "unmapped_headers",
]
