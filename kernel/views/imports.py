"""CSV import screens: upload, mapping, preview, run with progress, rejected rows.

``/<plural>/import`` takes the file; the job then lives at ``/imports/<id>``: ``mapping``,
``preview``, ``run`` (POST), the page with its progress fragment (polled by htmx every second)
and ``rejected.csv``. Only the importing user, or an administrator, may see a job.
"""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from kernel import importer
from kernel.db import db
from kernel.display import display_value
from kernel.i18n import gettext as _
from kernel.importer import Import, ImportFileError
from kernel.registry import entities
from kernel.views.records import entity_for

bp = Blueprint("imports", __name__)


# -- helpers -----------------------------------------------------------------------------------
def job_for(job_id: int) -> Import:
    """The job, if the current user may see it (its author or an administrator)."""
    job = db.session.get(Import, job_id)
    if job is None or entities().get(job.entity) is None:
        abort(404)
    if not job.visible_to(current_user):
        abort(403)
    return job


def job_entity(job: Import, action: str = "view"):
    entity = entities().get(job.entity)
    if not entity.can(current_user, action):
        abort(403)
    return entity


def editable_job(job_id: int):
    """The job and its entity, for the steps before the run (they need the create permission)."""
    job = job_for(job_id)
    entity = job_entity(job, "create")
    return job, entity


def max_megabytes() -> int:
    return importer.max_bytes() // 2**20


def too_large_message() -> str:
    return _("The file is too large: at most %(size)d MB.", size=max_megabytes())


def uploaded_bytes() -> tuple[str, bytes]:
    """The uploaded file's name and bytes; raise ``ImportFileError`` when missing or too large."""
    try:
        upload = request.files.get("file")
    except RequestEntityTooLarge as error:
        raise ImportFileError(too_large_message()) from error
    if upload is None or not upload.filename:
        raise ImportFileError(_("Choose a CSV file to import."))
    data = upload.read(importer.max_bytes() + 1)
    if len(data) > importer.max_bytes():
        raise ImportFileError(too_large_message())
    return upload.filename, data


def mapping_from_form(headers: list[str], form) -> list[str | None]:
    return [form.get(f"column-{index}") or None for index in range(len(headers))]


def mode_from_form(form) -> str:
    mode = form.get("duplicates", importer.SKIP)
    return mode if mode in importer.DUPLICATE_MODES else importer.SKIP


def open_or_fail(job: Import):
    try:
        return importer.open_job_file(job)
    except (OSError, ImportFileError):
        abort(410)


# -- upload ------------------------------------------------------------------------------------
@bp.route("/<entity:plural>/import", methods=["GET", "POST"])
@login_required
def upload(plural):
    entity = entity_for(plural, "create")
    if request.method == "GET":
        return render_template("imports/upload.html", entity=entity, max_mb=max_megabytes())
    try:
        filename, data = uploaded_bytes()
        csv_file = importer.open_file(entity, data)
    except ImportFileError as error:
        return render_template("imports/upload.html", entity=entity, error=str(error.message),
                               max_mb=max_megabytes()), 422
    job = importer.new_job(entity, current_user, filename, data, csv_file)
    db.session.commit()
    return redirect(url_for("imports.mapping", job_id=job.id))


# -- mapping -----------------------------------------------------------------------------------
@bp.route("/imports/<int:job_id>/mapping", methods=["GET", "POST"])
@login_required
def mapping(job_id):
    job, entity = editable_job(job_id)
    if job.status != importer.QUEUED:
        return redirect(url_for("imports.show", job_id=job.id))
    csv_file = open_or_fail(job)
    chosen, mode, problems = job.mapping, job.duplicates, []
    if request.method == "POST":
        chosen, mode = mapping_from_form(csv_file.headers, request.form), mode_from_form(request.form)
        problems = importer.mapping_problems(entity, chosen)
        if not problems:
            job.mapping, job.duplicates = chosen, mode
            db.session.commit()
            return redirect(url_for("imports.preview", job_id=job.id))
    columns = zip(csv_file.headers, csv_file.samples(), chosen, strict=False)
    return render_template(
        "imports/mapping.html", entity=entity, job=job, columns=list(columns), problems=problems,
        mode=mode, fields=importer.importable_fields(entity), modes=importer.DUPLICATE_MODE_LABELS,
        rule_labels=importer.rule_labels(entity),
    ), (422 if problems else 200)


# -- preview -----------------------------------------------------------------------------------
@bp.route("/imports/<int:job_id>/preview")
@login_required
def preview(job_id):
    job, entity = editable_job(job_id)
    if job.status != importer.QUEUED:
        return redirect(url_for("imports.show", job_id=job.id))
    if importer.mapping_problems(entity, job.mapping):
        return redirect(url_for("imports.mapping", job_id=job.id))
    csv_file = open_or_fail(job)
    plans = importer.preview(entity, csv_file, job.mapping, job.duplicates)
    mapped = [(index, entity.fields[name]) for index, name in enumerate(job.mapping) if name]
    return render_template(
        "imports/preview.html", entity=entity, job=job, plans=plans, mapped=mapped, csv_file=csv_file,
        display=display_value, action_text=importer.action_text, reason_text=importer.reason_text,
        mode_label=importer.DUPLICATE_MODE_LABELS[job.duplicates],
    )


@bp.route("/imports/<int:job_id>/run", methods=["POST"])
@login_required
def run(job_id):
    job, entity = editable_job(job_id)
    if job.status == importer.QUEUED and not importer.mapping_problems(entity, job.mapping):
        db.session.rollback()  # the job is claimed and run outside this request's transaction
        importer.start(job_id)
    return redirect(url_for("imports.show", job_id=job_id))


# -- progress and results ----------------------------------------------------------------------
@bp.route("/imports/<int:job_id>/restart", methods=["POST"])
@login_required
def restart(job_id):
    """Run a failed import again (its process died, or the database failed), from its stored file."""
    job, entity = editable_job(job_id)
    if importer.can_restart(job) and not importer.mapping_problems(entity, job.mapping):
        db.session.rollback()  # the job is claimed and run outside this request's transaction
        if importer.restart(job_id):
            importer.start(job_id)
    return redirect(url_for("imports.show", job_id=job_id))


@bp.route("/imports/<int:job_id>")
@login_required
def show(job_id):
    job = living_job(job_id)
    return render_template("imports/show.html", **progress_context(job))


@bp.route("/imports/<int:job_id>/progress")
@login_required
def progress(job_id):
    job = living_job(job_id)
    return render_template("imports/_progress.html", **progress_context(job))


def living_job(job_id: int) -> Import:
    """The job; one that says "running" but stopped heart-beating is marked failed (and undone) first."""
    job = job_for(job_id)
    if importer.is_stale(job) and importer.fail_if_stale(job_id):
        job = job_for(job_id)
    return job


def progress_context(job: Import) -> dict:
    entity = entities().get(job.entity)
    return {
        "job": job, "entity": entity, "counters": importer.current_counters(job),
        "has_rejected_file": job.status == importer.DONE and importer.has_rejected(job),
        "can_restart": importer.can_restart(job) and entity is not None and entity.can(current_user, "create"),
    }


@bp.route("/imports/<int:job_id>/rejected.csv")
@login_required
def rejected(job_id):
    job = job_for(job_id)
    stream = importer.open_rejected(job) if job.status == importer.DONE else None
    if stream is None:
        abort(404)
    stem = job.filename.rsplit(".", 1)[0] or "import"
    return send_file(stream, mimetype="text/csv", as_attachment=True, download_name=f"{stem}.rejected.csv",
                     max_age=0)
