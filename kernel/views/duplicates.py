"""Screens of duplicate detection and merging.

- the create form's warning: ``matches_to_confirm`` (used by ``records.create_record``) and the
  htmx fragment ``GET /<plural>/duplicates?first_name=…&email=…`` refreshed while typing;
- ``GET /api/v1/<plural>/duplicates?…``: the same matches as JSON. The API's ``POST`` does not
  warn: a program that wants to avoid duplicates asks this endpoint first;
- merging, for administrators (``kernel.merge``) and holders of ``<prefix>.merge`` for that entity:
  ``/admin/merge/<plural>/<id>`` to choose the
  other record, then a side-by-side screen to choose the value kept for each field.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError

from kernel import listing, merge, records
from kernel.api_schemas import DuplicatesSchema, duplicate_parameters
from kernel.db import db
from kernel.display import Lookups, display_value
from kernel.duplicates import find_duplicates, rule_of
from kernel.i18n import gettext as _
from kernel.openapi import api_operation
from kernel.registry import entities
from kernel.views import api

bp = Blueprint("duplicates", __name__)
api_bp = Blueprint("duplicates_api", __name__, url_prefix="/api/v1")

MAX_API_LIMIT = 20
SEARCH_LIMIT = 20


# -- warning on the create form ----------------------------------------------------------------
def matches_to_confirm(entity, values: dict, form) -> list:
    """Likely duplicates of a record about to be created, unless the user already chose
    "Create anyway" (``confirm_duplicates=1``)."""
    if form.get("confirm_duplicates") == "1":
        return []
    return find_duplicates(entity, values)


def show_matches_in_form(matches: list) -> None:
    """Hand the matches to ``records/form.html`` (read by ``duplicates/_create_warning.html``)."""
    g.duplicate_matches = matches


def typed_values(entity, args) -> dict:
    rule = rule_of(entity)
    if rule is None:
        return {}
    return {name: args.get(name, "").strip() for name in rule.fields() if args.get(name, "").strip()}


def entity_for(plural: str, action: str):
    entity = entities().by_plural(plural)
    if entity is None:
        abort(404)
    if not entity.can(current_user, action):
        abort(403)
    return entity


@bp.route("/<entity:plural>/duplicates")
@login_required
def fragment(plural):
    """The warning of the create form, as an HTML fragment (empty when nothing matches); with
    ``exclude_id``, the edit form's "Check for duplicates" of that record (no "Create anyway")."""
    entity = entity_for(plural, "view")
    exclude_id = request.args.get("exclude_id", type=int)
    matches = find_duplicates(entity, typed_values(entity, request.args), exclude_id=exclude_id)
    return render_template("duplicates/_matches.html", entity=entity, matches=matches, in_form=exclude_id is None)


@api_bp.route("/<entity:plural>/duplicates")
@api_operation("Likely duplicates of a record about to be created", query=duplicate_parameters,
               responses={200: DuplicatesSchema})
@api.token_required
def api_duplicates(plural):
    """``{"items": [{"id", "title", "score", "reasons"}]}``; reasons are "name", "email",
    "phone" or the name of another exact field. ``exclude_id`` and ``limit`` (≤ 20) are optional."""
    entity, error = api.entity_or_error(plural, "view")
    if error:
        return error
    limit = max(1, min(request.args.get("limit", 5, type=int) or 5, MAX_API_LIMIT))
    matches = find_duplicates(
        entity, typed_values(entity, request.args), exclude_id=request.args.get("exclude_id", type=int), limit=limit,
    )
    return jsonify(items=[match.as_json() for match in matches])


# -- merging -----------------------------------------------------------------------------------
def mergeable(plural: str, record_id: int):
    entity = entities().by_plural(plural)
    record = records.get(entity, record_id) if entity else None
    if record is None:
        abort(404)
    if not entity.can_merge(current_user):
        abort(403)
    return entity, record


def values_of(entity, record) -> dict:
    rule = rule_of(entity)
    return {name: getattr(record, name, None) for name in rule.fields()} if rule else {}


