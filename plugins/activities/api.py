"""What the calendar does, through the REST API (token authentication, as the kernel's API):
the events of a period in the user's time zone, a meeting's invited colleagues, calendar sharing.
Calls, meetings, tasks and notes themselves are the kernel's ``/api/v1/<plural>``."""

from __future__ import annotations

from flask import Blueprint, g, jsonify, request

from kernel.toolkit import api_operation, db, entities, problem, records, token_required
from kernel.toolkit import gettext as _
from plugins.activities import calendar, meetings
from plugins.activities.api_schemas import EventsSchema, InviteesSchema, PeriodSchema, SharingSchema

api = Blueprint("activities_api", __name__, url_prefix="/api/v1")


def _user_ids(values) -> set[int] | None:
    if not isinstance(values, list) or not all(isinstance(value, int) for value in values):
        return None
    return set(values)


@api.route("/activities/calendar/events")
@api_operation("Calendar events of a period", tags=["Calendar"], query=PeriodSchema,
               responses={200: EventsSchema, 422: None},
               description="The calls, meetings and tasks of the period, in the user's time zone.")
@token_required
def calendar_events():
    if not g.api_user.can("activities.view"):
        return problem(403, _("You are not allowed to do this."))
    zone = calendar.user_zone()
    try:
        events = calendar.period_events(g.api_user.id, request.args, zone)
    except (KeyError, ValueError):
        return problem(422, _("Give a start and an end."))
    return jsonify(timezone=zone.key, events=events)


@api.route("/meetings/<int:meeting_id>/invitees", methods=["GET", "PUT"])
@api_operation("A meeting's invited colleagues", method="GET", tags=["Calendar"], responses={200: InviteesSchema})
@api_operation("Invite colleagues to a meeting", method="PUT", tags=["Calendar"], request=InviteesSchema,
               responses={200: InviteesSchema, 422: None}, description="The list replaces the invited colleagues.")
@token_required
def meeting_invitees(meeting_id):
    entity = entities().get("meeting")
    action = "view" if request.method == "GET" else "edit"
    if not entity.can(g.api_user, action):
        return problem(403, _("You are not allowed to do this."))
    meeting = records.get(entity, meeting_id)
    if meeting is None:
        return problem(404, _("Not found."))
    if request.method == "PUT":
        chosen = _user_ids((request.get_json(silent=True) or {}).get("invitees"))
        if chosen is None:
            return problem(422, _("Give the invited colleagues as a list of user ids."))
        meetings.save_invitees(meeting.id, chosen)
        db.session.commit()
    return jsonify(invitees=sorted(meetings.invited_ids(meeting.id)))


@api.route("/activities/calendar/sharing", methods=["GET", "PUT"])
@api_operation("Who sees the user's calendar", method="GET", tags=["Calendar"], responses={200: SharingSchema})
@api_operation("Share the user's calendar", method="PUT", tags=["Calendar"], request=SharingSchema,
               responses={200: SharingSchema, 422: None})
@token_required
def calendar_sharing():
    user = g.api_user
    if not user.can("activities.view"):
        return problem(403, _("You are not allowed to do this."))
    if request.method == "PUT":
        body = request.get_json(silent=True) or {}
        viewers = _user_ids(body.get("viewers", []))
        if body.get("sharing") not in calendar.SHARING or viewers is None:
            return problem(422, _("Give a sharing of nobody, chosen or everyone, and viewers as a list of user ids."))
        calendar.save_sharing(user.id, body["sharing"], viewers)
        db.session.commit()
    settings = calendar.settings_of(user.id)
    db.session.commit()
    return jsonify(sharing=settings.sharing, viewers=sorted(calendar.chosen_viewer_ids(user.id)))
