"""What the maintenance dashboard lists (records to verify, proposals, "wrong" reports), the
response-rate report, and the reviewing of a proposal field by field."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select

from kernel.toolkit import active_users, db, entities, notify, users_by_id, utcnow
from kernel.toolkit import lazy_gettext as _l
from plugins.directory.models import Agency, Resource, Site
from plugins.directory.verification import structured
from plugins.directory.verification.models import (
    CHANGES,
    CONFIRMED,
    OPEN,
    PENDING,
    RESOLVED,
    REVIEWED,
    VerificationProposal,
    VerificationRequest,
    WrongReport,
)
from plugins.directory.verification.service import save_verified, stale_before, stale_condition

PAGE_SIZE = 50
VIEWS = OrderedDict([("stale", _l("Not verified within the period")), ("never", _l("Never verified")),
                     ("proposals", _l("Proposed changes to review")), ("reports", _l("Flagged as wrong"))])
KINDS = OrderedDict([("resource", _l("Resources")), ("agency", _l("Agencies"))])
MODELS = {"agency": Agency, "resource": Resource}
WRONG_REASONS = OrderedDict([
    ("phone", _l("The phone number is wrong or out of service")),
    ("address", _l("The address is wrong")),
    ("hours", _l("The opening hours are wrong")),
    ("closed", _l("The service has closed")),
    ("eligibility", _l("The eligibility or the fees are wrong")),
    ("other", _l("Something else")),
])
LONGEST_NOTE = 2000


@dataclass
class Page:
    rows: list
    page: int
    has_next: bool


def _paged(query, page: int) -> Page:
    rows = list(db.session.execute(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).scalars())
    return Page(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


def records_to_verify(kind: str, which: str, page: int, now: datetime | None = None) -> Page:
    """Stale records (oldest verification first) or never verified ones (oldest first), sorted on
    indexed columns."""
    model = MODELS[kind]
    query = select(model).where(model.deleted_at.is_(None))
    if which == "never":
        query = query.where(model.last_verified_at.is_(None)).order_by(model.id)  # the key: oldest first
    else:
        query = query.where(stale_condition(model, stale_before(now))).order_by(
            model.last_verified_at.asc().nulls_first(), model.id)
    return _paged(query, page)


def pending_proposals(page: int) -> Page:
    return _paged(select(VerificationProposal).where(VerificationProposal.status == PENDING)
                  .order_by(VerificationProposal.created_at, VerificationProposal.id), page)


def open_reports(page: int) -> Page:
    return _paged(select(WrongReport).where(WrongReport.status == OPEN)
                  .order_by(WrongReport.created_at, WrongReport.id), page)


def counts(now: datetime | None = None) -> dict[str, int]:
    before = stale_before(now)
    return {
        "stale": sum(db.session.scalar(select(func.count()).select_from(model).where(
            model.deleted_at.is_(None), stale_condition(model, before))) for model in MODELS.values()),
        "never": sum(db.session.scalar(select(func.count()).select_from(model).where(
            model.deleted_at.is_(None), model.last_verified_at.is_(None))) for model in MODELS.values()),
        "proposals": db.session.scalar(select(func.count()).select_from(VerificationProposal)
                                       .where(VerificationProposal.status == PENDING)),
        "reports": db.session.scalar(select(func.count()).select_from(WrongReport).where(WrongReport.status == OPEN)),
    }


def titles_for(rows) -> dict[tuple[str, int], str]:
    """The names of the records a page of proposals or reports is about, in two queries."""
    wanted = {"agency": set(), "resource": set()}
    for row in rows:
        if isinstance(row, WrongReport):
            wanted["resource"].add(row.service_id)
        else:
            wanted[row.entity].add(row.record_id)
            wanted["agency"].add(row.organization_id)
    titles = {}
    for kind, ids in wanted.items():
        if ids:
            model = MODELS[kind]
            for record_id, name in db.session.execute(select(model.id, model.name).where(model.id.in_(ids))):
                titles[(kind, record_id)] = name
    return titles


def people_of(rows, *names) -> dict:
    return users_by_id({getattr(row, name) for row in rows for name in names})


# -- the response rates -------------------------------------------------------------------------
def response_rates(months: int = 12, now: datetime | None = None) -> list[dict]:
    """Per month of sending: sent, opened, confirmed, changes proposed, no answer (newest first)."""
    now = now or utcnow()
    since = now - timedelta(days=31 * months)
    rows = db.session.execute(select(VerificationRequest.sent_at, VerificationRequest.opened_at,
                                     VerificationRequest.outcome)
                              .where(VerificationRequest.sent_at >= since).order_by(VerificationRequest.sent_at))
    periods: dict[str, dict] = {}
    for sent_at, opened_at, outcome in rows:
        period = periods.setdefault(sent_at.strftime("%Y-%m"), {
            "period": sent_at.strftime("%Y-%m"), "sent": 0, "opened": 0, CONFIRMED: 0, CHANGES: 0, "no_answer": 0})
        period["sent"] += 1
        period["opened"] += opened_at is not None
        if outcome in (CONFIRMED, CHANGES):
            period[outcome] += 1
        else:
            period["no_answer"] += 1
    for period in periods.values():
        answered = period[CONFIRMED] + period[CHANGES]
        period["rate"] = round(100 * answered / period["sent"]) if period["sent"] else 0
    return sorted(periods.values(), key=lambda period: period["period"], reverse=True)


def overall_rate(rates: list[dict]) -> int | None:
    sent = sum(period["sent"] for period in rates)
    answered = sum(period[CONFIRMED] + period[CHANGES] for period in rates)
    return round(100 * answered / sent) if sent else None


# -- reviewing a proposal -----------------------------------------------------------------------
def record_of(proposal: VerificationProposal):
    record = db.session.get(MODELS.get(proposal.entity, Resource), proposal.record_id)
    return record if record is not None and record.deleted_at is None else None


def sites_of_proposal(proposal: VerificationProposal) -> dict[int, Site]:
    """The places a proposal's keys name (one query)."""
    ids = {int(match.group(1)) for match in map(structured.SITE_KEY.fullmatch, proposal.changes or {}) if match}
    return {site.id: site for site in db.session.scalars(select(Site).where(Site.id.in_(ids)))} if ids else {}


