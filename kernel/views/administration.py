"""The Administration area: every setting the user may open, grouped by the section it belongs to
(the kernel's first, then "Contact centre", "Employment (SAE)"…), so that settings such as
survey questions or postal codes are one page away without crowding the daily sidebar."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from kernel import menu

bp = Blueprint("administration", __name__, url_prefix="/administration")


@bp.route("/")
@login_required
def index():
    groups = menu.settings_groups(current_user, menu.catalogue())
    return render_template("navigation/administration.html", groups=groups)
