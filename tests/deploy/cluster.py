"""Two application servers and two workers against one PostgreSQL, Redis and (when installed)
nginx in front: each server and worker has an instance folder of its own, as on separate
machines, and they share only what the deployment page says they share (the database, the
secret key, Redis, object storage)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sys
import threading
from contextlib import ExitStack
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import psycopg
from aiosmtpd.controller import Controller
from sqlalchemy.engine import make_url

from tests.deploy import nginx
from tests.deploy.processes import (
    Service,
    free_port,
    passerelle_command,
    port_is_open,
    run_once,
    wait_until_answering,
)

REDIS = ("127.0.0.1", 6379)
LOGIN_LIMIT = 6  # failed password checks per account and per address, in a window of a year
PASSWORD = "a long shared secret 42"
STAFF_EMAIL = "sam@example.org"
TARGET_EMAIL = "target@example.org"  # the account whose failed logins are counted
COUNTED = [("account", STAFF_EMAIL), ("account", TARGET_EMAIL), ("address", "127.0.0.1"),
           *[("address", f"198.51.100.{number}") for number in range(1, 10)]]  # the tests' addresses
CLEARED_ENVIRONMENT = ("DATABASE_URL", "PASSERELLE_CONFIG", "PASSERELLE_INSTANCE", "SMTP_HOST", "SECRET_KEY")


class MailSink:
    """An SMTP server that keeps every message it receives (aiosmtpd handler)."""

    def __init__(self):
        self.messages: list[Message] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, _server, _session, envelope):  # noqa: N802 - aiosmtpd's name
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def received(self) -> list[Message]:
        with self.lock:
            return list(self.messages)


@dataclass
class Cluster:
    folder: Path
    database_url: str
    env: dict
    storage: dict = field(default_factory=dict)  # the object storage settings, when there is one
    servers: dict[str, str] = field(default_factory=dict)  # name: base URL
    front: str | None = None  # nginx's address, when nginx is installed
    services: list[Service] = field(default_factory=list)
    mail: MailSink = field(default_factory=MailSink)

    def service(self, name: str) -> Service:
        return next(service for service in self.services if service.name == name)

    def logs(self) -> str:
        return "\n\n".join(f"===== {service.name} ({service.log_path})\n{service.log_tail()}"
                           for service in self.services)

    def sql(self, query: str, *parameters):
        with psycopg.connect(self.database_url.replace("postgresql+psycopg://", "postgresql://")) as connection:
            return connection.execute(query, parameters).fetchall()

    def run(self, *arguments: str, instance: str = "cli") -> str:
        return run_once(passerelle_command(*arguments), self.machine_env(instance))

    def python(self, code: str, instance: str = "cli") -> str:
        """Run Python code with the application's settings, as a machine of the cluster would."""
        return run_once([sys.executable, "-c", code], self.machine_env(instance))

    def machine_env(self, name: str, **extra) -> dict:
        instance = self.folder / f"instance-{name}"
        instance.mkdir(exist_ok=True)
        return {**self.env, "PASSERELLE_INSTANCE": str(instance), **extra}


# -- the shared pieces ------------------------------------------------------------------------

