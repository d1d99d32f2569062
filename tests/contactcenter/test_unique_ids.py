"""Every id of the profile step and of the contact screen is unique: with a profile matching the
caller's number, the offered profiles and the search results were two regions with one id, and the
search's results went into the wrong one (issue 16 §3)."""

import re
from collections import Counter

from tests.contactcenter.helpers import make_contact, make_line, make_profile


def duplicate_ids(page: str) -> list[str]:
    return [value for value, times in Counter(re.findall(r'\sid="([^"]+)"', page)).items() if times > 1]


def test_the_profile_step_and_the_contact_screen_have_unique_ids(app, staff, staff_client):
    line = make_line()
    make_profile(staff, "Aputi Kilabuk", "867-979-5555")
    waiting = make_contact(staff, line=line, caller="867-979-5555")
    step = staff_client.get(f"/contactcenter/contacts/{waiting.id}").get_data(as_text=True)
    assert 'id="profile-candidates"' in step and 'id="profile-results"' in step
    assert duplicate_ids(step) == []
    assert 'hx-target="#profile-results"' in step
    profiled = make_contact(staff, line=line, profile=make_profile(staff, "Émile Noël", "867-979-1234"))
    for tab in ("details", "resources", "referrals", "programmes"):
        screen = staff_client.get(f"/contactcenter/contacts/{profiled.id}?tab={tab}").get_data(as_text=True)
        assert duplicate_ids(screen) == [], tab
