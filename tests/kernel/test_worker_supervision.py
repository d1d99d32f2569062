"""The background worker that ``passerelle serve`` starts is started again when it dies (a kill -9,
an out-of-memory kill): queued e-mails do not wait for the whole server to restart."""

import os
import signal
import time
from pathlib import Path

from sqlalchemy import select

from kernel import outbox
from kernel.app import create_app
from kernel.db import db
from tests.kernel.serving import running_serve

WAIT = 120  # seconds, generous: the machine may be loaded


def worker_children(parent_pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if int(stat[1]) == parent_pid and stat[0] != "Z" and b"worker" in command:
            found.append(int(entry.name))
    return found


def wait_for(condition, what: str):
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.5)
    raise AssertionError(f"waited {WAIT} s for {what}")


def instance_app(instance: Path):
    return create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": f"sqlite:///{instance / 'passerelle.db'}",
                       "PASSERELLE_PLUGINS": "", "TESTING": True})


def queue_email(instance: Path) -> int:
    with instance_app(instance).app_context():
        message = outbox.queue_email("someone@example.org", "Rendez-vous", "À demain.")
        db.session.commit()
        message_id = message.id
        db.session.remove()
        db.engine.dispose()
    return message_id


def status_of(instance: Path, message_id: int) -> str:
    with instance_app(instance).app_context():
        status = db.session.scalar(select(outbox.OutboxMessage.status).where(outbox.OutboxMessage.id == message_id))
        db.session.remove()
        db.engine.dispose()
    return status


def test_a_killed_worker_is_started_again_and_sends_the_queued_email(tmp_path):
    instance = tmp_path / "instance"
    with running_serve(instance) as (_base, process, _log):
        first = wait_for(lambda: worker_children(process.pid), "the background worker")[0]
        os.kill(first, signal.SIGKILL)
        second = wait_for(lambda: [pid for pid in worker_children(process.pid) if pid != first], "a new worker")
        message_id = queue_email(instance)
        assert wait_for(lambda: status_of(instance, message_id) == outbox.SENT, "the e-mail to be sent")
    assert second


def test_the_worker_stops_with_serve(tmp_path):
    with running_serve(tmp_path / "instance") as (_base, process, _log):
        worker = wait_for(lambda: worker_children(process.pid), "the background worker")[0]
    wait_for(lambda: not Path(f"/proc/{worker}").exists() or _zombie(worker), "the worker to stop")


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
