"""The guide's CV module: the documents of the CV category, each with its client, the date the
CV was received and the client's "CV up to date". A view over the documents, not a second model."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from kernel.toolkit import db, entities, require, split_related
from plugins.activities.models import Document, DocumentLink

bp = Blueprint("cvs", __name__)
SHOWN = 500


@bp.route("/activities/cvs/")
@require("documents.view")
def cv_list():
    documents = db.session.scalars(
        entities().get("document").active().where(Document.category == "cv")
        .order_by(Document.cv_date.is_(None), Document.cv_date.desc(), Document.id.desc()).limit(SHOWN)
    ).all()
    return render_template("activities/cvs.html", rows=cv_rows(documents), more=len(documents) == SHOWN)


def cv_rows(documents: list) -> list[dict]:
    """``[{"document", "client"}]``, the clients read in one query (a CV without a client: None)."""
    client_entity = entities().get("client")
    links = db.session.execute(
        select(DocumentLink.document_id, DocumentLink.related)
        .where(DocumentLink.document_id.in_([document.id for document in documents]),
               DocumentLink.related.like("client:%"))
    ).all()
    client_of = {document_id: split_related(related)[1]
                 for document_id, related in links if split_related(related)}
    clients = {}
    if client_entity is not None and client_of:
        model = client_entity.model
        clients = {client.id: client for client in db.session.scalars(
            client_entity.active().where(model.id.in_(set(client_of.values()))))}
    return [{"document": document, "client": clients.get(client_of.get(document.id))} for document in documents]


bp.add_url_rule("/cvs/", endpoint="former_cv_list", redirect_to="/activities/cvs/")  # before issue 17's move
