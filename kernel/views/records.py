"""Generic screens of every entity: list, detail, create, edit, delete, look-up.

URLs use the entity's plural: ``/clients/``, ``/clients/new``, ``/clients/42``,
``/clients/42/edit``. An entity of a disabled plugin is not in the registry: its URLs are 404.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from marshmallow import ValidationError

from kernel import (
    access_log,
    choices,
    custom_fields,
    form_sections,
    listing,
    navigation,
    notifications,
    records,
    saved_views,
)
from kernel.assignees import assignable_users, kept_user_ids
from kernel.db import db
from kernel.display import Lookups, display_value, remember_users
from kernel.fragments import render_fragment
from kernel.i18n import gettext as _
from kernel.list_rows import column_chooser, list_rows
from kernel.onepass import OnePass
from kernel.permissions import READONLY
from kernel.registry import entities, plugins
from kernel.related import related_titles
from kernel.rules import next_free_value
from kernel.security.events import record_deletion
from kernel.users import active_users, active_users_statement

bp = Blueprint("records", __name__)


def entity_for(plural: str, action: str):
    entity = entities().by_plural(plural)
    if entity is None:
        abort(404)
    if not entity.can(current_user, action):
        abort(403)
    return entity


def record_for(entity, record_id: int):
    record = records.get(entity, record_id)
    if record is None:
        abort(404)
    return record


def form_to_raw(entity, form) -> dict:
    """Form strings → the values the schema loads; empty inputs become ``None``."""
    raw = {}
    for meta in entity.editable_fields:
        if meta.kind == "boolean":
            raw[meta.name] = meta.name in form
            continue
        if meta.name not in form:
            continue
        value = form.get(meta.name, "").strip()
        raw[meta.name] = value if value != "" else None
    return raw


def form_values(entity, record) -> dict:
    """A record's values as the form's inputs show them."""
    values = {}
    for meta in entity.editable_fields:
        value = entity.value_of(record, meta.name) if record is not None else None
        if value is None:
            values[meta.name] = ""
        elif meta.kind == "datetime":
            from flask_babel import to_user_timezone

            values[meta.name] = to_user_timezone(value).strftime("%Y-%m-%dT%H:%M")
        elif meta.kind == "boolean":
            values[meta.name] = bool(value)
        else:
            values[meta.name] = str(value)
    return values


def render_form(entity, record, values, errors=None, conflict=None, status=200, sections=None):
    """The create or edit form; ``sections``: the plugins' form sections with their values (those
    read from the record when not given, or parsed from what the user submitted)."""
    if sections is None:
        sections = [(section, section.read(record)) for section in _form_sections(entity, record)]
    context = {
        "entity": entity,
        "record": record,
        "values": values,
        "errors": errors or {},
        "conflict": conflict,
        "users": assignable_users(kept_user_ids(entity, values)),
        "reference_titles": _reference_titles(entity, values),
        "sections": _rendered_sections(entity, record, sections, errors or {}),
    }
    return render_template("records/form.html", **context), status


def _form_sections(entity, record) -> list[form_sections.FormSection]:
    return form_sections.sections_for(plugins(), entity, record, current_user)


def _submitted_sections(entity, record) -> tuple[list, dict, list]:
    """The plugins' form sections of the submitted form, their values (as typed) and errors; every
    section shows again with what the user typed, those absent from the form with the record's."""
    sections = _form_sections(entity, record)
    parsed, errors = form_sections.submitted(sections, request.form, record)
    shown = {section.key: values for section, values in parsed}
    return parsed, errors, [(section, shown[section.key] if section.key in shown else section.read(record))
                            for section in sections]


def _rendered_sections(entity, record, sections, errors) -> list[tuple[form_sections.FormSection, Markup]]:
    return [
        (section, render_fragment(section.template, **{
            "entity": entity, "record": record, "section": section, "values": values, "errors": errors,
            **section.context}))
        for section, values in sections
    ]