def review(proposal: VerificationProposal, record, decisions: dict[str, str], user) -> dict:
    """Apply the accepted fields through the normal save path (history) and mark the record verified;
    the caller commits. Raises the save's ValidationError."""
    accepted = {name: proposal.changes[name] for name, decision in decisions.items() if decision == "accepted"}
    sites = {name: value for name, value in accepted.items() if structured.SITE_KEY.fullmatch(name)}
    rows = {name: value for name, value in accepted.items() if name in structured.STRUCTURED}
    fields = {name: value for name, value in accepted.items() if name not in sites and name not in rows}
    changes = structured.save_sites(sites, user) if sites else {}
    changes |= save_verified(record, user, changes=fields,
                             sections=structured.section_writer(record, rows) if rows else None)
    proposal.decisions = decisions
    proposal.status, proposal.reviewed_at, proposal.reviewed_by_id = REVIEWED, utcnow(), user.id
    return changes


# -- "flagged as wrong" ---------------------------------------------------------------------------
def resource_managers() -> list:
    return [user for user in active_users() if user.can("directory.edit")]


def open_report(service: Resource, reason: str, details: str | None, user) -> WrongReport:
    report = WrongReport(service_id=service.id, reason=reason, details=details, reported_by_id=user.id,
                         status=OPEN, created_at=utcnow())
    db.session.add(report)
    for manager in resource_managers():
        if manager.id != user.id:
            notify(manager, "directory_wrong", _l("%(user)s flagged a resource as wrong: %(name)s",
                                                  user=user.name, name=service.name),
                   entity=entities().get("resource"), record=service)
    return report


def resolve(report: WrongReport, note: str | None, user) -> None:
    report.status, report.resolved_at, report.resolved_by_id = RESOLVED, utcnow(), user.id
    report.resolution_note = note
