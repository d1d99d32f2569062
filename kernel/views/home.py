"""The dashboard, the first page after login: the user's dashlets, and the forms that add,
remove, move and reset them (plain POST forms, so customising works without JavaScript)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import BadRequest

from kernel import dashboard as board
from kernel.db import db
from kernel.i18n import gettext as _

bp = Blueprint("home", __name__)
bp.record_once(lambda state: board.install(state.app))

MOVES = {"up": -1, "down": 1}


@bp.route("/")
@login_required
def dashboard():
    shown = board.dashlets_of(current_user)
    addable = board.addable_dashlets(current_user)
    return render_template(
        "dashboard.html",
        blocks=[(dashlet, board.render_or_apologise(dashlet, current_user)) for dashlet in shown],
        addable=addable,
        anything_available=bool(shown or addable),
        customising=request.args.get("customise") == "1",
        customised=board.is_customised(current_user),
    )


def back_to_customising(key: str | None = None):
    anchor = f"dashlet-{key}" if key else None
    return redirect(url_for("home.dashboard", customise="1", _anchor=anchor))


def refuse(message):
    """A 400 page that says what went wrong."""
    return render_template("error.html", error=BadRequest(), message=message), 400


def posted_key() -> str:
    key = (request.form.get("key") or "").strip()
    if not key:
        abort(400)
    return key


@bp.route("/dashboard/add", methods=["POST"])
@login_required
def add_dashlet():
    key = posted_key()
    if not board.add_dashlet(current_user, key):
        return refuse(_("This dashlet cannot be added to your dashboard."))
    db.session.commit()
    flash(_("The dashlet is added at the end of your dashboard."), "success")
    return back_to_customising(key)


@bp.route("/dashboard/remove", methods=["POST"])
@login_required
def remove_dashlet():
    if board.remove_dashlet(current_user, posted_key()):
        db.session.commit()
        flash(_("The dashlet is removed. You can add it again from the list below."), "success")
    return back_to_customising()


@bp.route("/dashboard/move", methods=["POST"])
@login_required
def move_dashlet():
    key = posted_key()
    step = MOVES.get(request.form.get("direction"))
    if step is None:
        abort(400)
    if board.move_dashlet(current_user, key, step):
        db.session.commit()
    return back_to_customising(key)


@bp.route("/dashboard/order", methods=["POST"])
@login_required
def reorder_dashlets():
    """Drag and drop: the shown dashlets' keys in their new order. Answers 204."""
    if not board.reorder_dashlets(current_user, request.form.getlist("key")):
        return refuse(_("Your dashboard changed meanwhile. Reload the page and try again."))
    db.session.commit()
    return "", 204


@bp.route("/dashboard/reset", methods=["POST"])
@login_required
def reset_dashboard():
    board.reset_layout(current_user)
    db.session.commit()
    flash(_("Your dashboard is back to the defaults of your role."), "success")
    return back_to_customising()
