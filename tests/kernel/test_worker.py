"""``passerelle worker``: drains the outbox, runs the plugins' jobs on every pass, stops on SIGTERM."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import select

from kernel import hookimpl
from kernel.cli import main
from kernel.db import db
from kernel.outbox import SENT, OutboxMessage, queue_email, queue_sms

ROOT = Path(__file__).resolve().parents[2]


class JobsPlugin:
    """A plugin giving the worker two jobs, one of which always fails."""

    def __init__(self):
        self.calls = []

    def count(self):
        self.calls.append("count")

    def broken(self):
        self.calls.append("broken")
        raise RuntimeError("a plugin's bug")

    @hookimpl
    def passerelle_worker_jobs(self):
        return [self.broken, self.count]


def statuses() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def test_worker_once_drains_the_outbox_through_the_command_line(app):
    queue_email("nora@example.org", "From the worker", "Body of the e-mail")
    queue_sms("+18675550100", "Body of the SMS")
    db.session.commit()

    result = app.test_cli_runner().invoke(main, ["worker", "--once"])

    assert result.exit_code == 0, result.output
    assert "Outbox: 2 sent, 0 to retry, 0 failed." in result.output
    assert statuses() == [SENT, SENT]
    assert "Body of the e-mail" in result.output  # no SMTP_HOST: printed


def test_every_pass_runs_the_plugins_jobs_and_a_failing_job_stops_nothing(make_app, caplog):
    plugin = JobsPlugin()
    app = make_app(extra_plugins={"jobs": plugin})
    with app.app_context():
        queue_email("nora@example.org", "Still sent", "Body")
        db.session.commit()
        runner = app.test_cli_runner()
        assert runner.invoke(main, ["worker", "--once"]).exit_code == 0
        assert runner.invoke(main, ["worker", "--once"]).exit_code == 0
        assert plugin.calls == ["broken", "count", "broken", "count"]
        assert "a plugin's bug" in caplog.text
        assert statuses() == [SENT]
        db.session.remove()


def _worker_process(settings, instance_dir) -> subprocess.Popen:
    environment = {
        **os.environ, "DATABASE_URL": settings["DATABASE_URL"], "SECRET_KEY": settings["SECRET_KEY"],
        "PASSERELLE_INSTANCE": str(instance_dir), "PASSERELLE_PLUGINS": "", "SMTP_HOST": "",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "-c", "from kernel.cli import main; main()", "worker", "--interval", "0.2"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def _wait_until(condition, timeout=30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_the_worker_loops_until_sigterm_and_stops_cleanly(app, settings, instance_dir):
    queue_email("nora@example.org", "Sent by the loop", "Body")
    db.session.commit()
    process = _worker_process(settings, instance_dir)
    try:
        assert _wait_until(lambda: statuses() == [SENT]), "the running worker did not send the message"
        queue_sms("+18675550100", "A second pass")
        db.session.commit()
        assert _wait_until(lambda: statuses() == [SENT, SENT]), "the worker did not keep looping"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert "Worker started" in output and "Worker stopped." in output
