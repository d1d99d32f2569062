"""The access log's screens: a record's readers (a fragment of its page, or a page of its own),
and the administrators' report with its CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request, stream_with_context
from flask_login import current_user, login_required

from kernel.toolkit import entities, record_export, records, require, stream_csv
from plugins.privacy.access import report
from plugins.privacy.access.hooks import REPORT
from plugins.privacy.access.readers import may_see_readers, readers_of

bp = Blueprint("privacy_access", __name__, url_prefix="/privacy/access")


@bp.route("/records/<entity:plural>/<int:record_id>")
@login_required
def readers(plural, record_id):
    """Who has seen a record: a fragment of its page (htmx), or a page of its own. A record of an
    entity whose reads are not logged says so."""
    entity = entities().by_plural(plural)
    if not entity.can(current_user, "view"):
        abort(404)
    record = records.get(entity, record_id, include_deleted=True)
    if record is None:
        abort(404)
    if not may_see_readers(current_user, record):
        abort(403)
    template = "privacy/access/_readers.html" if request.headers.get("HX-Request") else "privacy/access/readers.html"
    found = readers_of(entity, record.id) if entity.sensitive else None
    return render_template(template, entity=entity, record=record, readers=found,
                           may_see_report=current_user.can(REPORT))


@bp.route("/")
@require(REPORT)
def report_page():
    try:
        filters = report.Filters.from_args(request.args)
    except report.FilterError as error:
        return render_template("privacy/access/report.html", error=str(error), page=None,
                               **report.context(report.Filters())), 400
    page = report.reads_page(filters, report.page_number(request.args))
    return render_template("privacy/access/report.html", error=None, page=page, **report.context(filters))


@bp.route("/export.csv")
@require(REPORT)
def export_csv():
    try:
        filters = report.Filters.from_args(request.args)
    except report.FilterError as error:
        return Response(str(error), status=400, mimetype="text/plain")
    record_export("access_log", filters=filters.query_items())
    return Response(
        stream_with_context(stream_csv(report.csv_header(), report.export_batches(filters),
                                       bom=request.args.get("bom") == "1")),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="access-log.csv"', "X-Accel-Buffering": "no"},
    )

