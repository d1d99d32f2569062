"""Administration of the outbox: every e-mail and SMS with its status, and "Retry now"."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from kernel import hookimpl, outbox
from kernel.db import db
from kernel.i18n import gettext as _
from kernel.i18n import lazy_gettext as _l
from kernel.listing import Page
from kernel.menu import MenuItem
from kernel.permissions import require
from kernel.views.auth import safe_next

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")

PER_PAGE = 50


def chosen(name: str, allowed: dict) -> str | None:
    value = request.args.get(name)
    return value if value in allowed else None


def messages_page(status: str | None, channel: str | None, page: int) -> Page:
    statement = select(outbox.OutboxMessage)
    if status:
        statement = statement.where(outbox.OutboxMessage.status == status)
    if channel:
        statement = statement.where(outbox.OutboxMessage.channel == channel)
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    rows = db.session.scalars(
        statement.order_by(outbox.OutboxMessage.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    )
    return Page(records=list(rows), total=total, page=page, per_page=PER_PAGE)


@bp.route("")
@require("kernel.outbox")
def index():
    status, channel = chosen("status", outbox.STATUSES), chosen("channel", outbox.CHANNELS)
    page = messages_page(status, channel, max(1, request.args.get("page", 1, type=int) or 1))
    return render_template(
        "admin/outbox.html", page=page, status=status, channel=channel, statuses=outbox.STATUSES,
        channels=outbox.CHANNELS, counts=outbox.counts_by_status(),
    )


@bp.route("/<int:message_id>/retry", methods=["POST"])
@require("kernel.outbox")
def retry(message_id):
    if not outbox.retry_now(message_id):
        abort(404)
    db.session.commit()
    flash(_("The message is queued again; the worker sends it within a few seconds."), "success")
    return redirect(safe_next(request.form.get("next") or url_for("outbox.index")))


class OutboxMenu:
    """The kernel's sidebar entry for the outbox, shown to those who hold ``kernel.outbox``."""

    @hookimpl
    def passerelle_menu_items(self):
        return [MenuItem(label=_l("Outbox"), endpoint="outbox.index", permission="kernel.outbox", icon="✉")]
