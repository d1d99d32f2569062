"""The province scenario's measures: p95 of the server time (Server-Timing), beside the targets of
issue 18 (contact screen 100 ms, lists 50 ms, resource search 50 ms, monthly report 2 s)."""

from __future__ import annotations

import urllib.parse

from bench.harness import Bench, Figure
from bench.province import helpline

TABS = ("details", "resources", "referrals", "programmes")
MONTH = ("2026-10-01", "2026-10-31")  # a full month of the generated data (it ends on 2026-11-23)
LISTS = {
    "agent's own contacts, newest first": ["/helpline-contacts/?mine=1", "/helpline-contacts/?mine=1&page=2"],
    "all contacts, newest first": ["/helpline-contacts/", "/helpline-contacts/?status__in=incomplete"],
    "contacts: quick search by caller number": ["/helpline-contacts/?q=867%20979-0000", "/helpline-contacts/?q=6132001234"],
    "caller profiles: quick search by name": ["/caller-profiles/?q=tremblay", "/caller-profiles/?q=kilabuk%2012345"],
}
SEARCHES = {
    "keyword": ["/resources/search?q=logement", "/resources/search?q=h%C3%A9bergement%20d%27urgence",
                "/resources/search?q=food%20groceries", "/resources/search?q=Immigrants"],
    "keyword within 25 km of a postal code": [
        "/resources/search?q=logement&postal_code=H2X%201Y4&radius=25&sort=distance",
        "/resources/search?q=food&postal_code=K1P%201J1&radius=25&sort=distance",
        "/resources/search?q=emploi&postal_code=M5V%202T6&radius=25&sort=distance"],
    "facets": ["/resources/search?type=BH-8000&language=fr", "/resources/search?type=BD-1800&open_at=2026-11-23T10:00",
               "/resources/search?q=counselling&type=LH-2700&language=en"],
}


def figures(bench: Bench, only_reports: bool = False, parts=("directory", "helpline")):
    """The figures of the parts built: the helpline's screens, lists and reports, the directory's searches."""
    if "helpline" not in parts:
        yield from search_figures(bench)
        return
    contact = helpline.repeat_caller_open_contact()
    paths = [f"/contactcenter/contacts/{contact}?tab={tab}" for tab in TABS]
    yield Figure(f"province: contact screen, caller with {helpline.REPEAT_CONTACTS:,} contacts (p95)",
                 bench.p95(paths), "ms", 100)
    for name, paths in LISTS.items():
        yield Figure(f"province: {name} (p95)", bench.p95(paths), "ms", 50)
    if "directory" in parts:
        yield from search_figures(bench)
    for key, path in monthly_reports(bench):
        try:
            yield Figure(f"province: report {key}, one month (worst of 5)", worst(bench, path), "ms", 2000)
        except RuntimeError as error:  # a report whose columns are not there (yet) answers 4xx
            print(f"# province: report {key} not measured: {str(error)[:120]}")


def search_figures(bench: Bench):
    for name, paths in SEARCHES.items():
        yield Figure(f"province: resources, {name} (p95)", bench.p95(paths), "ms", 50)


def monthly_reports(bench: Bench) -> list[tuple[str, str]]:
    """Every standard report of the contact centre over October 2026, through the reports page."""
    from flask_login import login_user

    from plugins.reports.views import standard_query_items, standard_reports

    with bench.app.test_request_context():
        login_user(bench.staff)
        offered = [report for report in standard_reports(bench.staff) if report.key.startswith("contactcenter_")]
        found = []
        for report in offered:
            items = [(key, value) for key, value in standard_query_items(report) if key != "period"]
            items += [("period", "custom"), ("from", MONTH[0]), ("to", MONTH[1]), ("standard", report.key)]
            found.append((report.key.removeprefix("contactcenter_"), "/reports/build?" + urllib.parse.urlencode(items)))
    return found


def worst(bench: Bench, path: str, runs: int = 5) -> float:
    bench.server_ms(path)
    return max(bench.server_ms(path) for _ in range(runs))
