"""SAE benchmark (issue 6): 50,000 case files (fewer with fewer clients) with four action-plan steps
each, seeded, among the benchmark users; the counsellor (the benchmark's staff user, on the SAE
team) holds a third of them. Figures: the counsellor's active files (list filtered by status and
"My items") and a case file's page with its panels (p95 of the server time), and the "My
caseload" dashlet rendered in the process (the dashboard page holds every plugin's dashlets).

Run ``python -m bench --only sae`` (add ``--clients 2000`` for a quick run)."""

from __future__ import annotations

import random
import statistics
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from bench.data import insert_rows
from bench.harness import Bench, Figure
from kernel.db import db

SEED = 2026
CASE_FILES = 50_000
STEPS_PER_FILE = 4
TARGET_MS = 250
STATUSES = ["open", "active", "active", "on_hold", "closed"]
STEPS = ["Mettre le CV à jour", "Simulation d'entrevue", "Apply to three employers", "Cours de français"]


def case_file_rows(client_ids: list[int], user_ids: list[int]):
    rng = random.Random(SEED)
    today = date(2026, 11, 1)
    for index, client_id in enumerate(client_ids):
        intake = today - timedelta(days=rng.randrange(0, 900))
        status = rng.choice(STATUSES)
        stamp = datetime.combine(intake, datetime.min.time())
        yield {
            "file_number": f"SAE-{intake.year}-{index + 1:06d}", "client_id": client_id,
            "assigned_user_id": user_ids[index % len(user_ids)], "status": status, "intake_date": intake,
            "referral_source": rng.choice(["self", "partner", "government"]), "employment_goal": "Emploi",
            "closure_date": intake + timedelta(days=200) if status == "closed" else None,
            "outcome": rng.choice(["employed", "in_training", "moved"]) if status == "closed" else None,
            "created_at": stamp, "updated_at": stamp, "version": 1, "custom": {},
            "search_text": f"sae-{intake.year}-{index + 1:06d}",
        }


def step_rows(case_files: list[tuple[int, date]]):
    rng = random.Random(SEED + 1)
    for case_file_id, intake in case_files:
        for offset, description in enumerate(STEPS[:STEPS_PER_FILE]):
            yield {
                "case_file_id": case_file_id, "description": description,
                "target_date": intake + timedelta(days=30 * (offset + 1) + rng.randrange(0, 400)),
                "status": rng.choice(["planned", "in_progress", "done"]), "version": 1, "custom": {},
                "search_text": description.lower(),
            }


def ensure_data(bench: Bench) -> int:
    """The case files and steps (once), the staff user on the SAE team; returns one of their files."""
    from plugins.clients.models import Client
    from plugins.sae.models import ActionStep, CaseFile, SaeMember

    if db.session.get(SaeMember, bench.staff.id) is None:
        db.session.add(SaeMember(user_id=bench.staff.id, on_team=True))
        db.session.commit()
    if not db.session.scalar(select(func.count()).select_from(CaseFile)):
        client_ids = list(db.session.scalars(select(Client.id).order_by(Client.id).limit(CASE_FILES)))
        print(f"# generating {len(client_ids):,} case files and their action plans …", flush=True)
        owners = [bench.staff.id] + [user.id for user in bench.users if user.id != bench.staff.id][:2]
        insert_rows(CaseFile, case_file_rows(client_ids, owners))
        files = db.session.execute(select(CaseFile.id, CaseFile.intake_date)).all()
        insert_rows(ActionStep, step_rows([(row.id, row.intake_date) for row in files]))
        bench.analyze()
    return db.session.scalar(select(CaseFile.id).where(CaseFile.assigned_user_id == bench.staff.id,
                                                       CaseFile.status == "active").order_by(CaseFile.id).limit(1))


def sae(bench: Bench):
    """Issue 6: a counsellor's caseload on 50,000 case files, p95 of the server time."""
    from plugins.sae.models import CaseFile

    case_file_id = ensure_data(bench)
    files = db.session.scalar(select(func.count()).select_from(CaseFile))
    yield Figure(f"sae: my active case files among {files:,} (p95)",
                 bench.p95("/case-files/?status__in=active&mine=1"), "ms", TARGET_MS)
    yield Figure("sae: a case file's page with its panels (p95)", bench.p95(f"/case-files/{case_file_id}"), "ms",
                 TARGET_MS)
    yield Figure("sae: the My caseload dashlet, rendered (p95)", caseload_p95(bench), "ms", 50)


def caseload_p95(bench: Bench) -> float:
    """In the process: the dashboard page holds every plugin's dashlets, this one is measured alone."""
    from flask import render_template

    from plugins.sae.dashlets import render_caseload

    def render() -> None:
        template, context = render_caseload(bench.staff)
        render_template(template, **context)

    times = []
    with bench.app.test_request_context("/"):
        render()
        for _run in range(bench.repeat):
            elapsed, _result = bench.wall(render)
            times.append(elapsed * 1000)
    return statistics.quantiles(times, n=20)[-1]
