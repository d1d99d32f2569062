"""Document storage: uploads checked by their content, kept outside the web root under random
names (in the instance folder or object storage: ``kernel.storage``), with every revision; links
to clients, contacts and partners; CVs."""

from __future__ import annotations

import secrets
import zipfile
from functools import cache
from io import BytesIO
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import bindparam, select

from kernel.toolkit import (
    Panel,
    clock,
    db,
    entities,
    private_folder,
    records,
    related_titles,
    split_related,
    storage,
)
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.activities.models import RELATED_TO, Document, DocumentLink, DocumentRevision

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOADS = "uploads"
ZIP_TYPES = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "application/vnd.oasis.opendocument.text",
    b"application/vnd.oasis.opendocument.spreadsheet": "application/vnd.oasis.opendocument.spreadsheet",
}


class UploadRefused(ValueError):
    """The file is too big or of a kind that is not accepted; the message says which."""


def max_upload_bytes() -> int:
    return int(current_app.config.get("ACTIVITIES_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def upload_folder() -> Path:
    """The documents' folder when files are kept in the instance folder (not with object storage)."""
    return private_folder(Path(current_app.instance_path) / UPLOADS)


def file_key(revision: DocumentRevision) -> str:
    """Where a revision's file is kept (``instance/uploads/<name>`` in the instance folder)."""
    return f"{UPLOADS}/{revision.stored_name}"


# -- recognising content -----------------------------------------------------------------------

def content_type_of(content: bytes) -> str | None:
    """The type of a file read from its first bytes, or None when it is not accepted."""
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if content.startswith(b"PK\x03\x04"):
        return office_type(content)
    return "text/plain" if is_plain_text(content) else None


def office_type(content: bytes) -> str | None:
    """DOCX, XLSX or ODF, told apart by what the zip holds."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                return ODF_TYPES.get(archive.read("mimetype").strip())
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, content_type in ZIP_TYPES.items():
        if any(name.startswith(prefix) for name in names):
            return content_type
    return None


def is_plain_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def checked_upload(file_storage) -> tuple[bytes, str]:
    """The file's bytes and recognised type, or UploadRefused."""
    limit = max_upload_bytes()
    content = file_storage.read(limit + 1)
    if not content:
        raise UploadRefused(_("Choose a file to upload."))
    if len(content) > limit:
        raise UploadRefused(_("The file is too big (at most %(size)s MB).", size=round(limit / 1048576, 1)))
    content_type = content_type_of(content)
    if content_type is None:
        raise UploadRefused(_("This kind of file is not accepted: PDF, images, Word, Excel, "
                              "OpenDocument or plain text only."))
    return content, content_type


# -- saving ------------------------------------------------------------------------------------

def add_revision(document: Document, file_storage, user) -> DocumentRevision:
    """Check and store an uploaded file as the document's new current revision."""
    content, content_type = checked_upload(file_storage)
    stored_name = secrets.token_hex(20)
    storage().save(f"{UPLOADS}/{stored_name}", content)  # before the row: no row without its file
    revision = DocumentRevision(
        document_id=document.id, stored_name=stored_name, content_type=content_type, size=len(content),
        original_name=Path(file_storage.filename or "file").name[:255], uploaded_by_id=getattr(user, "id", None),
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def revisions_of(document_id: int) -> list[DocumentRevision]:
    return list(db.session.scalars(
        select(DocumentRevision).where(DocumentRevision.document_id == document_id)
        .order_by(DocumentRevision.uploaded_at.desc(), DocumentRevision.id.desc())
    ))


def links_of(document_id: int) -> list[str]:
    return list(db.session.scalars(select(DocumentLink.related).where(DocumentLink.document_id == document_id)))


def valid_link(value: str) -> str | None:
    """``"client:42"`` when it names an existing record of a linkable module, else None."""
    parts = split_related(value)
    entity = entities().get(parts[0]) if parts else None
    if entity is None or entity.name not in RELATED_TO:
        return None
    found = records.get(entity, parts[1])
    return f"{entity.name}:{parts[1]}" if found is not None else None


def add_link(document: Document, value: str, user) -> bool:
    link = valid_link(value)
    if link is None:
        return False
    if db.session.get(DocumentLink, (document.id, link)) is None:
        db.session.add(DocumentLink(document_id=document.id, related=link))
    if document.category == "cv" and link.startswith("client:"):
        mark_cv_up_to_date(document, int(link.split(":")[1]), user)
    return True


def remove_link(document: Document, value: str) -> None:
    link = db.session.get(DocumentLink, (document.id, value))
    if link is not None:
        db.session.delete(link)


def mark_cv_up_to_date(document: Document, client_id: int, user) -> None:
    """A new CV for a client: the client's CV is up to date (through the save service, so the
    history shows it) and the document records the date."""
    entity = entities().get("client")
    client = records.get(entity, client_id) if entity else None
    document.cv_date = clock.today()
    if client is not None and not client.cv_up_to_date:
        records.update(entity, client, {"cv_up_to_date": True}, user)


# -- permissions -------------------------------------------------------------------------------

def may_view_document(user, document_id: int) -> bool:
    """Documents permission, and the right to view at least one linked record (or none linked)."""
    if not user.can("documents.view"):
        return False
    links = links_of(document_id)
    if not links:
        return True
    for link in links:
        parts = split_related(link)
        entity = entities().get(parts[0]) if parts else None
        if entity is not None and entity.can(user, "view"):
            return True
    return False


def hidden_in_trash(user, document_id: int) -> bool:
    """A document in the trash is gone for everyone but those who restore the trash (its files
    too: a download link kept from before must not keep working)."""
    deleted_at = db.session.scalar(select(Document.deleted_at).where(Document.id == document_id))
    return deleted_at is not None and not user.can("kernel.trash")


# -- panels ------------------------------------------------------------------------------------

def document_panels(entity, record, user) -> list[Panel] | None:
    if entity.name == "document" and user.can("documents.view"):
        return [files_panel(record, user)]
    if entity.name in RELATED_TO and user.can("documents.view"):
        return [linked_documents_panel(entity, record, user)]
    return None


def files_panel(document: Document, user) -> Panel:
    links = links_of(document.id)
    return Panel(
        key="document-files", title=_l("Files and links"), template="activities/_document_files.html",
        context={"document": document, "revisions": revisions_of(document.id), "links": links,
                 "link_titles": related_titles(links, entities()), "may_edit": user.can("documents.edit"),
                 "max_mb": round(max_upload_bytes() / 1048576, 1)},
        order=10,
    )


def linked_documents_panel(entity, record, user) -> Panel:
    """The record's documents, read with the page's other panels (``kernel.panels``)."""
    actions = []
    if user.can("documents.create"):
        actions.append((_l("Add a document"), url_for("activities.new_document", link=f"{entity.name}:{record.id}")))
    return Panel(key="documents", title=_l("Documents"), template="activities/_linked_documents.html",
                 actions=actions, order=60, reads={"documents": _linked_documents()},
                 params={"documents_link": f"{entity.name}:{record.id}"},
                 build=lambda found: {"documents": found["documents"]})


@cache
def _linked_documents():
    """The documents of a record, built once: the record's link is a parameter (``Panel.params``)."""
    return (select(Document).join(DocumentLink, DocumentLink.document_id == Document.id)
            .where(DocumentLink.related == bindparam("documents_link"), Document.deleted_at.is_(None))
            .order_by(Document.id.desc()))