def search_results(entity, record, q: str) -> list:
    if not q:
        return []
    statement = listing.filtered(entity, q=q).where(entity.model.id != record.id)
    return list(db.session.scalars(statement.order_by(*listing.sort_clause(entity, None)).limit(SEARCH_LIMIT)))


@bp.route("/admin/merge/<entity:plural>/<int:record_id>")
@login_required
def choose(plural, record_id):
    """Choose the record to merge with: likely duplicates, a quick search, or an id."""
    entity, record = mergeable(plural, record_id)
    other = (request.args.get("other") or "").strip().lstrip("#")
    if other.isdigit() and int(other) != record.id and records.get(entity, int(other)) is not None:
        return redirect(url_for("duplicates.compare", plural=plural, record_id=record.id, other_id=int(other)))
    if other:
        flash(_("No other record has the number %(id)s.", id=other), "error")
    q = (request.args.get("q") or "").strip()
    return render_template(
        "duplicates/merge_choose.html", entity=entity, record=record, q=q,
        suggestions=find_duplicates(entity, values_of(entity, record), exclude_id=record.id, limit=10),
        results=search_results(entity, record, q),
    )


def comparison_rows(entity, first, second, lookups) -> list[dict]:
    """Each editable field with both values shown and whether they differ."""
    rows = []
    for meta in entity.editable_fields:
        one, two = entity.value_of(first, meta.name), entity.value_of(second, meta.name)
        rows.append({
            "meta": meta, "differs": one != two,
            "first": display_value(meta, one, lookups), "second": display_value(meta, two, lookups),
            "default": second.id if one in (None, "") and two not in (None, "") else first.id,
        })
    return rows


def render_compare(entity, first, second, errors=None, status=200):
    lookups = Lookups(entity, [first, second], entities())
    return render_template(
        "duplicates/merge_compare.html", entity=entity, first=first, second=second,
        rows=comparison_rows(entity, first, second, lookups), errors=errors or {},
    ), status


def chosen_from(entity, form, kept, removed) -> list[str]:
    """The fields for which the form chose the removed record's value."""
    return [
        name for name in merge.differing_fields(entity, kept, removed)
        if form.get(f"field-{name}") == str(removed.id)
    ]


@bp.route("/admin/merge/<entity:plural>/<int:record_id>/<int:other_id>", methods=["GET", "POST"])
@login_required
def compare(plural, record_id, other_id):
    """Both records side by side; POST merges them."""
    entity, first = mergeable(plural, record_id)
    _entity, second = mergeable(plural, other_id)
    if first.id == second.id:
        flash(_("Choose another record: a record cannot be merged with itself."), "error")
        return redirect(url_for("duplicates.choose", plural=plural, record_id=record_id))
    if request.method == "GET":
        return render_compare(entity, first, second)
    kept_id = request.form.get("keep", type=int)
    if kept_id not in (first.id, second.id):
        abort(400)
    kept, removed = (first, second) if kept_id == first.id else (second, first)
    try:
        merge.merge(
            entity, kept, removed, chosen_from(entity, request.form, kept, removed), current_user,
            kept_version=request.form.get(f"version-{kept.id}"),
            removed_version=request.form.get(f"version-{removed.id}"),
        )
    except records.StaleRecord:
        db.session.rollback()
        flash(_("Someone changed one of these records since you opened this page. Check the values again."),
              "error")
        return redirect(url_for("duplicates.compare", plural=plural, record_id=record_id, other_id=other_id))
    except IntegrityError:
        db.session.rollback()
        flash(_("Some rows linked to both records cannot be combined (the same thing twice, for example): "
                "nothing was merged."), "error")
        return redirect(url_for("duplicates.compare", plural=plural, record_id=record_id, other_id=other_id))
    except ValidationError as error:
        db.session.rollback()
        flash(_("Some chosen values are not valid any more: nothing was merged."), "error")
        db.session.refresh(first)
        db.session.refresh(second)
        return render_compare(entity, first, second, error.messages, status=422)
    db.session.commit()
    flash(_("%(removed)s (#%(removed_id)s) is merged into %(kept)s and moved to the trash.",
            removed=entity.title_of(removed), removed_id=removed.id, kept=entity.title_of(kept)), "success")
    return redirect(url_for("records.show_record", plural=plural, record_id=kept.id))
