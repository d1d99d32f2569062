"""Start ``passerelle serve`` as a real process on a free loopback port, in a temporary instance
folder with its own SQLite database (the serve tests use no fixture database)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180  # seconds: migrations on a loaded machine


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_env(instance: Path, **extra) -> dict:
    env = {**os.environ, "PASSERELLE_INSTANCE": str(instance), "DEMO_DATA": "0", "PYTHONUNBUFFERED": "1"}
    for name in ("DATABASE_URL", "PASSERELLE_CONFIG", "SMTP_HOST"):
        env.pop(name, None)
    env.update(extra)
    return env


def get(url: str, timeout: float = 60):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def wait_until_answering(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError("serve exited:\n" + log.read_text(errors="replace"))
        try:
            get(url, timeout=10)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError("serve did not answer:\n" + log.read_text(errors="replace"))


@contextmanager
def running_serve(instance: Path, *args: str, **env):
    """``(base_url, process, log_path)`` of a serve that answers; stopped (SIGTERM) afterwards."""
    port = free_port()
    log = instance.parent / f"serve-{port}.log"
    instance.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "kernel.cli", "serve", "--port", str(port), "--workers", "1", *args],
            cwd=ROOT, env=serve_env(instance, **env), stdout=output, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(base + "/login", process, log)
        yield base, process, log
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
