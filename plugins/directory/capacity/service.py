"""Reading and saving capacities (a page of result cards reads them with the rest of the cards,
``plugins.directory.cards``), and the form's checks shared by the staff's resource page and the
partner's link page."""

from __future__ import annotations

from sqlalchemy import select

from kernel.toolkit import db, users_by_id, utcnow
from kernel.toolkit import lazy_gettext as _l
from plugins.directory.capacity.models import Capacity

LARGEST_COUNT = 100_000


def capacities_for(service_ids) -> dict[int, Capacity]:
    """The declared capacities of these services, by service id, in one query."""
    ids = {service_id for service_id in service_ids if service_id}
    if not ids:
        return {}
    return {row.service_id: row for row in db.session.scalars(select(Capacity).where(Capacity.service_id.in_(ids)))}


def capacity_of(service_id: int) -> Capacity | None:
    return db.session.get(Capacity, service_id)


def updated_by_label(capacity: Capacity) -> str:
    if capacity.updated_by_id:
        user = users_by_id({capacity.updated_by_id}).get(capacity.updated_by_id)
        if user is not None:
            return user.name
    return capacity.updated_by_name or ""


def not_accepting_services():
    """SELECT service_id of the programmes that said they take no new referrals (the full ones)."""
    return select(Capacity.service_id).where(Capacity.accepting.is_(False))


def _count(raw, errors: dict, name: str):
    text = (raw or "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()) or int(text) > LARGEST_COUNT:
        errors[name] = _l("Enter a whole number between 0 and %(max)s.", max=f"{LARGEST_COUNT:,}".replace(",", " "))
        return None
    return int(text)


def parse_capacity(form) -> tuple[dict, dict]:
    """(values, errors) of a capacity form: open spots, waiting list (whole numbers, optional) and
    whether new referrals are accepted ("yes" or "no")."""
    errors: dict = {}
    values = {"open_spots": _count(form.get("open_spots"), errors, "open_spots"),
              "waiting_list": _count(form.get("waiting_list"), errors, "waiting_list")}
    accepting = form.get("accepting")
    if accepting not in ("yes", "no"):
        errors["accepting"] = _l("Say whether the programme accepts new referrals.")
    values["accepting"] = accepting == "yes"
    return values, errors


def save_capacity(service_id: int, values: dict, *, user=None, by_name: str | None = None) -> Capacity:
    """Record the capacity a staff member (``user``) or a partner (``by_name``) declared; the caller commits."""
    capacity = db.session.get(Capacity, service_id)
    if capacity is None:
        capacity = Capacity(service_id=service_id)
        db.session.add(capacity)
    capacity.open_spots, capacity.waiting_list = values["open_spots"], values["waiting_list"]
    capacity.accepting = values["accepting"]
    capacity.updated_at = utcnow()
    capacity.updated_by_id = getattr(user, "id", None)
    capacity.updated_by_name = None if user is not None else (by_name or "")[:255] or None
    return capacity
