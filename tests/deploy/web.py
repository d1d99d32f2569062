"""A small HTTP client that behaves like one browser: it keeps its cookies whichever server it
talks to, so that one session can be carried from a server to another (urllib's cookie jar would
keep cookies per host and drop the Secure ones over plain HTTP)."""

from __future__ import annotations

import http.client
import re
import secrets
import ssl
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TIMEOUT = 60


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


@dataclass
class Browser:
    base: str
    address: str | None = None  # sent as X-Forwarded-For: the servers believe one proxy
    cookies: dict = field(default_factory=dict)

    def on(self, base: str) -> Browser:
        """The same browser (same cookies, shared) pointed at another server."""
        return Browser(base, self.address, self.cookies)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Response:
        parts = urlsplit(self.base)
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(parts.netloc, timeout=TIMEOUT,
                                                     context=ssl._create_unverified_context())  # noqa: S323 - the test's own certificate
        else:
            connection = http.client.HTTPConnection(parts.netloc, timeout=TIMEOUT)
        sent = {"Connection": "close", "Referer": self.base + path, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if self.address:
            sent["X-Forwarded-For"] = self.address
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.headers, answer.read())
        finally:
            connection.close()
        self._keep_cookies(response)
        return response

    def _keep_cookies(self, response: Response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: dict, files: dict | None = None) -> Response:
        if files:
            body, content_type = multipart(fields, files)
        else:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request("POST", path, body, {"Content-Type": content_type})

    def submit(self, form_path: str, fields: dict, files: dict | None = None, action: str | None = None) -> Response:
        """Open the page of a form, then post it with the page's CSRF token."""
        page = self.get(form_path)
        assert page.status == 200, (form_path, page.status, page.text[:500])
        return self.post(action or form_path, {"csrf_token": csrf_token(page.text), **fields}, files)

    def login(self, email: str, password: str) -> Response:
        return self.submit("/login", {"email": email, "password": password, "language": "en"})


def csrf_token(page: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page) or re.search(
        r'name="csrf-token" content="([^"]+)"', page)
    assert match, "no CSRF token in the page"
    return match.group(1)


def multipart(fields: dict, files: dict) -> tuple[bytes, str]:
    """``files``: {field: (file name, bytes, content type)}."""
    boundary = "----passerelle" + secrets.token_hex(12)
    chunks = []
    for name, value in fields.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, data, content_type) in files.items():
        chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                      f"Content-Type: {content_type}\r\n\r\n".encode() + data + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
