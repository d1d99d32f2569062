"""Real processes for the deployment tests: each started with its output in a log file, on a free
port, and always stopped (SIGTERM to its process group, then SIGKILL)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 180  # seconds: a loaded machine shared with other test runs
LOG_TAIL_LINES = 80


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def passerelle_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "kernel.cli", *arguments]


class Service:
    """One started process: its name, its log, and how to stop it."""

    def __init__(self, name: str, command: list[str], env: dict, folder: Path):
        self.name = name
        self.log_path = folder / f"{name}.log"
        with self.log_path.open("wb") as output:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                            start_new_session=True)

    def running(self) -> bool:
        return self.process.poll() is None

    def log_text(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_tail(self) -> str:
        return "\n".join(self.log_text().splitlines()[-LOG_TAIL_LINES:])

    def stop(self) -> None:
        if not self.running():
            return
        self._signal_group(signal.SIGTERM)
        try:
            self.process.wait(timeout=45)
        except subprocess.TimeoutExpired:
            self._signal_group(signal.SIGKILL)
            self.process.wait()

    def _signal_group(self, number: int) -> None:
        try:
            os.killpg(self.process.pid, number)
        except ProcessLookupError:
            pass


def run_once(command: list[str], env: dict) -> str:
    """Run a command to its end; its output, or an AssertionError that shows it."""
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=START_TIMEOUT)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def wait_until_answering(url: str, service: Service) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not service.running():
            raise AssertionError(f"{service.name} exited:\n{service.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=10):
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{service.name} did not answer at {url}:\n{service.log_tail()}")


def wait_for(condition, what: str, timeout: float = START_TIMEOUT, step: float = 0.5):
    """Poll ``condition()`` until it returns something true; that value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"still waiting for {what}")
