"""Retention's screens for administrators: the dry run (what the next run will do), running the
rules now, and the log of runs."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from kernel.toolkit import db, entities, personal_data, require, users_by_id
from kernel.toolkit import gettext as _
from plugins.privacy.retention.models import RULES, RetentionRun
from plugins.privacy.retention.run import MANUAL, dry_run, run_rules

log = logging.getLogger(__name__)
bp = Blueprint("privacy_retention", __name__, url_prefix="/privacy/retention")
RUNS_PER_PAGE = 50
VIEW, RUN = f"{RULES}.view", f"{RULES}.edit"


def entity_label(name: str) -> str:
    entity = entities().get(name)
    return str(entity.label_plural) if entity is not None else name


@bp.route("/")
@require(VIEW)
def dry_run_page():
    known = personal_data.declarations()
    offered = [(entity, personal_data.events_of(entity, known), personal_data.declaration_of(entity, known))
               for entity in entities()]
    offered = [(entity, events, declared) for entity, events, declared in offered if entity.person or declared.fields]
    return render_template("privacy/retention/dry_run.html", previews=dry_run(), offered=offered,
                           may_run=current_user.can(RUN), entity_label=entity_label,
                           statistics_kept=personal_data.statistics_kept)


@bp.route("/run", methods=["POST"])
@require(RUN)
def run_now():
    try:
        run = run_rules(MANUAL, user=current_user)
    except Exception:  # noqa: BLE001 - recorded in the run's log; the administrator is told, not shown a 500
        log.exception("retention run failed")
        flash(_("The run stopped on an error; what it had done is kept and shown in the log of runs."), "error")
        return redirect(url_for("privacy_retention.runs_page"), code=303)
    return redirect(url_for("privacy_retention.run_page", run_id=run.id), code=303)


@bp.route("/runs/")
@require(VIEW)
def runs_page():
    page = request.args.get("page", "1")
    number = int(page) if page.isascii() and page.isdigit() and 0 < int(page) < 100000 else 1
    total = db.session.scalar(select(func.count(RetentionRun.id)))
    runs = list(db.session.scalars(select(RetentionRun).order_by(RetentionRun.id.desc())
                                   .limit(RUNS_PER_PAGE).offset((number - 1) * RUNS_PER_PAGE)))
    people = users_by_id({run.user_id for run in runs if run.user_id})
    return render_template("privacy/retention/runs.html", runs=runs, people=people, number=number,
                           has_next=number * RUNS_PER_PAGE < total, entity_label=entity_label)


@bp.route("/runs/<int:run_id>")
@require(VIEW)
def run_page(run_id):
    run = db.session.get(RetentionRun, run_id)
    if run is None:
        abort(404)
    people = users_by_id({run.user_id} if run.user_id else set())
    return render_template("privacy/retention/run.html", run=run, people=people, entity_label=entity_label)
