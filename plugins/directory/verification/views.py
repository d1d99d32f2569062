"""Screens of the verification cycle, on the directory's blueprint: "mark as verified", the
maintenance dashboard and its response-rate report, the review of a proposal, "flag as wrong", and
the agency's form reached through its secure link (no account)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from marshmallow import ValidationError

from kernel.toolkit import db, limiter, require, users_by_id
from kernel.toolkit import gettext as _
from plugins.directory.models import Resource
from plugins.directory.resource_form import BLANK_ROWS, PHONE_TYPES, language_choices, weekday_names
from plugins.directory.verification import agency_form, maintenance, structured
from plugins.directory.verification.models import OPEN, PENDING, VerificationProposal, WrongReport
from plugins.directory.verification.service import (
    LINK_DAYS,
    PROPOSABLE,
    field_label,
    is_stale,
    save_verified,
    verified_basis,
    verified_by_label,
    verify_months,
)
from plugins.directory.views import blueprint


def link_limit() -> str:
    return current_app.config.get("DIRECTORY_VERIFY_RATE_LIMIT") or "30 per minute"


def _page_number() -> int:
    try:
        return min(max(int(request.args.get("page") or 1), 1), 10_000)
    except ValueError:
        return 1


def _record_or_404(kind: str, record_id: int):
    model = maintenance.MODELS.get(kind)
    record = db.session.get(model, record_id) if model is not None else None
    if record is None or record.deleted_at is not None:
        abort(404)
    return record


def _back_to(kind: str, record):
    if kind == "resource":
        return redirect(url_for("directory.resource_detail", record_id=record.id))
    return redirect(url_for("records.show_record", plural="agencies", record_id=record.id))


# -- "mark as verified" ----------------------------------------------------------------------------
@blueprint.route("/directory/records/<kind>/<int:record_id>/verified", methods=["POST"])
@require("directory.edit")
def mark_verified(kind: str, record_id: int):
    record = _record_or_404(kind, record_id)
    save_verified(record, current_user)
    db.session.commit()
    flash(_("Marked as verified today."), "success")
    return _back_to(kind, record)


# -- the maintenance dashboard -----------------------------------------------------------------------
@blueprint.route("/directory/maintenance")
@require("directory.edit")
def maintenance_dashboard():
    which = request.args.get("which") if request.args.get("which") in maintenance.VIEWS else "stale"
    kind = request.args.get("kind") if request.args.get("kind") in maintenance.KINDS else "resource"
    page_number = _page_number()
    if which == "proposals":
        page = maintenance.pending_proposals(page_number)
    elif which == "reports":
        page = maintenance.open_reports(page_number)
    else:
        page = maintenance.records_to_verify(kind, which, page_number)
    rates = maintenance.response_rates()
    return render_template(
        "directory/verification/maintenance.html", which=which, kind=kind, page=page, views=maintenance.VIEWS,
        kinds=maintenance.KINDS, counts=maintenance.counts(), titles=maintenance.titles_for(
            page.rows if which in ("proposals", "reports") else []),
        people=maintenance.people_of(page.rows, "reported_by_id") if which == "reports" else
        maintenance.people_of(page.rows, "last_verified_by_id") if which == "stale" else {},
        reasons=maintenance.WRONG_REASONS, months=verify_months(), overall_rate=maintenance.overall_rate(rates))


@blueprint.route("/directory/maintenance/responses")
@require("directory.edit")
def verification_responses():
    rates = maintenance.response_rates()
    return render_template("directory/verification/responses.html", rates=rates,
                           overall_rate=maintenance.overall_rate(rates))


# -- reviewing a proposal ------------------------------------------------------------------------------
def _proposal_or_404(proposal_id: int):
    proposal = db.session.get(VerificationProposal, proposal_id)
    record = maintenance.record_of(proposal) if proposal is not None else None
    if record is None:
        abort(404)
    return proposal, record


def _review_rows(proposal, record) -> list[dict]:
    """Current and proposed value of each field the proposal changes, in words, side by side."""
    names = [name for name in proposal.changes if structured.is_reviewable(proposal.entity, name, PROPOSABLE)]
    sites = maintenance.sites_of_proposal(proposal)
    site_labels = structured.site_labels()
    rows = []
    for name in names:
        value = proposal.changes[name]
        if name in PROPOSABLE[proposal.entity]:
            label, current, proposed = field_label(proposal.entity, name), getattr(record, name, None), value
        elif structured.SITE_KEY.fullmatch(name):
            label = structured.site_label(name, sites, site_labels)
            current, proposed = structured.current_of(name, record, sites), value
        else:
            label = field_label("resource", name) if name != "hours" else _("Weekly hours")
            label = {"phones": _("Phones"), "languages": _("Languages spoken")}.get(name, label)
            current = structured.as_text(name, structured.current_of(name, record, sites)) or None
            proposed = structured.as_text(name, value) or None
        rows.append({"name": name, "label": label, "current": current, "proposed": proposed,
                     "decision": (proposal.decisions or {}).get(name)})
    return rows


def _render_review(proposal, record, errors=None, status: int = 200):
    rows = _review_rows(proposal, record)
    reviewer = users_by_id({proposal.reviewed_by_id}).get(proposal.reviewed_by_id)
    return render_template("directory/verification/review.html", proposal=proposal, record=record, rows=rows,
                           errors=errors or [], reviewer=reviewer), status


@blueprint.route("/directory/maintenance/proposals/<int:proposal_id>")
@require("directory.edit")
def review_proposal(proposal_id: int):
    proposal, record = _proposal_or_404(proposal_id)
    return _render_review(proposal, record)


@blueprint.route("/directory/maintenance/proposals/<int:proposal_id>", methods=["POST"])
@require("directory.edit")
def decide_proposal(proposal_id: int):
    proposal, record = _proposal_or_404(proposal_id)
    if proposal.status != PENDING:
        return _render_review(proposal, record, [_("This proposal was already reviewed.")], 409)
    names = [name for name in proposal.changes if structured.is_reviewable(proposal.entity, name, PROPOSABLE)]
    decisions = {name: request.form.get(f"decision-{name}") for name in names}
    if any(decision not in ("accepted", "rejected") for decision in decisions.values()):
        return _render_review(proposal, record, [_("Accept or reject each proposed value.")], 422)
    try:
        maintenance.review(proposal, record, decisions, current_user)
    except ValidationError as error:
        db.session.rollback()
        messages = [f"{field_label(proposal.entity, name)} — "
                    f"{' '.join(map(str, text if isinstance(text, list) else [text]))}"
                    for name, text in error.normalized_messages().items()]
        return _render_review(proposal, record, messages, 422)
    db.session.commit()
    flash(_("Proposal reviewed: the accepted values are saved and the record is verified."), "success")
    return redirect(url_for("directory.maintenance_dashboard", which="proposals"))


# -- "flag as wrong" -------------------------------------------------------------------------------------
def _service_or_404(record_id: int) -> Resource:
    return _record_or_404("resource", record_id)


@blueprint.route("/resources/<int:record_id>/wrong", methods=["GET", "POST"])
@require("directory.view")
def flag_as_wrong(record_id: int):
    service = _service_or_404(record_id)
    errors, status = {}, 200
    if request.method == "POST":
        reason = request.form.get("reason")
        details = (request.form.get("details") or "").strip()
        if reason not in maintenance.WRONG_REASONS:
            errors["reason"] = _("Say what is wrong.")
        if len(details) > maintenance.LONGEST_NOTE:
            errors["details"] = _("Keep it under %(count)s characters.", count=maintenance.LONGEST_NOTE)
        if not errors:
            maintenance.open_report(service, reason, details or None, current_user)
            db.session.commit()
            flash(_("Thank you: the resource managers will check it."), "success")
            return redirect(url_for("directory.resource_detail", record_id=service.id))
        status = 422
    return render_template("directory/verification/flag.html", service=service, reasons=maintenance.WRONG_REASONS,
                           errors=errors, form=request.form), status


@blueprint.route("/directory/maintenance/reports/<int:report_id>/resolved", methods=["POST"])
@require("directory.edit")
def resolve_report(report_id: int):
    report = db.session.get(WrongReport, report_id)
    if report is None:
        abort(404)
    if report.status == OPEN:
        note = (request.form.get("note") or "").strip()[:maintenance.LONGEST_NOTE]
        maintenance.resolve(report, note or None, current_user)
        db.session.commit()
        flash(_("Report resolved."), "success")
    return redirect(url_for("directory.maintenance_dashboard", which="reports"))


# -- the agency's form (no account: the link's token) ---------------------------------------------------
def _render_agency_form(token, agency, request_row, errors=None, status: int = 200):
    return render_template(
        "directory/verification/agency.html", token=token, agency=agency, request_row=request_row,
        services=agency_form.service_views(agency.id, request.form if errors else None), errors=errors or {},
        form=request.form if errors else None, proposable=PROPOSABLE,
        labels={kind: agency_form.labels(kind) for kind in PROPOSABLE}, site_labels=structured.site_labels(),
        form_key=agency_form.form_key, language=str(get_locale() or "fr"), link_days=LINK_DAYS,
        phone_types=PHONE_TYPES, weekday_names=weekday_names, language_choices=language_choices,
        blank_rows=BLANK_ROWS), status


@blueprint.route("/directory/verification/<token>")
@limiter.limit(link_limit)
def verification_form(token: str):
    _link, agency, request_row = agency_form.open_request(token)
    db.session.commit()  # the visit and the first opening stay recorded
    return _render_agency_form(token, agency, request_row)


@blueprint.route("/directory/verification/<token>", methods=["POST"])
@limiter.limit(link_limit)
def verification_answer(token: str):
    _link, agency, request_row = agency_form.open_request(token)
    if request_row.answered_at is not None:
        db.session.commit()
        return _render_agency_form(token, agency, request_row, status=409)
    if request.form.get("answer") == "confirm":
        agency_form.confirm(request_row, agency)
    elif request.form.get("answer") == "propose":
        proposals, errors = agency_form.collect_proposals(request.form, agency, agency_form.services_of(agency.id))
        if errors:
            db.session.commit()
            return _render_agency_form(token, agency, request_row, errors, 422)
        if not proposals:
            agency_form.confirm(request_row, agency)
        else:
            agency_form.propose(request_row, agency, proposals)
    else:
        abort(400)
    db.session.commit()
    return redirect(url_for("directory.verification_form", token=token))


# -- what result cards and resource pages show ---------------------------------------------------------
def verification_of(record) -> dict:
    """For templates: whether the record is stale, since when it is known current, and by whom."""
    return {"stale": is_stale(record), "since": verified_basis(record), "verified_at": record.last_verified_at,
            "by": verified_by_label(record) if record.last_verified_at else ""}