def _reference_titles(entity, values) -> dict:
    titles = {}
    for meta in entity.fields.values():
        if meta.kind == "reference" and values.get(meta.name):
            target = entities().by_table(meta.target)
            try:
                target_record = records.get(target, int(values[meta.name])) if target else None
            except ValueError:
                target_record = None
            if target_record is not None:
                titles[meta.name] = target.title_of(target_record)
        elif meta.kind == "related" and values.get(meta.name):
            found = related_titles([values[meta.name]], entities())
            if found:
                titles[meta.name] = next(iter(found.values()))
    return titles


@bp.route("/<entity:plural>/")
@login_required
def list_records(plural):
    entity = entity_for(plural, "view")
    found = read_list_settings(entity, current_user)
    preference = found["list:preference"][0] if found["list:preference"] else None
    state = listing.list_state_for(entity, request.args, current_user, preference=preference)
    page = listing.paginate(
        entity, state.statement(entity, current_user), sort=state.sort, page=state.page, per_page=state.per_page,
        exact_count=state.exact_count, state=state,
    )
    labels = {name: str(meta.label) for name, meta in entity.fields.items()}  # translated once, used often
    people = found["users"]  # the assignees (all but read-only), the user filter's options, the names shown
    remember_users({user.id: user for user in people})
    return render_template(
        "records/list.html", entity=entity, page=page, state=state, display=display_value, list_rows=list_rows,
        column_chooser=column_chooser,
        lookups=Lookups(entity, page.records, entities()), page_sizes=listing.PAGE_SIZES,
        saved_filters=found["list:saved_filters"],
        users=[user for user in people if user.role != READONLY],
        filter_fields=filter_fields(entity, people, labels), labels=labels,
        columns=[(name, entity.fields[name], labels[name]) for name in state.columns],
    )


def read_list_settings(entity, user) -> dict:
    """Everything a list page reads besides its records, in one statement (``kernel.onepass``):
    the custom fields' definitions and the edited choice lists (unless the request has them), the
    user's columns and saved filters, the active users, the bell's count and the menu's shortcuts.
    The rows found are transient: nothing of them is saved."""
    reads = OnePass()
    custom_fields.add_definitions_read(reads)
    choices.add_options_read(reads)
    saved_views.add_list_reads(reads, user.id, entity.name)
    reads.rows("users", active_users_statement(), params={})
    notifications.add_unread_read(reads, user.id)
    navigation.add_shortcut_reads(reads, user, count=False)
    found = reads.run()
    custom_fields.keep_definitions_read(found)
    choices.keep_options_read(found)
    notifications.keep_unread_read(found)
    navigation.keep_shortcuts(found, user)
    return found


def filter_fields(entity, people=None, labels=None) -> dict:
    """What the advanced-filter panel needs to know of each filterable field (``people``: the
    active users, ``labels``: the fields' translated labels, when the caller has them)."""
    from kernel.filters import OPERATOR_LABELS, operators_for

    fields = {}
    operators = {}  # by kind: each label translated once, not once per field
    user_options = None
    for meta in entity.fields.values():
        if not meta.filterable:
            continue
        options = None
        if meta.kind == "choice":
            options = meta.choices.items()
        elif meta.kind == "country":
            options = "countries"  # a name in kernel.filters.shared_options(): the list is sent once for all
        elif meta.kind == "user":
            if user_options is None:
                user_options = [(str(user.id), user.name) for user in (active_users() if people is None else people)]
            options = user_options
        if meta.kind not in operators:
            operators[meta.kind] = [[key, str(OPERATOR_LABELS[key])] for key in operators_for(meta)]
        fields[meta.name] = {
            "label": labels[meta.name] if labels else str(meta.label), "kind": meta.kind, "options": options,
            "operators": operators[meta.kind],
        }
    return fields


@bp.route("/<entity:plural>/lookup")
@login_required
def lookup(plural):
    """Type-ahead for record pickers: ``[{"id": 1, "title": "…"}]``."""
    entity = entity_for(plural, "view")
    statement = listing.filtered(entity, q=request.args.get("q"))
    rows = db.session.scalars(statement.order_by(*listing.sort_clause(entity, None)).limit(20))
    return jsonify([{"id": row.id, "title": entity.title_of(row)} for row in rows])


