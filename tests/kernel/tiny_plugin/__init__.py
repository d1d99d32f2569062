"""A tiny third-party plugin, defined inside the tests: a record type, a menu entry and a page."""

from flask import Blueprint, render_template
from flask_login import login_required
from sqlalchemy.orm import Mapped

from kernel import hookimpl
from kernel.entities import Entity, Record, field
from kernel.menu import MenuItem
from kernel.permissions import record_permissions, require

LABEL = "Tiny"


class Bookmark(Record):
    __tablename__ = "tiny_bookmarks"
    __entity__ = Entity(name="bookmark", plural="bookmarks", label="Bookmark", label_plural="Bookmarks",
                        title="{name}", create_label="Create a bookmark", list_label="View bookmarks")
    name: Mapped[str] = field(label="Name", required=True, searchable=True, list=True)
    url: Mapped[str | None] = field("url", label="Address", list=True)


bp = Blueprint("tiny", __name__)


@bp.route("/tiny/hello")
@login_required
@require("tiny.view")
def hello():
    return render_template("tiny/hello.html")


@hookimpl
def passerelle_entities():
    return [Bookmark]


@hookimpl
def passerelle_permissions():
    return record_permissions("tiny", "bookmarks")


@hookimpl
def passerelle_menu_items():
    return [MenuItem(label="Tiny hello", endpoint="tiny.hello", permission="tiny.view", module="bookmark")]


@hookimpl
def passerelle_blueprints():
    return [bp]
