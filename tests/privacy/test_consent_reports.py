"""Reports can leave out the people who did not consent to research and funder statistics, and
say how many they left out; without the option, or without the privacy plugin, they count
everyone."""

import re

from kernel import records
from kernel.db import db
from kernel.registry import entities
from plugins.privacy.consent.state import record


def clients(staff, *names):
    made = [records.create(entities().get("client"), {"last_name": name, "country_of_origin": "HT"}, staff)
            for name in names]
    db.session.commit()
    return made


def result_count(page: str) -> int:
    return int(re.search(r'class="count"[^>]*>\s*(\d+)', page).group(1))


def excluded(page: str) -> int | None:
    found = re.search(r'data-excluded="(\d+)"', page)
    return int(found.group(1)) if found else None


def test_a_report_leaves_out_who_did_not_consent_to_statistics_and_says_how_many(staff, staff_client):
    agreed, withdrew, never_asked, other_purpose = clients(staff, "Agreed", "Withdrew", "Never", "Newsletter")
    record("client", agreed.id, purpose="statistics", given=True, channel="form", user=staff)
    record("client", withdrew.id, purpose="statistics", given=True, channel="form", user=staff)
    record("client", withdrew.id, purpose="statistics", given=False, channel="web", user=staff)
    record("client", other_purpose.id, purpose="newsletters", given=True, channel="form", user=staff)
    db.session.commit()
    base = "/reports/build?entity=client&columns=last_name"
    everyone = staff_client.get(base).get_data(as_text=True)
    assert result_count(everyone) == 4 and excluded(everyone) is None
    assert "Leave out the people who did not consent to statistics" in everyone
    consenting = staff_client.get(base + "&consent=statistics").get_data(as_text=True)
    assert result_count(consenting) == 1 and excluded(consenting) == 3
    assert "3 people left out: no consent to statistics." in consenting
    assert "Agreed" in consenting and "Withdrew" not in consenting


def test_a_grouped_report_counts_only_who_consented(staff, staff_client):
    agreed, _other = clients(staff, "Agreed", "Other")
    record("client", agreed.id, purpose="statistics", given=True, channel="kiosk", user=staff)
    db.session.commit()
    page = staff_client.get("/reports/build?entity=client&group=country_of_origin&agg=count&consent=statistics")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and excluded(text) == 1
    assert re.search(r"Haiti</td>\s*<td[^>]*>1<", text)


def test_the_option_is_kept_in_the_saved_report_s_address(app):
    from werkzeug.datastructures import MultiDict

    from plugins.reports.engine.definition import ReportSpec

    spec = ReportSpec.from_args(MultiDict([("entity", "client"), ("columns", "last_name"), ("consent", "statistics")]))
    assert ("consent", "statistics") in spec.query_items()
    assert ReportSpec.from_args(MultiDict([("consent", "anything")])).consent == ""


def test_without_the_privacy_plugin_the_option_is_not_offered(make_app, staff):
    from kernel.testing import login

    app = make_app(plugins=["clients", "reports"])
    with app.app_context():
        client = login(app.test_client(), staff)
        page = client.get("/reports/build?entity=client&columns=last_name&consent=statistics").get_data(as_text=True)
        assert "did not consent" not in page and excluded(page) is None
        db.session.remove()
