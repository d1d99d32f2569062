"""Administration without code: choice lists (``/admin/choices``) and custom fields
(``/admin/fields``), for every entity of every enabled plugin."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from kernel import customisation as custom
from kernel.custom_fields import KINDS, CustomField, definitions_of
from kernel.db import db
from kernel.i18n import gettext as _
from kernel.permissions import require
from kernel.registry import entities

bp = Blueprint("customise", __name__, url_prefix="/admin")
PERMISSION = "kernel.customise"


# -- choice lists -------------------------------------------------------------------------------
@bp.route("/choices")
@require(PERMISSION)
def choice_lists():
    return render_template("admin/choice_lists.html", lists=custom.editable_lists(entities()))


def editable_list_or_404(name: str) -> custom.EditableList:
    found = custom.find_list(entities(), name)
    if found is None:
        abort(404)
    return found


@bp.route("/choices/<name>", methods=["GET", "POST"])
@require(PERMISSION)
def choice_options(name):
    editable = editable_list_or_404(name)
    current = custom.option_rows(editable.choice_list)
    if request.method == "GET":
        return render_options(editable, current, [])
    rows = custom.submitted_rows(current, request.form)
    added = custom.new_rows(request.form)
    errors = custom.option_errors(rows, added)
    if errors:
        flash(_("Check the highlighted fields: nothing was saved yet."), "error")
        return render_options(editable, rows, added, errors, status=422)
    custom.save_options(editable.name, rows, added)
    db.session.commit()
    flash(_("The list “%(name)s” is saved.", name=editable.title), "success")
    return redirect(url_for("customise.choice_options", name=editable.name))


def render_options(editable, rows, added, errors=None, status=200):
    blank = [custom.OptionRow("", "", "", "")] * max(custom.NEW_OPTION_ROWS - len(added), 1)
    return render_template(
        "admin/choice_options.html", editable=editable, rows=rows, added=added + blank, errors=errors or {},
    ), status


# -- custom fields ------------------------------------------------------------------------------
@bp.route("/fields")
@require(PERMISSION)
def field_entities():
    counts = dict(db.session.execute(
        select(CustomField.entity, func.count()).group_by(CustomField.entity)).all())
    return render_template("admin/custom_fields.html", entity=None, counts=counts)


def entity_or_404(entity_name: str):
    entity = entities().get(entity_name)
    if entity is None:
        abort(404)
    return entity


@bp.route("/fields/<entity_name>")
@require(PERMISSION)
def entity_fields(entity_name):
    entity = entity_or_404(entity_name)
    return render_template("admin/custom_fields.html", entity=entity, definitions=definitions_of(entity.name),
                           kinds=KINDS)


@bp.route("/fields/<entity_name>/new", methods=["GET", "POST"])
@bp.route("/fields/<entity_name>/<int:field_id>", methods=["GET", "POST"])
@require(PERMISSION)
def edit_field(entity_name, field_id=None):
    entity = entity_or_404(entity_name)
    definition = definition_or_404(entity, field_id) if field_id else None
    if request.method == "GET":
        values = custom.field_form_of(definition) if definition else custom.blank_field_form(entity.name)
        return render_field_form(entity, definition, values)
    values = custom.submitted_field_form(request.form, definition)
    errors = custom.field_form_errors(entity, values, definition)
    if errors:
        return render_field_form(entity, definition, values, errors, status=422)
    created = definition is None
    definition = custom.save_field(entity, values, definition)
    db.session.commit()
    flash(_("The field “%(label)s” is saved.", label=definition.label()), "success")
    if created and definition.kind == "choice":
        flash(_("Now add the options of its list."), "info")
        return redirect(url_for("customise.choice_options", name=definition.list_name))
    return redirect(url_for("customise.entity_fields", entity_name=entity.name))


def definition_or_404(entity, field_id: int) -> CustomField:
    definition = db.session.get(CustomField, field_id)
    if definition is None or definition.entity != entity.name:
        abort(404)
    return definition


def render_field_form(entity, definition, values, errors=None, status=200):
    return render_template(
        "admin/custom_field_form.html", entity=entity, definition=definition, form=values,
        errors=errors or {}, kinds=KINDS,
    ), status
