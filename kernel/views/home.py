"""The dashboard, the first page after login."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from kernel.db import db
from kernel.registry import entities

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def dashboard():
    cards = []
    for entity in entities():
        if not entity.can(current_user, "view"):
            continue
        statement = select(func.count()).select_from(entity.model).where(entity.model.deleted_at.is_(None))
        mine = None
        if entity.assignable:
            mine = db.session.scalar(statement.where(entity.model.assigned_user_id == current_user.id))
        cards.append({"entity": entity, "total": db.session.scalar(statement), "mine": mine})
    return render_template("dashboard.html", cards=cards)