@bp.route("/<entity:plural>/<int:record_id>")
@login_required
def show_record(plural, record_id):
    from kernel.views import detail

    entity = entity_for(plural, "view")
    return detail.show(entity, record_id, position=lambda record: list_position(entity, record))


def list_position(entity, record) -> dict | None:
    """Where the record stands in the list it was opened from ("2/8"), with its neighbours,
    when the link carried the list (``?list=<query>&pos=<n>``)."""
    from urllib.parse import parse_qsl

    from werkzeug.datastructures import MultiDict

    position = request.args.get("pos", type=int)
    if not position or position < 1 or "list" not in request.args:
        return None
    query = request.args["list"]
    state = listing.list_state_for(entity, MultiDict(parse_qsl(query, keep_blank_values=True)), current_user)
    previous_id, next_id, total, exact = listing.neighbours(entity, state, current_user, position, record.id)
    if total is None:
        return None

    def link(record_id, pos):
        return url_for("records.show_record", plural=entity.plural, record_id=record_id, list=query, pos=pos)

    return {
        "position": position, "total": total, "exact": exact,
        "previous": link(previous_id, position - 1) if previous_id else None,
        "next": link(next_id, position + 1) if next_id else None,
        "list": url_for("records.list_records", plural=entity.plural) + "?" + query,
    }


@bp.route("/<entity:plural>/new", methods=["GET", "POST"])
@login_required
def create_record(plural):
    entity = entity_for(plural, "create")
    if request.method == "GET":
        values = form_values(entity, None) | declared_defaults(entity)
        values.update({key: value for key, value in request.args.items() if key in entity.fields})
        if entity.assignable and not values.get("assigned_user_id"):
            values["assigned_user_id"] = str(current_user.id)
        for meta in entity.fields.values():
            if meta.suggest_next and not values.get(meta.name):
                values[meta.name] = next_free_value(entity, meta.name)
        return render_form(entity, None, values)
    from kernel.schemas import load
    from kernel.views.duplicates import matches_to_confirm, show_matches_in_form

    raw = form_to_raw(entity, request.form)
    parsed, section_errors, sections = _submitted_sections(entity, None)
    try:
        form_sections.refuse_errors(section_errors, lambda: load(entity, raw, partial=False))
        data = load(entity, raw, partial=False)
        matches = matches_to_confirm(entity, data, request.form)
        record = None if matches else records.create(entity, raw, current_user, validated=data,
                                                     children=form_sections.writer(parsed, current_user))
    except ValidationError as error:
        db.session.rollback()
        flash(_("Check the highlighted fields: nothing was saved yet."), "error")
        return render_form(entity, None, request.form.to_dict(), records.messages_of(error), status=422,
                           sections=sections)
    if matches:  # likely duplicates: nothing saved, the form again with them and "Create anyway"
        show_matches_in_form(matches)
        return render_form(entity, None, request.form.to_dict(), sections=sections)
    db.session.commit()
    flash(_("%(title)s is saved.", title=entity.title_of(record)), "success")
    return _after_save(entity, record)


def declared_defaults(entity) -> dict:
    """The fixed defaults of the model's columns (a task "not started", a case file "open"), as
    the create form shows them."""
    defaults = {}
    for name, meta in entity.declared_fields.items():
        default = entity.model.__table__.c[name].default
        if default is not None and default.is_scalar and default.arg is not None:
            defaults[name] = bool(default.arg) if meta.kind == "boolean" else str(default.arg)
    return defaults


def _after_save(entity, record):
    if request.form.get("continue"):
        return redirect(url_for("records.edit_record", plural=entity.plural, record_id=record.id))
    return redirect(url_for("records.show_record", plural=entity.plural, record_id=record.id))


