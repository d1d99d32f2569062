"""The access log of ``passerelle serve`` does not write the secrets that some URLs carry: a
password-reset token, a public referral page's token, a calendar feed's token."""

import urllib.error
import urllib.request

from kernel.serve import mask_secrets
from tests.kernel.serving import running_serve

SECRETS = ["resetTOKEN1234567890", "referralTOKEN0987654", "calendarTOKEN5555555", "queryTOKEN777"]


def request(url: str, referer: str | None = None) -> None:
    headers = {"Referer": referer} if referer else {}
    try:
        urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=60).read()
    except urllib.error.HTTPError:
        pass  # a 404 or a redirect to the login page is logged all the same


def test_access_log_masks_tokens_in_urls(tmp_path):
    with running_serve(tmp_path / "instance", "--no-worker") as (base, _process, log):
        request(f"{base}/password/reset/{SECRETS[0]}")
        request(f"{base}/r/{SECRETS[1]}")
        request(f"{base}/activities/calendar/{SECRETS[2]}.ics")
        request(f"{base}/login?token={SECRETS[3]}", referer=f"{base}/password/reset/{SECRETS[0]}")
    text = log.read_text(errors="replace")
    assert "GET /password/reset/… HTTP/1.1" in text
    assert "GET /r/… HTTP/1.1" in text
    assert "GET /activities/calendar/….ics HTTP/1.1" in text
    assert "GET /login?token=… HTTP/1.1" in text
    assert not [secret for secret in SECRETS if secret in text]


def test_ordinary_urls_are_logged_as_they_are():
    assert mask_secrets("GET /clients/12?page=2&sort=name HTTP/1.1") == "GET /clients/12?page=2&sort=name HTTP/1.1"
    assert mask_secrets("/reports/r/12") == "/reports/r/…"  # a path like a referral's is masked too: safe side
