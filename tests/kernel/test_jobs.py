"""kernel.jobs: a periodic job runs in one worker at a time and once per period; a crashed
worker's claim is taken again once its lease has passed; claimed rows never overlap."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from kernel import jobs
from kernel.db import db, utcnow

LEASE = timedelta(minutes=5)


def test_only_one_claim_until_the_lease_passes(app):
    now = utcnow()
    assert jobs.try_claim("nightly", lease=LEASE, now=now, holder="a")
    assert not jobs.try_claim("nightly", lease=LEASE, now=now + timedelta(minutes=1), holder="b")
    # a crashed holder never releases: after the lease another worker takes the job again
    assert jobs.try_claim("nightly", lease=LEASE, now=now + LEASE + timedelta(seconds=1), holder="b")
    assert db.session.get(jobs.JobRun, "nightly").claimed_by == "b"


def test_once_per_period_across_workers(app):
    day = timedelta(days=1)
    now = utcnow()
    with jobs.exclusive("daily", every=day, now=now) as mine:
        assert mine
    with jobs.exclusive("daily", every=day, now=now + timedelta(hours=3)) as mine:
        assert not mine  # finished three hours ago
    with jobs.exclusive("daily", every=day, now=now + day) as mine:
        assert mine


def test_a_failed_run_is_released_and_does_not_count(app):
    with pytest.raises(RuntimeError), jobs.exclusive("fragile", every=timedelta(days=1)):
        raise RuntimeError("boom")
    row = db.session.get(jobs.JobRun, "fragile")
    assert row.claimed_until is None and row.last_finished_at is None
    with jobs.exclusive("fragile", every=timedelta(days=1)) as mine:
        assert mine


def test_run_exclusive_skips_the_job_while_another_worker_holds_it(app):
    calls = []
    job = jobs.run_exclusive("counted", lambda: calls.append(1))
    assert jobs.try_claim("counted", holder="elsewhere")
    job()
    assert calls == []
    jobs.release("counted")
    job()
    assert calls == [1]


class Scratch(DeclarativeBase):
    pass


class Task(Scratch):
    """A table with the columns claim_rows needs (made for the test only)."""

    __tablename__ = "test_jobs_tasks"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(20), default="due")
    claimed_by: Mapped[str | None] = mapped_column(String(200))
    claimed_until = mapped_column(DateTime, nullable=True)


@pytest.fixture
def tasks(app):
    Scratch.metadata.create_all(db.engine)
    yield
    db.session.remove()
    Scratch.metadata.drop_all(db.engine)


def test_claimed_rows_are_taken_again_after_the_lease(tasks):
    db.session.add_all([Task(), Task()])
    db.session.commit()
    now = utcnow()
    first = jobs.claim_rows(Task, Task.state == "due", limit=5, lease=LEASE, now=now, holder="a")
    assert len(first) == 2
    assert jobs.claim_rows(Task, Task.state == "due", limit=5, lease=LEASE, now=now, holder="b") == []
    again = jobs.claim_rows(Task, Task.state == "due", limit=5, lease=LEASE, now=now + LEASE * 2, holder="b")
    assert sorted(again) == sorted(first)


def run_in_threads(app, work, count=2):
    """``work(index)`` in ``count`` threads, each with its own app context and so its own session
    and connection (as two workers would)."""
    errors = []
    start = threading.Barrier(count)

    def body(index):
        with app.app_context():
            try:
                start.wait()
                work(index)
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=body, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_two_workers_claiming_rows_never_take_the_same_one(tasks, app):
    db.session.add_all([Task() for _ in range(40)])
    db.session.commit()
    taken = {0: [], 1: []}

    def work(index):
        while ids := jobs.claim_rows(Task, Task.state == "due", limit=3, holder=f"w{index}"):
            for task in db.session.scalars(select(Task).where(Task.id.in_(ids))):
                task.state = "done"
            db.session.commit()
            taken[index].extend(ids)

    run_in_threads(app, work)
    done = taken[0] + taken[1]
    assert sorted(done) == sorted(set(done)) and len(done) == 40


def test_two_workers_racing_run_an_exclusive_job_once_per_period(app):
    runs = []

    def work(_index):
        for _ in range(10):
            jobs.run_exclusive("racing.daily", lambda: runs.append(1), every=timedelta(days=1))()

    run_in_threads(app, work)
    assert runs == [1]