@bp.route("/<entity:plural>/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit_record(plural, record_id):
    entity = entity_for(plural, "edit")
    record = record_for(entity, record_id)
    if entity.is_closed(record):
        return back_to_closed_record(entity, record)
    if request.method == "GET":
        access_log.note_read(entity, record.id)  # the form shows the whole record
        return render_form(entity, record, form_values(entity, record))
    from kernel.schemas import load

    submitted = request.form.to_dict()
    raw = form_to_raw(entity, request.form)
    parsed, section_errors, sections = _submitted_sections(entity, record)
    try:
        form_sections.refuse_errors(section_errors, lambda: load(entity, raw, partial=False, record=record))
        records.update(
            entity, record, raw, current_user, expected_version=request.form.get("version"), partial=False,
            children=form_sections.writer(parsed, current_user),
        )
    except records.StaleRecord:
        db.session.rollback()
        db.session.refresh(record)
        return render_form(entity, record, submitted, conflict=_conflicts(entity, record, submitted), status=409,
                           sections=sections)
    except ValidationError as error:
        db.session.rollback()
        flash(_("Check the highlighted fields: nothing was saved yet."), "error")
        return render_form(entity, record, submitted, records.messages_of(error), status=422, sections=sections)
    db.session.commit()
    flash(_("%(title)s is saved.", title=entity.title_of(record)), "success")
    return _after_save(entity, record)


def _conflicts(entity, record, submitted) -> list[tuple]:
    """The fields whose saved value differs from what the user typed: shown side by side."""
    current = form_values(entity, record)
    lookups = Lookups(entity, [record], entities())
    rows = []
    for meta in entity.editable_fields:
        mine = submitted.get(meta.name, "")
        if meta.kind == "boolean":
            mine = meta.name in submitted
        if current.get(meta.name) != mine:
            rows.append((meta, display_value(meta, entity.value_of(record, meta.name), lookups), mine))
    return rows


@bp.route("/<entity:plural>/<int:record_id>/delete", methods=["POST"])
@login_required
def delete_record(plural, record_id):
    entity = entity_for(plural, "delete")
    record = record_for(entity, record_id)
    if entity.is_closed(record):
        return back_to_closed_record(entity, record)
    dependents = dependent_links(entity, record)
    choice = request.form.get("dependents")
    if dependents and choice not in {"detach", "delete"}:
        return render_template("records/delete_confirm.html", entity=entity, record=record, dependents=dependents)
    try:
        records.delete(entity, record, current_user, expected_version=request.form.get("version"),
                       dependents=choice)
    except records.StaleRecord:
        flash(_("Someone changed this record since you opened it. Look at it again before deleting it."),
              "error")
        return redirect(url_for("records.show_record", plural=plural, record_id=record_id))
    record_deletion(entity.name, "trash", [record.id], dependents=choice)
    db.session.commit()
    flash(_("%(title)s is in the trash. An administrator can restore it.", title=entity.title_of(record)),
          "success")
    return redirect(url_for("records.list_records", plural=plural))


def back_to_closed_record(entity, record):
    flash(str(entity.closing.message), "error")
    return redirect(url_for("records.show_record", plural=entity.plural, record_id=record.id))


@bp.route("/<entity:plural>/<int:record_id>/reopen", methods=["POST"])
@login_required
def reopen_record(plural, record_id):
    entity = entity_for(plural, "view")
    record = record_for(entity, record_id)
    if not entity.can_reopen(current_user, record):
        abort(403)
    try:
        records.reopen(entity, record, current_user, expected_version=request.form.get("version"))
    except records.StaleRecord:
        flash(_("Someone changed this record since you opened it. Look at it again."), "error")
        return redirect(url_for("records.show_record", plural=plural, record_id=record_id))
    db.session.commit()
    flash(_("%(title)s is reopened.", title=entity.title_of(record)), "success")
    return redirect(url_for("records.show_record", plural=plural, record_id=record_id))


def dependent_links(entity, record) -> list[tuple]:
    """(link, count) of the records pointing at ``record``, whatever the viewer may see."""
    from kernel.linked import linked_count, links_to

    found = [(link, linked_count(link)) for link in links_to(entity, record, entities())]
    return [(link, count) for link, count in found if count]
