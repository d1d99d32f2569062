"""The reports pages: the list of standard and saved reports, the builder with its table and chart,
the CSV export, and saving, sharing and scheduling reports."""

from __future__ import annotations

from urllib.parse import parse_qsl

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from kernel.toolkit import (
    ROLES,
    EmailNotValidError,
    StandardReport,
    consents_kept,
    db,
    enabled_plugins,
    entities,
    filter_fields,
    normalized_email,
    note_read,
    record_export,
    require,
    utcnow,
)
from kernel.toolkit import gettext as _
from plugins.reports.engine import (
    AGGREGATES,
    CHARTS,
    GRANULARITIES,
    PERIOD_LABELS,
    ReportError,
    ReportSpec,
    chart_data,
    columns_for,
    missing_columns,
    reportable_entities,
    run,
)
from plugins.reports.exporting import report_csv
from plugins.reports.models import NEVER, PRIVATE, ROLE, SCHEDULES, SHARING, SavedReport, reports_visible_to
from plugins.reports.schedule import next_run

bp = Blueprint("reports", __name__, url_prefix="/reports")


# -- standard reports ----------------------------------------------------------------------

def standard_reports(user) -> list[StandardReport]:
    """The standard reports of every enabled plugin that the user may run in full."""
    offered = enabled_plugins().collect("passerelle_standard_reports")
    return [report for report in offered if not missing_columns(standard_spec(report), user)]


def standard_spec(report: StandardReport) -> ReportSpec:
    return ReportSpec.from_args(MultiDict(standard_query_items(report)))


def standard_query_items(report: StandardReport) -> list[tuple[str, str]]:
    items = [("entity", report.entity)]
    items += [("columns", key) for key in report.columns]
    items += [("group", key) for key in report.group_by]
    items += [("agg", key) for key in report.aggregates]
    items += parse_qsl(report.filters or "", keep_blank_values=True)
    items += [("period", report.period), ("period_field", report.period_field or ""), ("sort", report.sort),
              ("chart", report.chart), ("top", str(report.top or ""))]
    return [(key, value) for key, value in items if value != ""]


def find_standard(key: str, user) -> StandardReport:
    for report in standard_reports(user):
        if report.key == key:
            return report
    abort(404)


# -- pages ---------------------------------------------------------------------------------

@bp.route("/")
@login_required
@require("reports.view")
def index():
    return render_template("reports/index.html", standard=standard_reports(current_user),
                           saved=reports_visible_to(current_user), sharing=SHARING, schedules=SCHEDULES,
                           roles=ROLES, entities=entities())


@bp.route("/build")
@login_required
@require("reports.view")
def build():
    spec = ReportSpec.from_args(request.args)
    standard = find_standard(request.args["standard"], current_user) if request.args.get("standard") else None
    saved = visible_report(request.args.get("saved", type=int) or 0) if request.args.get("saved") else None
    return render_builder(spec, standard=standard, saved=saved, editing=saved is not None)


@bp.route("/standard/<key>")
@login_required
@require("reports.view")
def open_standard(key):
    report = find_standard(key, current_user)
    from urllib.parse import urlencode

    return redirect(url_for("reports.build") + "?" + urlencode([*standard_query_items(report), ("standard", key)]))


@bp.route("/saved/<int:report_id>")
@login_required
@require("reports.view")
def show_saved(report_id):
    saved = visible_report(report_id)
    spec = ReportSpec.from_args(MultiDict(parse_qsl(saved.query or "", keep_blank_values=True)))
    if request.args.get("page"):
        spec.page = max(1, request.args.get("page", 1, type=int))
    if request.args.get("sort"):
        spec.sort = request.args["sort"]
    return render_builder(spec, saved=saved)


def render_builder(spec: ReportSpec, *, saved: SavedReport | None = None, standard=None, status: int = 200,
                   editing: bool = False):
    entity = entities().get(spec.entity)
    if entity is not None and not entity.can(current_user, "view"):
        abort(403)
    context = {"spec": spec, "entity": entity, "saved": saved, "editing": editing, "standard": standard,
               "result": None, "chart": None,
               "error": None, "missing": [], "choices": reportable_entities(current_user),
               "aggregate_labels": AGGREGATES, "granularities": GRANULARITIES, "charts": CHARTS,
               "period_labels": PERIOD_LABELS, "sharing": SHARING, "schedules": SCHEDULES, "roles": ROLES,
               "consents_kept": consents_kept}
    if entity is not None:
        columns = columns_for(entity, current_user)
        context.update(columns=columns, filter_fields=filter_fields(entity))
        context["missing"] = missing_labels(spec, saved)
        if spec.errors:
            context["error"] = " ".join(" ".join(messages) for messages in spec.errors.values())
        elif not context["missing"] and (spec.columns or spec.group_by):
            try:
                _plan, result = run(spec, current_user)
            except ReportError as error:
                context["error"] = str(error)
                status = 422
            else:
                context.update(result=result, chart=chart_data(spec, result))
    return render_template("reports/build.html", **context), status


def missing_labels(spec: ReportSpec, saved: SavedReport | None) -> list[str]:
    """Names of the columns the report uses that are gone (plugin disabled) or hidden from the user."""
    labels = (saved.column_labels or {}) if saved else {}
    return [str(labels.get(key, key)) for key in missing_columns(spec, current_user)]


@bp.route("/export.csv")
@login_required
@require("reports.view")
def export_csv():
    spec = ReportSpec.from_args(request.args)
    return csv_response(spec, request.args.get("bom") == "1", "report.csv")


@bp.route("/saved/<int:report_id>/export.csv")
@login_required
@require("reports.view")
def export_saved(report_id):
    saved = visible_report(report_id)
    spec = ReportSpec.from_args(MultiDict(parse_qsl(saved.query or "", keep_blank_values=True)))
    return csv_response(spec, request.args.get("bom") == "1", f"report-{saved.id}.csv", saved)


