"""The nginx configuration of ``deploy/nginx/passerelle.conf``, made runnable on a test machine.

Only what differs from one machine to another is replaced — the certificate's paths (a
self-signed certificate made for the test), and for a running nginx the listening ports and the
application servers' addresses; each replacement must match the file, so that the file cannot
drift away from what is tested. The rest (proxy headers, timeouts, limits) is used as written."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from tests.deploy.processes import ROOT, Service

SITE = ROOT / "deploy" / "nginx" / "passerelle.conf"
CERTIFICATE = "/etc/letsencrypt/live/crm.example.org/fullchain.pem"
PRIVATE_KEY = "/etc/letsencrypt/live/crm.example.org/privkey.pem"
UPSTREAM_SERVERS = re.compile(r"(upstream passerelle \{\n(?:.*\n)*?)((?:\s*server [^\n]+;\n)+)")
HTTP_LISTEN = "listen 80;"
HTTPS_LISTEN = "listen 443 ssl http2;"


def available() -> bool:
    return shutil.which("nginx") is not None and shutil.which("openssl") is not None


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"{SITE.name} no longer holds {old!r} once"
    return text.replace(old, new)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    certificate, key = folder / "certificate.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
    return certificate, key


def site_config(folder: Path, upstreams: list[str] | None = None, http_port: int | None = None,
                https_port: int | None = None) -> Path:
    """The deployed site file with this machine's certificate (and, given, ports and servers)."""
    certificate, key = self_signed_certificate(folder)
    text = SITE.read_text()
    text = replace_once(text, CERTIFICATE, str(certificate))
    text = replace_once(text, PRIVATE_KEY, str(key))
    if upstreams:
        match = UPSTREAM_SERVERS.search(text)
        assert match, f"{SITE.name} has no upstream passerelle with server lines"
        servers = "".join(f"    server {address};\n" for address in upstreams)
        text = text[:match.start(2)] + "\n" + servers + text[match.end(2):]
    if http_port:
        text = replace_once(text, HTTP_LISTEN, f"listen 127.0.0.1:{http_port};")
    if https_port:
        text = replace_once(text, HTTPS_LISTEN, f"listen 127.0.0.1:{https_port} ssl http2;")
    path = folder / "passerelle.conf"
    path.write_text(text)
    return path


def main_config(folder: Path, site: Path) -> Path:
    """nginx.conf of a private nginx that includes the site file (its pid, logs and temporary
    files in ``folder``)."""
    temporary = {name: folder / name for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temporary.values():
        path.mkdir(exist_ok=True)
    path = folder / "nginx.conf"
    path.write_text(f"""daemon off;
worker_processes 1;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'};
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {temporary['client_body']};
    proxy_temp_path {temporary['proxy']};
    fastcgi_temp_path {temporary['fastcgi']};
    uwsgi_temp_path {temporary['uwsgi']};
    scgi_temp_path {temporary['scgi']};
    access_log {folder / 'access.log'};
    include {site};
}}
""")
    return path


def check(config: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` of a main configuration."""
    return subprocess.run(["nginx", "-t", "-p", str(config.parent), "-e", "stderr", "-c", str(config)],
                          capture_output=True, text=True)


def start(config: Path, env: dict) -> Service:
    return Service("nginx", ["nginx", "-p", str(config.parent), "-e", "stderr", "-c", str(config)], env,
                   config.parent)
