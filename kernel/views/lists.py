"""What staff do with a list besides reading it: columns, saved filters, CSV export, mass actions."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import Blueprint, Response, abort, flash, jsonify, redirect, request, stream_with_context, url_for
from flask_login import current_user, login_required
from marshmallow import ValidationError
from werkzeug.datastructures import MultiDict

from kernel import access_log, listing, records
from kernel.db import db
from kernel.export import csv_lines
from kernel.i18n import gettext as _
from kernel.i18n import ngettext
from kernel.listing import ListState, list_state_for
from kernel.registry import entities
from kernel.saved_views import SavedFilter, save_columns
from kernel.security import events
from kernel.views.records import entity_for

bp = Blueprint("lists", __name__)

MASS_BATCH = 500


def list_state(entity, args) -> ListState:
    return list_state_for(entity, args, current_user)


def state_from_query(entity, query: str) -> ListState:
    return list_state(entity, MultiDict(parse_qsl(query or "", keep_blank_values=True)))


def back_to_list(entity, query: str = ""):
    target = url_for("records.list_records", plural=entity.plural)
    return redirect(f"{target}?{query}" if query else target)


@bp.route("/related-lookup")
@login_required
def related_lookup():
    """Type-ahead of "related to" fields: records of the modules named in ``targets`` (or of
    every relatable module) that the user may see."""
    from kernel.entities import FieldMeta
    from kernel.related import search_related

    targets = tuple(name for name in request.args.get("targets", "").split(",") if name) or None
    meta = FieldMeta(kind="related", label="", targets=targets)
    return jsonify(search_related(meta, entities(), request.args.get("q", ""), current_user))


@bp.route("/<entity:plural>/columns", methods=["POST"])
@login_required
def choose_columns(plural):
    """Keep the user's columns (in their order) and page size for this list."""
    entity = entity_for(plural, "view")
    columns = [name for name in request.form.getlist("columns") if name in entity.fields]
    if not columns:
        flash(_("Choose at least one column."), "error")
        return back_to_list(entity, request.form.get("list_query", ""))
    per_page = listing.page_size(request.form.get("per_page"))
    save_columns(current_user.id, entity.name, columns, per_page)
    db.session.commit()
    flash(_("Your columns are saved for this list."), "success")
    return back_to_list(entity, request.form.get("list_query", ""))


@bp.route("/<entity:plural>/filters", methods=["POST"])
@login_required
def save_filter(plural):
    entity = entity_for(plural, "view")
    name = (request.form.get("name") or "").strip()
    if not name or len(name) > 255:
        flash(_("Give the filter a name of at most 255 characters."), "error")
        return back_to_list(entity, request.form.get("list_query", ""))
    state = state_from_query(entity, request.form.get("list_query", ""))
    shared = bool(request.form.get("shared"))
    db.session.add(SavedFilter(user_id=current_user.id, entity=entity.name, name=name,
                               query=state.filter_query, shared=shared))
    db.session.commit()
    flash(_("The filter “%(name)s” is saved.", name=name), "success")
    return back_to_list(entity, state.filter_query)


@bp.route("/<entity:plural>/filters/<int:filter_id>/delete", methods=["POST"])
@login_required
def delete_filter(plural, filter_id):
    entity = entity_for(plural, "view")
    saved = db.session.get(SavedFilter, filter_id)
    if saved is None or saved.entity != entity.name:
        abort(404)
    if saved.user_id != current_user.id and not current_user.is_admin:
        abort(403)
    db.session.delete(saved)
    db.session.commit()
    flash(_("The filter “%(name)s” is deleted.", name=saved.name), "success")
    return back_to_list(entity)


@bp.route("/<entity:plural>/export.csv")
@login_required
def export_csv(plural):
    entity = entity_for(plural, "view")
    state = list_state(entity, request.args)
    bom = request.args.get("bom") == "1"
    lines = csv_lines(entity, state, current_user, entities(), bom=bom)
    access_log.note_export(entity, state.statement(entity, current_user))
    events.record_export("list", entity=entity.name, filters=state.filter_query or None, columns=state.columns)
    filename = f"{entity.plural}.csv"
    return Response(
        stream_with_context(lines), mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Accel-Buffering": "no"},
    )


MASS_ACTIONS = {"assign": "edit", "set": "edit", "delete": "delete"}


@bp.route("/<entity:plural>/mass", methods=["POST"])
@login_required
def mass_action(plural):
    """Assign, change a choice field or delete the selected rows, or all rows matching the list."""
    action = request.form.get("action")
    if action not in MASS_ACTIONS:
        abort(400)
    entity = entity_for(plural, MASS_ACTIONS[action])
    list_query = request.form.get("list_query", "")
    try:
        change = mass_change(entity, action, request.form)
    except ValidationError as error:
        flash(" ".join(" ".join(messages) for messages in error.messages.values()), "error")
        return back_to_list(entity, list_query)
    ids = selected_ids(entity, list_query) if request.form.get("all") == "1" else _ids_from_form()
    if not ids:
        flash(_("Select at least one row."), "error")
        return back_to_list(entity, list_query)
    try:
        done = apply_mass_change(entity, ids, action, change)
    except records.StaleRecord:
        db.session.rollback()
        flash(_("Someone changed one of these records at the same time: nothing was changed. Try again."), "error")
        return back_to_list(entity, list_query)
    except ValidationError as error:
        db.session.rollback()
        flash(" ".join(" ".join(messages) for messages in records.messages_of(error).values()), "error")
        return back_to_list(entity, list_query)
    if action == "delete":
        events.record_deletion(entity.name, "mass", ids, count=done, filters=list_query or None)
    db.session.commit()
    flash(ngettext("%(num)d record changed.", "%(num)d records changed.", done), "success")
    return back_to_list(entity, list_query)


def mass_change(entity, action: str, form) -> dict:
    """The change to apply to each record, validated once."""
    if action == "delete":
        return {}
    if action == "assign":
        if not entity.assignable:
            abort(400)
        change = {"assigned_user_id": form.get("assigned_user_id") or None}
    else:
        name = form.get("field")
        meta = entity.fields.get(name)
        if meta is None or meta.kind != "choice" or not meta.editable:
            abort(400)
        change = {name: form.get("value") or None}
    from kernel.schemas import load

    return load(entity, change, partial=True)


def _ids_from_form() -> list[int]:
    return [number for value in request.form.getlist("ids") if (number := listing.record_id(value)) is not None]


def selected_ids(entity, list_query: str) -> list[int]:
    state = state_from_query(entity, list_query)
    return list(db.session.scalars(state.statement(entity, current_user).with_only_columns(entity.model.id)))


def apply_mass_change(entity, ids: list[int], action: str, change: dict) -> int:
    done = 0
    for start in range(0, len(ids), MASS_BATCH):
        batch = ids[start:start + MASS_BATCH]
        rows = db.session.scalars(entity.active().where(entity.model.id.in_(batch)))
        for record in rows:
            if action == "delete":
                records.delete(entity, record, current_user)
            else:
                records.update(entity, record, change, current_user, partial=True)
            done += 1
    return done
