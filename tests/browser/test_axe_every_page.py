"""Accessibility of every page, checked by axe-core (npm package, injected by the test): an
administrator, with every plugin enabled and the demonstration records loaded (plus one record of
each kind the demonstration leaves empty), visits every page the application serves by GET, and
the important dynamic states (the "+" menu, an open record picker, the calendar's views, the
kanban, the contact screen's steps, the resource search's results, the menus and panels that open
in place, the registration kiosk). axe must report no violation anywhere. The application has no
modal dialog of its own: its confirmations are the browser's.

The pages are found from the Flask URL map, so a new plugin's pages are checked without changing
this test; a URL parameter this test cannot fill makes it fail, naming the rule, and so does a page
that answers an error. Routes that answer JSON, CSV or a file, and htmx fragments (checked inside
their page), are left out by what they answer, not by name.

Every page is checked in two configurations, French-light-normal and English-dark-compact (each
language, theme and density once: a crawl takes minutes on a loaded machine); the dynamic states
in the four configurations where every pair of settings meets."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from flask import url_for
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import func, select

from kernel import records
from kernel.db import db, utcnow
from kernel.registry import entities
from kernel.users import User
from tests.browser.test_navigation_workspace import log_in
from tests.conftest import TEST_PASSWORD

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
ADMIN_EMAIL = "axe-admin@example.org"
DASHBOARD = {"en": "Dashboard", "fr": "Tableau de bord"}

# (language, theme, density)
EVERY_PAGE_CONFIGURATIONS = [("fr", "light", "normal"), ("en", "dark", "compact")]
# Every pair of values of two settings appears in one of these.
PAIRWISE_CONFIGURATIONS = [*EVERY_PAGE_CONFIGURATIONS, ("fr", "dark", "compact"), ("en", "light", "normal")]

# Endpoints that serve files by construction (their names have no page to check).
FILE_ENDPOINTS = {"static", "plugin_static", "vendor", "favicon"}
# Endpoints that end the session (should one answer a GET).
SESSION_ENDPOINTS = {"auth.logout"}

pytestmark = pytest.mark.skipif(not AXE.is_file(), reason="axe-core is not installed: run `make frontend`")


# -- axe ----------------------------------------------------------------------------------------

def axe_violations(page) -> list[str]:
    """What axe-core finds on the page shown, one line per rule and node (axe is injected into
    every page by ``log_in_as_administrator``, through DevTools: the page's CSP does not apply)."""
    result = page.evaluate("(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", AXE_TAGS)
    return [f"{violation['id']}: {node['target']} {node['failureSummary'].splitlines()[-1].strip()}"
            for violation in result["violations"] for node in violation["nodes"]]


# -- the records ----------------------------------------------------------------------------------

def seed(app) -> dict:
    """The demonstration records, one record of each kind the demonstration leaves empty, and the
    objects some pages need (an import, a saved report, a custom field); returns the ids the URL
    parameters need."""
    from kernel.setup import first_start

    with app.app_context():
        first_start(load_demo=True)
        admin = db.session.scalar(select(User).where(User.role == "administrator"))
        ids = _missing_records(admin)
        ids.update(_other_objects(admin))
        ids.update(_directory_verification_records())
        db.session.commit()
        db.session.remove()
    return ids


def _first_id(entity_name: str) -> int | None:
    model = entities().get(entity_name).model
    return db.session.scalar(select(func.min(model.id)).where(model.deleted_at.is_(None)))


def _create(entity_name: str, values: dict, user):
    return records.create(entities().get(entity_name), values, user)


def _missing_records(admin) -> dict:
    from plugins.contactcenter import workflow

    client, partner = _first_id("client"), _first_id("partner")
    term, resource = _first_id("taxonomy_term"), _first_id("resource")
    today = date.today().isoformat()
    _create("participation", {"related_to": f"client:{client}", "programme_id": _first_id("programme"),
                              "start_date": today}, admin)
    _create("service_record", {"activity_number": "A-1", "related_to": f"partner:{partner}",
                               "service_id": _first_id("service"), "start_date": today}, admin)
    _create("visit", {"client_id": client, "visited_at": datetime.now().isoformat(timespec="minutes"),
                      "reason": "cv"}, admin)
    contact = workflow.start_contact(admin, channel="phone", line=None, caller_number="514 555 0199", agent=admin)
    profile = _create("caller_profile", {"name": "Zoé Kilabuk", "phone": "514 555 0199", "postal_code": "H2X 1Y4"},
                      admin)
    workflow.choose_profile(contact, profile, admin)
    workflow.add_need(contact, term, admin, primary=True)
    referral = workflow.refer(contact, resource, admin)
    referral.link_token = "axe-referral-token"
    referral.link_expires_at = utcnow() + timedelta(days=7)
    _create("service_gap", {"contact_id": contact.id, "term_id": term, "postal_code": "H2X"}, admin)
    _create("survey_response", {"contact_id": contact.id, "survey_id": _first_id("intake_survey")}, admin)
    _create("programme_enrolment", {"contact_id": contact.id, "profile_id": profile.id,
                                    "programme_id": _first_id("programme"), "enrolled_on": today}, admin)
    waiting = workflow.start_contact(admin, channel="chat", line=None, caller_number=None, agent=admin)
    note = entities().get("note")
    records.delete(note, records.get(note, _first_id("note")), admin)  # something in the trash
    db.session.flush()
    from kernel.testing import give_consent
    from plugins.contactcenter.followups.service import schedule as schedule_followup

    give_consent("caller_profile", profile.id, "follow_up_calls", user=admin)  # a follow-up needs it
    followup = schedule_followup(contact, admin, due_at=utcnow(), channel="phone", reason="Food bank?", consent=True)
    return {"helpline_contact": contact.id, "new_helpline_contact": waiting.id,
            "referral_token": referral.link_token, "followup": followup.id,
            "warm_referral_token": _warm_referral_token(referral)}


def _warm_referral_token(referral) -> str:
    """The referral sent as a warm referral: the token of the partner's page."""
    from kernel import secure_links
    from plugins.contactcenter.warm_referrals.models import WarmReferral

    token = secure_links.issue("warm_referral", entity="referral", record_id=referral.id, days=7, language="fr")
    db.session.flush()
    link = secure_links.links_for("referral", referral.id)[0]
    db.session.add(WarmReferral(referral_id=referral.id, contact_id=referral.contact_id, email="intake@example.org",
                                language="fr", note="Axe", sent_at=utcnow(), link_id=link.id))
    return token


def _other_objects(admin) -> dict:
    from kernel.custom_fields import CustomField
    from plugins.activities.models import DocumentRevision
    from plugins.reports.models import SavedReport

    job = _import_job(admin)
    field = CustomField(entity="client", key="badge", kind="text", label_en="Badge", label_fr="Badge")
    report = SavedReport(name="Clients by city", owner_id=admin.id, entity="client", sharing="everyone",
                         query="entity=client&columns=last_name&columns=city")
    db.session.add_all([job, field, report])
    db.session.flush()
    return {"import": job.id, "custom_field": field.id, "saved_report": report.id,
            "revision": db.session.scalar(select(func.min(DocumentRevision.id))), "user": admin.id,
            "retention_run": _retention_run(admin)}


def _retention_run(admin) -> int:
    """A run of the retention rules started by hand (the demo's rules are inactive: it changes nothing)."""
    from plugins.privacy.retention.run import run_rules

    return run_rules("manual", user=admin).id


def _import_job(admin):
    from kernel.importer import Import
    from kernel.importer.files import store_file

    path = store_file(b"first_name,last_name\nAnna,Karpik\n")
    return Import(user_id=admin.id, entity="client", filename="clients.csv", path=path,
                  mapping=["first_name", "last_name"])


# -- the pages ------------------------------------------------------------------------------------

class UnfilledParameter(LookupError):
    pass


def page_urls(app, ids: dict, language: str) -> list[str]:
    """The address of every GET rule of the URL map, its parameters filled with the records' ids;
    a rule with an ``<entity:plural>`` parameter once per entity."""
    urls = []
    with app.test_request_context():
        fixed = _fixed_values(ids, language)
        for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
            if "GET" not in rule.methods or rule.endpoint in FILE_ENDPOINTS | SESSION_ENDPOINTS:
                continue
            if rule.redirect_to is not None:  # a former address: its target is a page of its own here
                continue
            for values in rule_values(rule, fixed):
                urls.append(url_for(rule.endpoint, **values))
    return list(dict.fromkeys(urls))


# Pages about a person (their consents, their erasure) answer 404 for other records, as they should.
PERSON_PAGES = ("/privacy/consents/", "/privacy/people/")


def rule_values(rule, fixed: dict) -> list[dict]:
    if "plural" in rule.arguments:  # <entity:plural>
        person_only = rule.rule.startswith(PERSON_PAGES)
        return [_values_for(rule, fixed, entity) for entity in entities() if entity.person or not person_only]
    return [_values_for(rule, fixed, _entity_in_path(rule))]


def _entity_in_path(rule):
    """The entity whose plural the path names just before a record id (``/resources/<id>/full``)."""
    by_plural = {entity.plural: entity for entity in entities()}
    match = re.search(r"/([\w-]+)/<int:record_id>", rule.rule)
    return by_plural.get(match.group(1)) if match else None


def _fixed_values(ids: dict, language: str) -> dict:
    """The value of each URL parameter that does not depend on the entity."""
    return {
        "user_id": ids["user"], "job_id": ids["import"], "field_id": ids["custom_field"],
        "report_id": ids["saved_report"], "revision_id": ids["revision"], "contact_id": ids["helpline_contact"],
        "meeting_id": _first_id("meeting"), "followup_id": ids["followup"], "run_id": ids["retention_run"], "entity_name": "client", "code": language, "language": language,
        "key": _standard_report_key(),
        # a referral's link; elsewhere (password reset, iCal feed) an unknown token's answer is the page
        "token": {"contactcenter.public_referral": ids["referral_token"],
                  "contactcenter.warm_referral_page": ids["warm_referral_token"],
                  "directory.verification_form": ids["verification_token"]},
        "proposal_id": ids["verification_proposal"],
        "agency_id": _first_id("agency"), "warm_id": _first_warm_referral(),  # partner accounts' pages
        "hsds_id": "unknown",  # the HSDS API's objects: JSON, not a page (its answer is not checked)
    }


def _first_warm_referral() -> int | None:
    from plugins.contactcenter.warm_referrals.models import WarmReferral

    return db.session.scalar(select(func.min(WarmReferral.id)))


def _values_for(rule, fixed: dict, entity) -> dict:
    values = {}
    for name in rule.arguments:
        if name == "token":
            values[name] = fixed["token"].get(rule.endpoint, "unknown-token")
        elif name == "plural":
            values[name] = entity.plural
        elif name in ("record_id", "other_id") and entity is not None:
            values[name] = _record_ids(entity)[0 if name == "record_id" else 1]
        elif name == "name" and entity is not None:
            values[name] = next(iter(entity.fields))
        elif name == "name":
            values[name] = "gender"  # a choice list
        elif name in fixed:
            values[name] = fixed[name]
        else:
            raise UnfilledParameter(f"{rule.rule}: this test does not know what to put in <{name}>")
    return values


def _record_ids(entity) -> list[int]:
    model = entity.model
    found = list(db.session.scalars(select(model.id).where(model.deleted_at.is_(None)).order_by(model.id).limit(2)))
    if not found:
        raise UnfilledParameter(f"no {entity.name} record: create one in _missing_records()")
    return found + found[:1]


def _standard_report_key() -> str:
    from plugins.reports.views import standard_reports

    return standard_reports(db.session.scalar(select(User).where(User.email == ADMIN_EMAIL)))[0].key


# -- the browser ----------------------------------------------------------------------------------

FILE_PATH = re.compile(r"\.\w+$")  # /export.csv, /<token>.ics, /openapi.json


def log_in_as_administrator(live_app, live_server, live_user, page, language, theme, density) -> dict:
    page.context.add_init_script(path=str(AXE))
    ids = seed(live_app)
    live_user("administrator", email=ADMIN_EMAIL, language=language, theme=theme, density=density)
    log_in(page, live_server, ADMIN_EMAIL, dashboard=DASHBOARD[language])
    return ids


def open_page(page, url: str):
    """Go to ``url``; the response, or None when the browser downloads it instead of showing it."""
    try:
        return page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return None
        raise


def is_html_document(page, response) -> bool:
    """A whole HTML page: not JSON, CSV or a file, nor an htmx fragment (checked inside its page)."""
    content_type = response.headers.get("content-type", "")
    return content_type.startswith("text/html") and page.evaluate("document.doctype !== null")


def report(found: dict) -> str:
    return json.dumps({url: lines for url, lines in found.items() if lines}, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("language, theme, density", EVERY_PAGE_CONFIGURATIONS)
def test_axe_finds_no_violation_on_any_page(live_app, live_server, live_user, page, language, theme, density):
    ids = log_in_as_administrator(live_app, live_server, live_user, page, language, theme, density)
    found, unreachable, checked = {}, {}, set()
    for path in page_urls(live_app, ids, language):
        response = open_page(page, f"{live_server}{path}")
        if response is None or not is_html_document(page, response):
            continue
        if response.status >= 400 and not FILE_PATH.search(path):
            unreachable[path] = response.status
        if page.url in checked:  # a redirection to a page already checked
            continue
        checked.add(page.url)
        found[path] = axe_violations(page)
    assert not unreachable, f"pages this test could not open (give it the records they need): {unreachable}"
    assert not any(found.values()), report(found)


# -- the dynamic states ---------------------------------------------------------------------------

def open_menus(page, base: str) -> dict:
    """The top bar's "+" and favourites menus, a record's actions menu, a list's filters and columns."""
    found = {}
    page.goto(f"{base}/")
    for menu in ("quick-create", "favourites-menu"):
        page.locator(f"details.{menu} > summary").click()
        expect(page.locator(f"details.{menu}")).to_have_attribute("open", "")
        found[f"top bar: {menu} open"] = axe_violations(page)
        page.keyboard.press("Escape")
    client = f"{base}/clients/{_first_of(page, base, 'clients')}"
    page.goto(f"{client}/edit")
    page.locator("details.actions-menu > summary").click()
    found["edit form: actions menu open"] = axe_violations(page)
    page.goto(f"{base}/clients/?sort=-last_name")
    for panel in ("details.filter-panel", "#column-chooser"):
        page.locator(f"{panel} > summary").click()
        expect(page.locator(panel)).to_have_attribute("open", "")
    found["list: sorted, filters and column chooser open"] = axe_violations(page)
    return found


def _first_of(page, base: str, plural: str) -> str:
    """The id of the first record a list shows."""
    page.goto(f"{base}/{plural}/")
    href = page.locator("main table tbody a[href]").first.get_attribute("href")
    return re.search(r"/(\d+)(?:\?|$)", href).group(1)


def open_picker_and_duplicates(page, base: str) -> dict:
    """A searchable record picker with its suggestions open; the duplicate warning of a create form."""
    found = {}
    page.goto(f"{base}/contacts/new")
    picker = page.locator("#field-partner_id + .ts-wrapper")
    picker.locator(".ts-control").click()
    picker.locator(".ts-control input").fill("a")
    expect(page.locator(".ts-dropdown .option").first).to_be_visible()
    found["contact form: partner picker open"] = axe_violations(page)
    first, last = _a_client_name(page, base)
    page.goto(f"{base}/clients/new")
    page.locator("#field-first_name").fill(first)
    page.locator("#field-last_name").fill(last)
    page.locator("#field-last_name").dispatch_event("change")
    expect(page.locator("#duplicate-warning a").first).to_be_visible()
    found["client form: duplicate warning"] = axe_violations(page)
    return found


def _a_client_name(page, base: str) -> tuple[str, str]:
    page.goto(f"{base}/clients/{_first_of(page, base, 'clients')}/edit")
    return page.locator("#field-first_name").input_value(), page.locator("#field-last_name").input_value()


def open_calendar_and_kanban(page, base: str) -> dict:
    found = {}
    page.goto(f"{base}/activities/calendar")
    for view in ("dayGridMonth", "timeGridWeek", "timeGridDay"):
        page.locator(f".fc-{view}-button").click()
        expect(page.locator(f".fc-{view}-view")).to_be_visible()
        found[f"calendar: {view}"] = axe_violations(page)
    page.locator(".fc-next-button").click()
    found["calendar: next day"] = axe_violations(page)
    page.goto(f"{base}/tasks/kanban")
    expect(page.locator(".kanban-card").first).to_be_visible()
    found["kanban"] = axe_violations(page)
    return found


def open_contact_screen(page, base: str, ids: dict) -> dict:
    """The contact screen's steps: choosing the caller's profile, then each tab, and the resource
    search with its results (also on the directory's own search page)."""
    found = {}
    page.goto(f"{base}/contactcenter/contacts/{ids['new_helpline_contact']}")
    expect(page.locator("main h1")).to_be_visible()
    found["contact screen: profile step"] = axe_violations(page)
    contact = f"{base}/contactcenter/contacts/{ids['helpline_contact']}"
    for tab in ("details", "resources", "referrals", "programmes"):
        page.goto(f"{contact}?tab={tab}")
        expect(page.locator(f"#panel-{tab}")).to_be_visible()
        found[f"contact screen: {tab} tab"] = axe_violations(page)
    keywords = _a_resource_word(page, base)
    page.goto(f"{contact}?tab=resources")
    page.locator("#resource-keywords").fill(keywords)
    page.locator("#resource-keywords").press("Enter")
    expect(page.locator("#contact-resource-results article, #contact-resource-results li").first).to_be_visible()
    found["contact screen: resource results"] = axe_violations(page)
    page.goto(f"{base}/resources/search?q={keywords}")
    expect(page.locator("main article, main .result-card").first).to_be_visible()
    found["resource search: results"] = axe_violations(page)
    return found


def _a_resource_word(page, base: str) -> str:
    """A word of the first resource's name: a search that finds it."""
    page.goto(f"{base}/resources/{_first_of(page, base, 'resources')}")
    return max(page.locator("main h1").inner_text().split(), key=len)


def open_kiosk(page, base: str) -> dict:
    """The office-visit registration kiosk: its form and the page to leave it."""
    found = {}
    page.goto(f"{base}/sae/registration")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main form input:not([type=hidden])").first).to_be_visible()
    found["registration kiosk: form"] = axe_violations(page)
    page.goto(f"{base}/sae/registration/exit")
    found["registration kiosk: leaving"] = axe_violations(page)
    page.locator("main input[type=password]").fill(TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main h1")).to_be_visible()
    return found


@pytest.mark.parametrize("language, theme, density", PAIRWISE_CONFIGURATIONS)
def test_axe_finds_no_violation_in_the_dynamic_states(live_app, live_server, live_user, page,
                                                      language, theme, density):
    ids = log_in_as_administrator(live_app, live_server, live_user, page, language, theme, density)
    found = {**open_menus(page, live_server), **open_picker_and_duplicates(page, live_server),
             **open_calendar_and_kanban(page, live_server), **open_contact_screen(page, live_server, ids),
             **open_kiosk(page, live_server)}
    assert not any(found.values()), report(found)


# -- the public directory (issue 20) ---------------------------------------------------------------

@pytest.fixture(autouse=True)
def public_directory_on(live_app):
    """The public directory is off unless configured: the crawl visits it on, with the demo's public
    records (its resource page opens for the first resource, which the demo marks public)."""
    live_app.config["DIRECTORY_PUBLIC"] = True


def _directory_verification_records() -> dict:
    """An agency's verification request (its form's token) and a change it proposed (the review page)."""
    from kernel import secure_links
    from plugins.directory.verification.models import PURPOSE, VerificationProposal, VerificationRequest

    agency, resource = _first_id("agency"), _first_id("resource")
    token = secure_links.issue(PURPOSE, entity="agency", record_id=agency, days=30, language="fr")
    db.session.flush()
    request = VerificationRequest(organization_id=agency, email="info@example.org", language="fr",
                                  sent_at=utcnow(), reminders_sent=0,
                                  link_id=secure_links.links_for("agency", agency)[0].id)
    db.session.add(request)
    db.session.flush()
    proposal = VerificationProposal(request_id=request.id, organization_id=agency, entity="resource",
                                    record_id=resource, changes={"fees_description": "Free"}, comment="Axe")
    db.session.add(proposal)
    db.session.flush()
    return {"verification_token": token, "verification_proposal": proposal.id}
