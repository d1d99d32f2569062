"""Partner accounts: a user account of a partner organisation (role "partner", linked to one
directory agency) sees only the warm referrals sent to that agency and answers them with the same
service functions as the secure-link page."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import func, select

from kernel.toolkit import PARTNER, User, db, require, utcnow
from kernel.toolkit import gettext as _
from kernel.toolkit import lazy_gettext as _l
from plugins.contactcenter.models import Referral
from plugins.contactcenter.views.common import blueprint
from plugins.contactcenter.warm_referrals import service
from plugins.contactcenter.warm_referrals.models import (
    ACCEPTED,
    CLOSED,
    DECLINE_REASONS,
    DECLINED,
    OUTCOMES,
    STATUSES,
    WAITING,
    PartnerAccount,
    WarmReferral,
)
from plugins.directory.capacity.service import capacities_for, parse_capacity, save_capacity
from plugins.directory.models import Agency, Resource

PERMISSION = "contactcenter.partner_queue"
PER_PAGE = 50
FILTERS = {"waiting": _l("Waiting for an answer"), "accepted": _l("Accepted"), "declined": _l("Declined"),
           "closed": _l("Outcome reported"), "all": _l("All")}
VIA = "partner_account"
# what a partner account may open besides its queue (signing out, the language, static files)
OPEN_ENDPOINTS = {"auth.logout", "auth.login", "auth.choose_language", "static", "plugin_static", "theme_static"}


def agency_id_of(user) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False) or getattr(user, "role", None) != PARTNER:
        return None
    return db.session.scalar(select(PartnerAccount.agency_id).where(PartnerAccount.user_id == user.id))


def granted(user) -> list[str] | None:
    """The queue for a partner-role account linked to an agency (hook passerelle_user_permissions)."""
    return [PERMISSION] if agency_id_of(user) is not None else None


def guard():
    """Every page but its queue answers 403 to a partner account; the home page leads to the queue."""
    if not current_user.is_authenticated or getattr(current_user, "role", None) != PARTNER:
        return None
    endpoint = request.endpoint or ""
    if endpoint in OPEN_ENDPOINTS or endpoint.startswith("contactcenter.partner_"):
        return None
    if endpoint == "home.dashboard":
        return redirect(url_for("contactcenter.partner_queue"))
    abort(403)


def _my_agency() -> Agency:
    agency_id = agency_id_of(current_user)
    agency = db.session.get(Agency, agency_id) if agency_id else None
    if agency is None:
        abort(403)
    return agency


def _positive(value: str | None, default: int = 1) -> int:
    return int(value) if value and value.isascii() and value.isdigit() and 0 < int(value) < 10**6 else default


def queue_rows(agency_id: int, which: str, page: int):
    """One page of the agency's warm referrals, newest first (the (agency_id, sent_at) index), and
    whether there is a next page: a few queries for the page, none per row."""
    query = select(WarmReferral).where(WarmReferral.agency_id == agency_id)
    if which == "waiting":
        query = query.where(WarmReferral.status.in_(WAITING))
    elif which in (ACCEPTED, DECLINED, CLOSED):
        query = query.where(WarmReferral.status == which)
    warms = list(db.session.scalars(query.order_by(WarmReferral.sent_at.desc(), WarmReferral.id.desc())
                                    .offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)))
    more = len(warms) > PER_PAGE
    warms = warms[:PER_PAGE]
    referrals = {one.id: one for one in db.session.scalars(
        select(Referral).where(Referral.id.in_([warm.referral_id for warm in warms])))} if warms else {}
    resources = {one.id: one for one in db.session.scalars(
        select(Resource).where(Resource.id.in_({one.resource_id for one in referrals.values()})))} if referrals else {}
    french = str(get_locale() or "fr") == "fr"
    rows = []
    for warm in warms:
        referral = referrals.get(warm.referral_id)
        resource = resources.get(referral.resource_id) if referral else None
        rows.append({"warm": warm, "programme": service._named(resource, french)})
    return rows, more


def referral_of_my_agency(warm_id: int):
    """A warm referral sent to the account's agency, with the visit in the access log; 404 otherwise.
    An administrator sees any (what the partner sees)."""
    agency_id = _my_agency().id if current_user.role == PARTNER else None
    warm = db.session.get(WarmReferral, warm_id)
    referral = db.session.get(Referral, warm.referral_id) if warm is not None else None
    if warm is None or referral is None or referral.deleted_at is not None or (
            agency_id is not None and warm.agency_id != agency_id):
        abort(404)
    service.note_partner_read(referral, VIA)
    return warm, referral


# -- the partner account's pages -----------------------------------------------------------------
@blueprint.route("/contactcenter/partner/referrals")
@require(PERMISSION)
def partner_queue():
    which = request.args.get("status", "waiting")
    if which not in FILTERS:
        which = "waiting"
    page = _positive(request.args.get("page"))
    if current_user.role != PARTNER:  # an administrator (who holds every permission) has no queue of its own
        return render_template("contactcenter/warm_referrals/partner_queue.html", agency=None, rows=[], more=False,
                               page=1, which=which, filters=FILTERS, statuses=STATUSES)
    agency = _my_agency()
    rows, more = queue_rows(agency.id, which, page)
    return render_template("contactcenter/warm_referrals/partner_queue.html", agency=agency, rows=rows, more=more,
                           page=page, which=which, filters=FILTERS, statuses=STATUSES)


def _render(warm, referral, errors=None, form=None, status=200, capacity_service_id=None):
    french = str(get_locale() or "fr") == "fr"
    view = service.partner_view(warm, referral, french)
    urls = {"accept": url_for("contactcenter.partner_accept", warm_id=warm.id),
            "decline": url_for("contactcenter.partner_decline", warm_id=warm.id),
            "outcome": url_for("contactcenter.partner_outcome", warm_id=warm.id),
            "capacity": lambda service_id: url_for("contactcenter.partner_capacity", warm_id=warm.id,
                                                   service_id=service_id)}
    return render_template("contactcenter/warm_referrals/partner.html", view=view, token=None, link=None, urls=urls,
                           base_template="layout.html", errors=errors or {}, form=form, statuses=STATUSES,
                           reasons=DECLINE_REASONS, outcomes=OUTCOMES,
                           capacities=capacities_for(one.id for one in view.services),
                           capacity_service_id=capacity_service_id, language=str(get_locale() or "fr"),
                           french=french, link_days=service.link_days()), status


@blueprint.route("/contactcenter/partner/referrals/<int:warm_id>")
@require(PERMISSION)
def partner_referral(warm_id: int):
    warm, referral = referral_of_my_agency(warm_id)
    if current_user.role == PARTNER:
        service.mark_opened(warm)  # the history says it was opened, as through the link
    db.session.commit()
    return _render(warm, referral)


def _answer(warm_id: int, act):
    warm, referral = referral_of_my_agency(warm_id)
    service.mark_opened(warm)
    try:
        errors = act(warm)
    except service.Refused as refused:
        db.session.commit()
        flash(str(refused), "error")
        return _render(warm, referral, status=409)
    db.session.commit()
    if errors:
        return _render(warm, referral, errors=errors, form=request.form, status=422)
    flash(_("Thank you: your answer is recorded."), "success")
    return redirect(url_for("contactcenter.partner_referral", warm_id=warm.id))


@blueprint.route("/contactcenter/partner/referrals/<int:warm_id>/accept", methods=["POST"])
@require(PERMISSION)
def partner_accept(warm_id: int):
    return _answer(warm_id, lambda warm: service.accept(warm, user=current_user))


@blueprint.route("/contactcenter/partner/referrals/<int:warm_id>/decline", methods=["POST"])
@require(PERMISSION)
def partner_decline(warm_id: int):
    def act(warm):
        reason, note, errors = service.parse_decline(request.form)
        if not errors:
            service.decline(warm, reason, note, user=current_user)
        return errors

    return _answer(warm_id, act)


@blueprint.route("/contactcenter/partner/referrals/<int:warm_id>/outcome", methods=["POST"])
@require(PERMISSION)
def partner_outcome(warm_id: int):
    def act(warm):
        outcome, note, errors = service.parse_outcome(request.form)
        if not errors:
            service.report_outcome(warm, outcome, note, user=current_user)
        return errors

    return _answer(warm_id, act)


@blueprint.route("/contactcenter/partner/referrals/<int:warm_id>/capacity/<int:service_id>", methods=["POST"])
@require(PERMISSION)
def partner_capacity(warm_id: int, service_id: int):
    warm, referral = referral_of_my_agency(warm_id)
    programme = service.partner_service(warm, service_id)
    if programme is None:
        abort(404)
    values, errors = parse_capacity(request.form)
    if errors:
        return _render(warm, referral, errors=errors, form=request.form, status=422,
                       capacity_service_id=programme.id)
    save_capacity(programme.id, values, user=current_user)
    service.record_event(warm, "capacity", programme.name, user=current_user)
    db.session.commit()
    flash(_("Thank you: the capacity of %(programme)s is updated.", programme=programme.name), "success")
    return redirect(url_for("contactcenter.partner_referral", warm_id=warm.id) + "#capacity")


# -- the administrator links accounts to an agency ------------------------------------------------
def _agency_or_404(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None or agency.deleted_at is not None:
        abort(404)
    return agency


def _linked(agency_id: int) -> list[User]:
    return list(db.session.scalars(select(User).join(PartnerAccount, PartnerAccount.user_id == User.id)
                                   .where(PartnerAccount.agency_id == agency_id).order_by(User.name)))


def _render_accounts(agency, error=None, status=200):
    linked = _linked(agency.id)
    free = list(db.session.scalars(select(User).where(
        User.role == PARTNER, User.active.is_(True),
        ~select(PartnerAccount.id).where(PartnerAccount.user_id == User.id).exists()).order_by(User.name).limit(500)))
    return render_template("contactcenter/warm_referrals/partner_accounts.html", agency=agency, linked=linked,
                           free=free, error=error), status


@blueprint.route("/contactcenter/agencies/<int:agency_id>/partner-accounts")
@require("kernel.manage_users")
def agency_partner_accounts(agency_id: int):
    return _render_accounts(_agency_or_404(agency_id))


@blueprint.route("/contactcenter/agencies/<int:agency_id>/partner-accounts", methods=["POST"])
@require("kernel.manage_users")
def agency_partner_accounts_add(agency_id: int):
    agency = _agency_or_404(agency_id)
    raw = request.form.get("user_id", "")
    user = db.session.get(User, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    if user is None or user.role != PARTNER:
        return _render_accounts(agency, _("Choose an account whose role is “Partner organisation”."), 422)
    if db.session.scalar(select(func.count()).select_from(PartnerAccount).where(PartnerAccount.user_id == user.id)):
        return _render_accounts(agency, _("This account is already linked to an organisation."), 409)
    db.session.add(PartnerAccount(user_id=user.id, agency_id=agency.id, created_at=utcnow()))
    db.session.commit()
    flash(_("%(name)s now sees the referrals sent to this organisation.", name=user.name), "success")
    return redirect(url_for("contactcenter.agency_partner_accounts", agency_id=agency.id))


@blueprint.route("/contactcenter/agencies/<int:agency_id>/partner-accounts/<int:user_id>/remove", methods=["POST"])
@require("kernel.manage_users")
def agency_partner_accounts_remove(agency_id: int, user_id: int):
    agency = _agency_or_404(agency_id)
    account = db.session.scalar(select(PartnerAccount).where(PartnerAccount.user_id == user_id,
                                                             PartnerAccount.agency_id == agency.id))
    if account is None:
        abort(404)
    db.session.delete(account)
    db.session.commit()
    flash(_("The account no longer sees this organisation's referrals."), "success")
    return redirect(url_for("contactcenter.agency_partner_accounts", agency_id=agency.id))
