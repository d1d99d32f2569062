"""Getting around: favourites, global search and inline editing of one field on a detail page.

Every screen here works for every entity any enabled plugin declares. The inline editor saves
through ``kernel.records.update`` like the edit form: same validation, same optimistic locking.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from string import Formatter

from flask import Blueprint, abort, make_response, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from marshmallow import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from kernel import listing, navigation, records
from kernel.assignees import assignable_users
from kernel.db import db
from kernel.display import Lookups, display_value
from kernel.entities import Entity, FieldMeta
from kernel.registry import entities
from kernel.text import fold
from kernel.views.records import _reference_titles, entity_for, form_to_raw, form_values, record_for

bp = Blueprint("navigation", __name__)
log = logging.getLogger(__name__)

SEARCH_RESULTS_PER_MODULE = 10


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


@bp.app_context_processor
def navigation_context():
    """``navigation_menus()`` for the top bar and the sidebar, loaded only when a template asks."""
    return {"navigation_menus": _menus_of_current_user, "creatable_entities": _creatable_entities}


def _creatable_entities() -> list[Entity]:
    """The entities the "+" menu offers: those the user may create records of."""
    if not current_user.is_authenticated:
        return []
    return [entity for entity in entities() if entity.can(current_user, "create")]


def _menus_of_current_user() -> navigation.NavigationMenus:
    if not current_user.is_authenticated:
        return navigation.NavigationMenus()
    try:
        return navigation.menus_for(current_user)
    except SQLAlchemyError:  # a menu never breaks the page it is on (an error page, say)
        log.exception("cannot load the favourites and recently viewed records")
        db.session.rollback()
        return navigation.NavigationMenus()


# -- favourites ---------------------------------------------------------------------------------
@bp.route("/<entity:plural>/<int:record_id>/favourite", methods=["POST"])
@login_required
def toggle_favourite(plural, record_id):
    """Star (``favourite=1``) or unstar (``favourite=0``) a record: the button says which."""
    entity = entity_for(plural, "view")
    record = record_for(entity, record_id)
    wanted = request.form.get("favourite") == "1"
    navigation.set_favourite(current_user, entity, record, wanted)
    db.session.commit()
    if not is_htmx():
        return redirect(url_for("records.show_record", plural=plural, record_id=record_id))
    return render_template("navigation/_favourite_toggled.html", entity=entity, record=record, favourite=wanted)


# -- global search ------------------------------------------------------------------------------
@dataclass
class SearchGroup:
    """The first results of one module."""

    entity: Entity
    records: list
    lookups: Lookups
    has_more: bool

    def summary_of(self, record) -> str:
        """The record's list columns that its title does not already show, as one line."""
        in_title = fields_in_title(self.entity)
        shown = (
            display_value(meta, self.entity.value_of(record, meta.name), self.lookups)
            for meta in self.entity.list_fields if meta.name not in in_title and meta.kind != "boolean"
        )
        return " · ".join(text for text in shown if text)


def fields_in_title(entity: Entity) -> set[str]:
    """The fields a title pattern shows (``"{last_name}, {first_name}"``); a title made by a
    function (a programme named in both languages) shows no list column by itself."""
    if callable(entity.title):
        return set()
    return {name for _text, name, _spec, _conversion in Formatter().parse(entity.title) if name}


@bp.route("/search")
@login_required
def search():
    q = request.args.get("q", "").strip()
    groups = search_everywhere(q) if fold(q) else []
    return render_template("navigation/search.html", q=q, groups=groups, display=display_value)


def search_everywhere(q: str) -> list[SearchGroup]:
    """The quick search of every module the user may view; modules without a match are left out."""
    groups = []
    for entity in entities():
        if entity.can(current_user, "view"):
            group = _search_module(entity, q)
            if group.records:
                groups.append(group)
    return groups


def _search_module(entity: Entity, q: str) -> SearchGroup:
    statement = listing.filtered(entity, q=q).order_by(*listing.sort_clause(entity, None))
    rows = list(db.session.scalars(statement.limit(SEARCH_RESULTS_PER_MODULE + 1)))
    shown = rows[:SEARCH_RESULTS_PER_MODULE]
    return SearchGroup(entity, shown, Lookups(entity, shown, entities()), len(rows) > len(shown))


# -- inline editing -----------------------------------------------------------------------------
def editable_field(entity: Entity, name: str) -> FieldMeta:
    meta = entity.fields.get(name)
    if meta is None or not meta.editable:
        abort(404)
    return meta


@bp.route("/<entity:plural>/<int:record_id>/fields/<name>")
@login_required
def show_field(plural, record_id, name):
    """The field as the detail page shows it (what "Cancel" puts back)."""
    entity = entity_for(plural, "view")
    record = record_for(entity, record_id)
    return render_field_view(entity, record, editable_field(entity, name))


@bp.route("/<entity:plural>/<int:record_id>/fields/<name>/edit")
@login_required
def edit_field(plural, record_id, name):
    """A one-field form in place of the value."""
    entity = entity_for(plural, "edit")
    record = record_for(entity, record_id)
    meta = editable_field(entity, name)
    if entity.is_closed(record):
        return render_field_view(entity, record, meta), 409
    return render_field_editor(entity, record, meta, form_values(entity, record)[meta.name])


@bp.route("/<entity:plural>/<int:record_id>/fields/<name>", methods=["POST"])
@login_required
def save_field(plural, record_id, name):
    entity = entity_for(plural, "edit")
    record = record_for(entity, record_id)
    meta = editable_field(entity, name)
    typed = (meta.name in request.form) if meta.kind == "boolean" else request.form.get(meta.name, "")
    try:
        records.update(
            entity, record, {meta.name: form_to_raw(entity, request.form).get(meta.name)}, current_user,
            expected_version=request.form.get("version"), partial=True,
        )
    except records.StaleRecord:
        db.session.rollback()
        db.session.refresh(record)
        return render_field_editor(entity, record, meta, typed, conflict=True), 409
    except ValidationError as error:
        db.session.rollback()
        return render_field_editor(entity, record, meta, typed, errors=_messages_of(error, meta)), 422
    db.session.commit()
    response = make_response(render_field_view(entity, record, meta, saved=True))
    response.headers["HX-Trigger"] = "record-saved"  # the page's history reloads
    return response


def _messages_of(error: ValidationError, meta: FieldMeta) -> list:
    messages = records.messages_of(error)
    messages = messages if isinstance(messages, dict) else {"": messages}
    found = messages.get(meta.name) or [text for texts in messages.values() for text in texts]
    return found if isinstance(found, list) else [found]


def render_field_view(entity: Entity, record, meta: FieldMeta, saved: bool = False) -> str:
    return render_template(
        "records/_inline_field.html", entity=entity, record=record, meta=meta, saved=saved,
        lookups=Lookups(entity, [record], entities()), display=display_value,
        can_edit=entity.can_change(current_user, record, "edit"),
    )


def render_field_editor(entity: Entity, record, meta: FieldMeta, value, errors=None, conflict=False) -> str:
    """The one-field form; after a conflict it also shows the value the other person saved."""
    lookups = Lookups(entity, [record], entities())
    return render_template(
        "records/_inline_form.html", entity=entity, record=record, meta=meta, value=value,
        errors=errors, conflict=conflict, lookups=lookups, display=display_value,
        users=assignable_users([value]) if meta.kind == "user" else [],
        titles=_reference_titles(entity, {meta.name: value}) if meta.kind == "reference" else {},
    )
