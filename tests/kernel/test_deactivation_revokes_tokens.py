"""Deactivating a user revokes their API tokens: a copied token, like a copied cookie, must not
work again when the account is reactivated."""

from sqlalchemy import select

from kernel.db import db
from kernel.security.models import SecurityEvent
from kernel.users import ApiToken

API = "/api/v1/clients"


def _save(admin_client, user, **changes):
    form = {"name": user.name, "email": user.email, "role": user.role, "language": "en", "active": "1", **changes}
    form = {name: value for name, value in form.items() if value is not None}
    assert admin_client.post(f"/admin/users/{user.id}/edit", data=form).status_code == 302


def test_a_token_does_not_work_again_after_reactivation(app, admin_client, staff, token_for):
    headers = token_for(staff)
    assert app.test_client().get(API, headers=headers).status_code == 200
    _save(admin_client, staff, active=None)
    assert app.test_client().get(API, headers=headers).status_code == 401
    _save(admin_client, staff)
    assert app.test_client().get(API, headers=headers).status_code == 401
    assert db.session.scalar(select(ApiToken)) is None
    kinds = list(db.session.scalars(select(SecurityEvent.event).where(SecurityEvent.target_id == str(staff.id))
                                    .order_by(SecurityEvent.id)))
    assert "user.deactivated" in kinds and "user.activated" in kinds
    deactivated = db.session.scalar(select(SecurityEvent).where(SecurityEvent.event == "user.deactivated"))
    assert deactivated.details["tokens_revoked"] == 1


def test_saving_an_active_user_keeps_their_tokens(app, admin_client, staff, token_for):
    headers = token_for(staff)
    _save(admin_client, staff, name="Renamed Staff")
    assert app.test_client().get(API, headers=headers).status_code == 200
