"""Screens of the resource directory: search, full resource, synonyms and postal codes; and the
search API endpoint."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import to_user_timezone
from sqlalchemy import delete, func, insert, select

from kernel.toolkit import api_operation, db, problem, require, token_required
from kernel.toolkit import gettext as _
from plugins.directory import geo
from plugins.directory.api_schemas import SearchQuerySchema, SearchResultsSchema
from plugins.directory.cards import cards_for, full_resource, is_french
from plugins.directory.models import Resource, TaxonomyTerm, communities, postal_codes, synonym_groups
from plugins.directory.resource_form import indented
from plugins.directory.search import PAGE_SIZE, Criteria, has_next_page, run

blueprint = Blueprint("directory", __name__)
MAX_RADIUS_KM = 1000.0


SERVICE_TYPE_CHOICES = 1000  # a picker longer than that would not help: the code can still be typed in the URL


@blueprint.app_template_global()
def service_type_choices() -> list[tuple[str, str]]:
    """(code, name) of the taxonomy's terms in code order, indented by their depth, named in the
    reader's language: the search's service-type picker."""
    french = is_french()
    return [(code, indented(code, (name_fr if french and name_fr else name) or code))
            for code, name, name_fr in db.session.execute(_service_types())]


@cache  # built once: SQLAlchemy then finds it compiled without walking it again
def _service_types():
    return (select(TaxonomyTerm.code, TaxonomyTerm.name, TaxonomyTerm.name_fr)
            .where(TaxonomyTerm.deleted_at.is_(None), TaxonomyTerm.code.is_not(None))
            .order_by(TaxonomyTerm.code).limit(SERVICE_TYPE_CHOICES))


def user_now() -> datetime:
    return to_user_timezone(datetime.now(UTC)).replace(tzinfo=None)


def parse_moment(args) -> tuple[datetime | None, str | None]:
    """The opening time asked for: "now", a chosen date and time, or none; and an error."""
    if args.get("open") == "now":
        return user_now(), None
    chosen = (args.get("open_at") or "").strip()
    if not chosen:
        return None, None
    try:
        return datetime.fromisoformat(chosen), None
    except ValueError:
        return None, _("The opening time is not a valid date and time.")


def parse_radius(value) -> tuple[float | None, str | None]:
    if value in (None, ""):
        return None, None
    try:
        radius = float(value)
    except ValueError:
        return None, _("The radius must be a number of kilometres.")
    if not 0 < radius <= MAX_RADIUS_KM:
        return None, _("The radius must be between 0 and %(max)d km.", max=int(MAX_RADIUS_KM))
    return radius, None


def criteria_from(args) -> tuple[Criteria, list[str]]:
    moment, moment_error = parse_moment(args)
    radius, radius_error = parse_radius(args.get("radius"))
    try:
        page = max(int(args.get("page") or 1), 1)
    except ValueError:
        page = 1
    criteria = Criteria(
        keywords=(args.get("q") or "").strip()[:200], postal_code=(args.get("postal_code") or "").strip()[:100],
        radius_km=radius, sort=args.get("sort") or "", area=(args.get("area") or "").strip()[:100],
        taxonomy=(args.get("type") or "").strip()[:100], language=(args.get("language") or "").strip()[:50],
        open_at=moment, phone=(args.get("phone") or "").strip()[:50], page=page,
        exact_count=args.get("count") == "exact",
        hide_full=args.get("full") == "hide",
    )
    return criteria, [error for error in (moment_error, radius_error) if error]


def unknown_place_message(value: str) -> str:
    if geo.looks_like_postal_code(value):
        return _("Unknown postal code: %(code)s", code=value)
    return _("Unknown postal code or community: %(code)s", code=value)


def has_criteria(criteria: Criteria) -> bool:
    return any((criteria.keywords, criteria.postal_code, criteria.area, criteria.taxonomy, criteria.language,
                criteria.open_at, criteria.phone))


@blueprint.route("/resources/search")
@require("directory.view")
def search_page():
    criteria, errors = criteria_from(request.args)
    outcome = run(criteria) if has_criteria(criteria) and not errors else None
    cards = cards_for(outcome.hits, user_now(), outcome.approximate_origin) if outcome else []
    template = "directory/results.html" if request.headers.get("HX-Request") else "directory/search.html"
    return render_template(template, criteria=criteria, errors=errors, outcome=outcome, cards=cards,
                           has_next_page=has_next_page,  # asked once the cards are drawn (its count is read beside)
                           args=request.args, french=is_french(), unknown_place_message=unknown_place_message)


@blueprint.route("/resources/<int:record_id>/full")
@require("directory.view")
def resource_detail(record_id: int):
    service = db.session.get(Resource, record_id)
    if service is None or service.deleted_at is not None:
        abort(404)
    return render_template("directory/detail.html", resource=full_resource(service, user_now()),
                           refer=request.args.get("refer") == "1", french=is_french())


# -- API ------------------------------------------------------------------------------------
def hit_json(card: dict) -> dict:
    service, site, agency = card["service"], card["site"], card["agency"]
    return {
        "id": service.id, "hsds_id": service.hsds_id, "name": card["name"], "description": card["description"],
        "agency": agency.name if agency else None,
        "address": _address(site), "postal_code": site.postal_code if site else None,
        "distance_km": round(card["distance_km"], 2) if card["distance_km"] is not None else None,
        "distance_is_approximate": card["distance_approximate"],
        "phones": [phone["number"] for phone in card["phones"]], "hours": card["hours"], "open_now": card["open"],
    }


def _address(site) -> str | None:
    if site is None:
        return None
    return ", ".join(part for part in (site.address_1, site.city, site.state_province, site.postal_code) if part)


@blueprint.route("/api/v1/directory/search")
@api_operation("Search the resource directory", tags=["Resource directory"], query=SearchQuerySchema,
               responses={200: SearchResultsSchema}, description="The search screen's results, as JSON (400: "
               "a radius, an opening time or a postal code that cannot be used).")
@token_required
def search_api():
    """The screen's search as JSON. ``total`` stops at 1,000 (``total_is_exact`` is then false, and the
    facet counts are among those) unless ``count=exact`` is given."""
    if not g.api_user.can("directory.view"):
        return problem(403, _("You are not allowed to do this."))
    criteria, errors = criteria_from(request.args)
    if errors:
        return problem(400, errors[0])
    outcome = run(criteria)
    if outcome.unknown_postal_code:
        return problem(400, unknown_place_message(criteria.postal_code))
    results = [hit_json(card) for card in cards_for(outcome.hits, user_now(), outcome.approximate_origin)]
    return jsonify({  # the count last: it is read beside the cards (``search.count_beside``)
        "total": outcome.total, "total_is_exact": outcome.total_is_exact, "page": criteria.page, "page_size": PAGE_SIZE,
        "results": results, "facets": outcome.facets,
    })


# -- administration ------------------------------------------------------------------------
@blueprint.route("/admin/directory/synonyms", methods=["GET", "POST"])
@require("directory.admin")
def synonyms():
    if request.method == "POST":
        words = ", ".join(word.strip() for word in (request.form.get("words") or "").split(",") if word.strip())
        if len(words.split(",")) < 2 or len(words) > 255:
            flash(_("Give at least two words separated by commas (255 characters at most)."), "error")
        else:
            db.session.execute(insert(synonym_groups).values(words=words))
            db.session.commit()
            flash(_("Synonym group added."), "success")
        return redirect(url_for("directory.synonyms"))
    groups = db.session.execute(select(synonym_groups).order_by(synonym_groups.c.words)).all()
    return render_template("directory/synonyms.html", groups=groups)


@blueprint.route("/admin/directory/synonyms/<int:group_id>/delete", methods=["POST"])
@require("directory.admin")
def delete_synonyms(group_id: int):
    db.session.execute(delete(synonym_groups).where(synonym_groups.c.id == group_id))
    db.session.commit()
    flash(_("Synonym group deleted."), "success")
    return redirect(url_for("directory.synonyms"))


@blueprint.route("/admin/directory/postal-codes", methods=["GET", "POST"])
@require("directory.admin")
def postal_code_table():
    if request.method == "POST":
        upload = request.files.get("file")
        content = upload.read().decode("utf-8-sig", errors="replace") if upload else ""
        loaded, errors = geo.load_postal_code_csv(content)
        if errors or not loaded:
            flash(_("Nothing was loaded: the file needs postal_code, latitude and longitude columns with valid "
                    "values (lines %(lines)s).", lines=", ".join(errors[:10]) or "-"), "error")
        else:
            db.session.commit()
            flash(_("%(count)d postal codes loaded.", count=loaded), "success")
        return redirect(url_for("directory.postal_code_table"))
    count = db.session.scalar(select(func.count()).select_from(postal_codes))
    community_count = db.session.scalar(select(func.count()).select_from(communities))
    return render_template("directory/postal_codes.html", count=count, community_count=community_count)