def cluster_database(session_url: str) -> str:
    """A database of its own next to the session's (``<name>_multiserver``), created empty."""
    url = make_url(session_url)
    name = f"{url.database}_multiserver"
    with psycopg.connect(admin_url(session_url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    name = make_url(url).database
    with psycopg.connect(admin_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def admin_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)


def redis_running() -> bool:
    return port_is_open(*REDIS)


def redis_keys(env: dict, kind: str, value: str) -> list[bytes]:
    """The Redis keys of one throttling counter (kernel.security.throttle's names)."""
    import redis
    from limits import parse

    period = int(parse(env["LOGIN_RATE_LIMIT"]).get_expiry())
    key = hmac.new(env["SECRET_KEY"].encode(), f"throttle:{kind}:{period}:{value}".encode(),
                   hashlib.sha256).hexdigest()
    return list(redis.Redis(*REDIS).scan_iter(f"passerelle:throttle:{key}:*"))


def redis_count(env: dict, kind: str, value: str) -> int:
    import redis

    client = redis.Redis(*REDIS)
    return sum(int(client.get(name) or 0) for name in redis_keys(env, kind, value))


def forget_throttle_counters(env: dict) -> None:
    """The counters kept in Redis for a year's window would outlive the test by two."""
    import redis

    keys = [name for kind, value in COUNTED for name in redis_keys(env, kind, value)]
    if keys:
        redis.Redis(*REDIS).delete(*keys)


def shared_settings(database_url: str, smtp_port: int, storage: dict) -> dict:
    env = {name: value for name, value in os.environ.items() if name not in CLEARED_ENVIRONMENT}
    env.update({
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(32),  # the same on every machine
        "RATELIMIT_STORAGE_URI": f"redis://{REDIS[0]}:{REDIS[1]}/0",
        "LOGIN_RATE_LIMIT": f"{LOGIN_LIMIT} per year",
        "TRUSTED_PROXIES": "1",  # nginx, or the test itself when it talks to a server directly
        "SESSION_COOKIE_SECURE": "true",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "DEMO_DATA": "0",
        "PYTHONUNBUFFERED": "1",
        **storage,
    })
    return env


# -- starting it ------------------------------------------------------------------------------

def start_cluster(stack: ExitStack, folder: Path, session_url: str, storage: dict) -> Cluster:
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    stack.callback(controller.stop)
    database_url = cluster_database(session_url)
    stack.callback(drop_database, database_url)
    cluster = Cluster(folder, database_url, shared_settings(database_url, controller.port, storage), storage,
                      mail=sink)
    stack.callback(forget_throttle_counters, cluster.env)
    start_servers(stack, cluster)
    cluster.run("users", "create", "--email", STAFF_EMAIL, "--role", "staff", "--name", "Sam Staff",
                "--language", "en", "--password", PASSWORD)
    for name in ("worker-a", "worker-b"):
        start_service(stack, cluster, name, passerelle_command("worker", "--interval", "0.5"))
    if nginx.available():
        start_nginx(stack, cluster)
    return cluster


def start_service(stack: ExitStack, cluster: Cluster, name: str, command: list[str]) -> Service:
    service = Service(name, command, cluster.machine_env(name), cluster.folder)
    cluster.services.append(service)
    stack.callback(service.stop)
    return service


def start_servers(stack: ExitStack, cluster: Cluster) -> None:
    """Both at once, each applying the migrations at start as a restarted machine would (they
    take turns: kernel.setup.one_setup_at_a_time)."""
    started = {}
    for name in ("server-a", "server-b"):
        port = free_port()
        command = passerelle_command("serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                                     "--threads", "4", "--no-worker")
        started[name] = (start_service(stack, cluster, name, command), f"http://127.0.0.1:{port}")
    for name, (service, base) in started.items():
        wait_until_answering(base + "/login", service)
        cluster.servers[name] = base


def start_nginx(stack: ExitStack, cluster: Cluster) -> None:
    folder = cluster.folder / "nginx"
    folder.mkdir()
    https_port = free_port()
    upstreams = [base.removeprefix("http://") for base in cluster.servers.values()]
    site = nginx.site_config(folder, upstreams, http_port=free_port(), https_port=https_port)
    service = nginx.start(nginx.main_config(folder, site), cluster.env)
    cluster.services.append(service)
    stack.callback(service.stop)
    cluster.front = f"https://127.0.0.1:{https_port}"
    wait_until_answering_tls(cluster.front + "/login", service)


def wait_until_answering_tls(url: str, service: Service) -> None:
    from tests.deploy.processes import wait_for
    from tests.deploy.web import Browser

    def answers():
        if not service.running():
            raise AssertionError(f"nginx exited:\n{service.log_tail()}")
        try:
            return Browser(url.rsplit("/", 1)[0]).get("/login").status == 200
        except OSError:
            return False

    wait_for(answers, f"nginx at {url}")