def csv_response(spec: ReportSpec, bom: bool, filename: str, saved: SavedReport | None = None):
    missing = missing_labels(spec, saved)
    if missing:
        return render_builder(spec, saved=saved, status=409)
    try:
        lines = report_csv(spec, current_user, bom=bom)
    except ReportError:
        return render_builder(spec, saved=saved, status=422)
    note_read(spec.entity, via="report_export")  # who saw what: one entry for the whole export
    record_export("report", entity=spec.entity, report_id=saved.id if saved else None,
                  query=(saved.query if saved else request.query_string.decode(errors="replace")) or None)
    return Response(
        stream_with_context(lines), mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "X-Accel-Buffering": "no"},
    )


# -- saving, sharing, scheduling -----------------------------------------------------------

def visible_report(report_id: int) -> SavedReport:
    saved = db.session.get(SavedReport, report_id)
    if saved is None or not saved.visible_to(current_user):
        abort(404)
    return saved


def editable_report(report_id: int) -> SavedReport:
    saved = visible_report(report_id)
    if not saved.editable_by(current_user):
        abort(403)
    return saved


def sharing_from_form(form) -> tuple[str, str | None] | None:
    """``(sharing, role)`` from the form, or None (with a message) when the choice is not allowed."""
    sharing = form.get("sharing") or PRIVATE
    role = form.get("shared_role") or None
    if sharing not in SHARING or (sharing == ROLE and role not in ROLES):
        flash(_("Choose with whom to share the report."), "error")
        return None
    if sharing != PRIVATE and not current_user.can("reports.share"):
        flash(_("You may not share reports: save it for yourself."), "error")
        return None
    return sharing, (role if sharing == ROLE else None)


def labels_of(spec: ReportSpec) -> dict[str, str]:
    entity = entities().get(spec.entity)
    columns = columns_for(entity, current_user) if entity is not None else {}
    return {key: columns[key].label for key in spec.used_keys if key in columns}


def valid_name(form) -> str | None:
    name = (form.get("name") or "").strip()
    if not name or len(name) > 255:
        flash(_("Give the report a name of at most 255 characters."), "error")
        return None
    return name


@bp.route("/saved", methods=["POST"])
@login_required
@require("reports.save")
def save():
    query = request.form.get("query", "")
    spec = ReportSpec.from_args(MultiDict(parse_qsl(query, keep_blank_values=True)))
    back = redirect(url_for("reports.build") + "?" + query)
    name, sharing = valid_name(request.form), sharing_from_form(request.form)
    if name is None or sharing is None:
        return back
    entity = entities().get(spec.entity)
    if entity is None or not entity.can(current_user, "view") or not (spec.columns or spec.group_by):
        flash(_("Build the report before saving it."), "error")
        return back
    saved = SavedReport(name=name, owner_id=current_user.id, entity=spec.entity, query=spec.query_string(),
                        column_labels=labels_of(spec), sharing=sharing[0], shared_role=sharing[1])
    db.session.add(saved)
    db.session.commit()
    flash(_("The report “%(name)s” is saved.", name=name), "success")
    return redirect(url_for("reports.show_saved", report_id=saved.id))


@bp.route("/saved/<int:report_id>", methods=["POST"])
@login_required
@require("reports.save")
def update(report_id):
    """Rename, share differently, or replace the definition with the builder's current one."""
    saved = editable_report(report_id)
    back = redirect(url_for("reports.show_saved", report_id=saved.id))
    name, sharing = valid_name(request.form), sharing_from_form(request.form)
    if name is None or sharing is None:
        return back
    saved.name, (saved.sharing, saved.shared_role) = name, sharing
    if request.form.get("query"):
        spec = ReportSpec.from_args(MultiDict(parse_qsl(request.form["query"], keep_blank_values=True)))
        if spec.entity == saved.entity and (spec.columns or spec.group_by):
            saved.query, saved.column_labels = spec.query_string(), labels_of(spec)
    db.session.commit()
    flash(_("The report “%(name)s” is saved.", name=name), "success")
    return back


@bp.route("/saved/<int:report_id>/delete", methods=["POST"])
@login_required
@require("reports.save")
def delete(report_id):
    saved = editable_report(report_id)
    db.session.delete(saved)
    db.session.commit()
    flash(_("The report “%(name)s” is deleted.", name=saved.name), "success")
    return redirect(url_for("reports.index"))


@bp.route("/saved/<int:report_id>/schedule", methods=["POST"])
@login_required
@require("reports.share")
def schedule(report_id):
    saved = editable_report(report_id)
    back = redirect(url_for("reports.show_saved", report_id=saved.id))
    chosen = request.form.get("schedule") or NEVER
    recipients = (request.form.get("recipients") or "").strip()
    if chosen not in SCHEDULES:
        abort(400)
    saved.recipients = recipients
    bad = [address for address in saved.recipient_list if not valid_address(address)]
    if chosen != NEVER and (bad or not saved.recipient_list):
        db.session.rollback()
        flash(_("Enter the e-mail addresses of the recipients, separated by commas.") +
              (" " + _("Not valid: %(addresses)s.", addresses=", ".join(bad)) if bad else ""), "error")
        return back
    saved.schedule, saved.next_run_at = chosen, next_run(chosen, utcnow())
    db.session.commit()
    if chosen == NEVER:
        flash(_("The report is no longer e-mailed."), "success")
    else:
        flash(_("The report will be e-mailed as CSV: %(when)s.", when=SCHEDULES[chosen]), "success")
    return back


def valid_address(address: str) -> bool:
    try:
        normalized_email(address)
    except EmailNotValidError:
        return False
    return True
