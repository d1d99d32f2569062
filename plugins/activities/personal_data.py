"""What identifies a person in calls, meetings, tasks, notes and documents linked to them, and
the documents' files in their export (docs/privacy.md)."""

from __future__ import annotations

import logging

from flask import has_app_context
from sqlalchemy import delete, select

from kernel.toolkit import IdentifyingData, PersonData, StoredFileMissing, db, hookimpl, storage
from kernel.toolkit import lazy_gettext as _l

__all__ = ["passerelle_identifying_data", "passerelle_person_data"]

log = logging.getLogger(__name__)
KEEPS = _l("When, its kind and status: activity counts stay right.")


def documents_linked_to(entity, ids) -> list[int]:
    from plugins.activities.models import DocumentLink

    values = [f"{entity.name}:{record_id}" for record_id in ids]
    return list(db.session.scalars(select(DocumentLink.document_id).where(DocumentLink.related.in_(values))))


def forget_files(ids, deleting) -> dict:
    """A document's files say who it is about: they are deleted, with their revisions."""
    from plugins.activities.documents import file_key
    from plugins.activities.models import DocumentRevision

    revisions = list(db.session.scalars(select(DocumentRevision).where(DocumentRevision.document_id.in_(ids))))
    for revision in revisions if has_app_context() else ():
        try:
            storage().delete(file_key(revision))
        except OSError as error:  # the row goes anyway; the file is named in the log for a hand clean-up
            log.error("document file not deleted: %s (%s)", revision.stored_name, error)
    db.session.execute(delete(DocumentRevision).where(DocumentRevision.document_id.in_(ids)))
    return {_l("Files deleted"): len(revisions)} if revisions else {}


@hookimpl
def passerelle_identifying_data():
    return [
        IdentifyingData("call", fields=("subject", "description"), keeps=KEEPS),
        IdentifyingData("meeting", fields=("subject", "location", "description"), keeps=KEEPS),
        IdentifyingData("task", fields=("subject", "description"), keeps=KEEPS),
        IdentifyingData("note", fields=("subject", "text"), keeps=KEEPS),
        IdentifyingData("document", fields=("name", "description"), linked=documents_linked_to,
                        dependants=forget_files, keeps=_l("The category and the dates; the files are deleted.")),
    ]


@hookimpl
def passerelle_person_data(entity, record_id):
    """The files of the documents linked to the person (the latest version of each)."""
    from plugins.activities.documents import file_key
    from plugins.activities.models import DocumentRevision

    document_ids = documents_linked_to(entity, [record_id])
    if not document_ids:
        return None
    latest = {}
    for revision in db.session.scalars(select(DocumentRevision).where(DocumentRevision.document_id.in_(document_ids))
                                       .order_by(DocumentRevision.id)):
        latest[revision.document_id] = revision
    files = {}
    for document_id, revision in sorted(latest.items()):
        try:
            files[f"{document_id}-{revision.original_name}"] = storage().read(file_key(revision))
        except StoredFileMissing:
            continue
    return [PersonData("activities.document_files", _l("Documents"), files=files)] if files else None
