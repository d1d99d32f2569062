"""The access log of ``passerelle serve`` does not write the secrets that some URLs carry: a
password-reset token, a public referral page's token, a calendar feed's token."""

import urllib.error
import urllib.request

import pytest

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


class Answer:
    status = "404 NOT FOUND"
    sent = 1234
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Location", f"/password/reset/{SECRETS[0]}")]


class Asked:
    headers = [("HOST", "crm.example.org"), ("USER-AGENT", 'Mozilla "5.0"'), ("X-FORWARDED-FOR", "10.0.0.7")]


ENVIRON = {"REQUEST_METHOD": "GET", "RAW_URI": f"/r/{SECRETS[1]}?page=2", "PATH_INFO": f"/r/{SECRETS[1]}",
           "QUERY_STRING": "page=2", "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1",
           "HTTP_REFERER": f"https://crm.example.org/login?token={SECRETS[3]}",
           "HTTP_USER_AGENT": 'Mozilla "5.0"',
           "HTTP_AUTHORIZATION": "Basic cGF0cmljazpzZWNyZXQ="}

FORMATS = [
    None,  # gunicorn's default
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(m)s %(U)s %(q)s %(H)s %(B)s %(p)s',
    '%({x-forwarded-for}i)s %({X-Forwarded-For}i)s %({location}o)s %({raw_uri}e)s',
    '%({absent}i)s %(nothing)s %(T)s %(D)s %(M)s %(L)s',
]


@pytest.mark.parametrize("line_format", FORMATS)
def test_the_access_log_line_is_gunicorn_s_own_masked(line_format, monkeypatch):
    """Issue 18: the line's values are made only when its format asks for them, and the line is
    the one gunicorn's own values, masked, give (quotes escaped, ``-`` for what is not there)."""
    from datetime import timedelta

    from gunicorn.config import Config
    from gunicorn.glogging import SafeAtoms

    from kernel.serve import AccessLogValues, MaskingLogger

    config = Config()
    if line_format:
        config.set("access_log_format", line_format)
    logger = MaskingLogger(config)
    monkeypatch.setattr(logger, "now", lambda: "[06/Dec/2026:23:04:05 +0000]")
    took = timedelta(seconds=1, microseconds=250_000)
    expected = config.access_log_format % SafeAtoms(logger.atoms(Answer(), Asked(), ENVIRON, took))
    written = config.access_log_format % AccessLogValues(logger, Answer(), Asked(), ENVIRON, took)
    assert written == expected
    assert not [secret for secret in SECRETS if secret in written]
