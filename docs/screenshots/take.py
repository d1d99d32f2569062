"""The README's screenshots: a caseworker's and a contact-centre agent's home, with the demo data.

    .venv/bin/python docs/screenshots/take.py

Serves a throw-away instance (SQLite, demo data) on a free port, adds an agent on the demo's first
line (workspace: the contact centre) with three calls waiting, and saves the demo caseworker's and
the agent's homes, in French, as PNG files next to this script. Needs the test extras (Playwright) and chromium, like the browser tests.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
PASSERELLE = Path(sys.executable).parent / "passerelle"
PASSWORD = "Screenshot-home-2026"
CASEWORKER = "patrick@passerelle.local"  # the demo's caseworker, with clients and tasks of his own
AGENT = "joanasie.akavak@example.org"
CALLERS = ["+1 867 979 5555", "+1 867 222 0142", "+1 867 473 8811"]  # waiting on the agent's line


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/login", timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server at {url} did not answer")


def announce_call(url: str, token: str, line: str, caller: str, call_id: str) -> None:
    """A call arriving on the line, as the phone system announces it (docs/contactcenter.md)."""
    body = json.dumps({"line": line, "caller": caller, "call_id": call_id}).encode()
    request = urllib.request.Request(f"{url}/api/v1/contactcenter/incoming", data=body, method="POST",
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=30)


def main() -> None:
    instance = Path(tempfile.mkdtemp(prefix="passerelle-screenshots-"))
    database = instance / "passerelle.db"
    env = {**os.environ, "PASSERELLE_INSTANCE": str(instance), "DATABASE_URL": f"sqlite:///{database}",
           "DEFAULT_LANGUAGE": "fr"}
    subprocess.run([PASSERELLE, "setup"], env=env, check=True, capture_output=True)
    passwords = dict(line.split() for line in (instance / "demo-user-passwords.txt").read_text().splitlines()
                     if line.strip())
    subprocess.run([PASSERELLE, "users", "create", "--email", AGENT, "--name", "Joanasie Akavak", "--role", "staff",
                    "--password", PASSWORD], env=env, check=True, capture_output=True)
    token = subprocess.run([PASSERELLE, "tokens", "create", "--email", AGENT], env=env, check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE users SET workspace = 'contact_centre', language = 'fr' WHERE email = ?", (AGENT,))
        line = connection.execute("SELECT id, code FROM contactcenter_lines ORDER BY id LIMIT 1").fetchone()
        connection.execute("INSERT INTO contactcenter_agent_lines (user_id, line_id) "
                           "SELECT id, ? FROM users WHERE email = ?", (line[0], AGENT))
    port = free_port()
    server = subprocess.Popen([PASSERELLE, "serve", "--port", str(port), "--workers", "1", "--no-setup",
                               "--no-worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url)
        for number, caller in enumerate(CALLERS):
            announce_call(url, token, line[1], caller, f"screenshot-{number}")
        people = [(CASEWORKER, passwords[CASEWORKER], "home-caseworker.png"), (AGENT, PASSWORD, "home-agent.png")]
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
            for email, password, picture in people:
                context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="fr-CA")
                page = context.new_page()
                page.goto(f"{url}/login")
                page.locator("input[type=email], input[name=email]").first.fill(email)
                page.locator("input[type=password]").first.fill(password)
                page.locator("input[type=password]").first.press("Enter")
                page.wait_for_url(f"{url}/")
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(HERE / picture))
                context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    print("saved: home-caseworker.png, home-agent.png")


if __name__ == "__main__":
    main()
