"""The notifications page: a user's notifications, newest first, and marking them read."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, select

from kernel import notifications
from kernel.db import db
from kernel.listing import Page
from kernel.registry import entities

bp = Blueprint("notifications", __name__, url_prefix="/notifications")

PER_PAGE = 20


@dataclass
class Row:
    """A notification with what its line shows: the record's type and link (no query per row)."""

    notification: notifications.Notification
    entity_label: object = None
    url: str | None = None


def row_for(notification) -> Row:
    entity = entities().get(notification.entity) if notification.entity else None
    if entity is None or notification.record_id is None:
        return Row(notification)
    url = url_for("records.show_record", plural=entity.plural, record_id=notification.record_id)
    return Row(notification, entity.label, url)


def page_number() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


def notifications_page(user_id: int, page: int) -> Page:
    statement = notifications.notifications_of(user_id)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return Page(records=[row_for(notification) for notification in rows], total=total, page=page, per_page=PER_PAGE)


@bp.route("")
@login_required
def index():
    page = notifications_page(current_user.id, page_number())
    return render_template("notifications/list.html", page=page)


def back_to_list():
    return redirect(url_for("notifications.index", page=request.form.get("page", type=int) or None))


@bp.route("/<int:notification_id>/read", methods=["POST"])
@login_required
def mark_read(notification_id):
    if not notifications.mark_read(current_user.id, notification_id):
        abort(404)
    db.session.commit()
    return back_to_list()


@bp.route("/read-all", methods=["POST"])
@login_required
def mark_all_read():
    notifications.mark_all_read(current_user.id)
    db.session.commit()
    return back_to_list()
