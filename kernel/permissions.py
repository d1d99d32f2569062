"""Roles and permissions.

Permissions are named ``<plugin>.<action>`` and declared by plugins through the
``passerelle_permissions`` hook, each with the roles that hold it. Administrators hold every
permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort
from flask_login import current_user

from kernel.i18n import lazy_gettext as _l
from kernel.request_state import forget_for_request, once_per_request

ADMINISTRATOR = "administrator"
SUPERVISOR = "supervisor"
STAFF = "staff"
READONLY = "readonly"
PARTNER = "partner"  # a partner organisation's account: holds no permission; plugins grant what it may do

ROLES = {
    ADMINISTRATOR: _l("Administrator"),
    SUPERVISOR: _l("Supervisor"),
    STAFF: _l("Staff"),
    READONLY: _l("Read-only"),
    PARTNER: _l("Partner organisation (its referrals only)"),
}

EVERYONE = (ADMINISTRATOR, SUPERVISOR, STAFF, READONLY)
WRITERS = (ADMINISTRATOR, SUPERVISOR, STAFF)
MANAGERS = (ADMINISTRATOR, SUPERVISOR)


@dataclass(frozen=True)
class Permission:
    name: str
    label: object
    roles: tuple[str, ...] = WRITERS


def record_permissions(prefix: str, noun) -> list[Permission]:
    """The usual four permissions of a module's records: view, create, edit, delete."""
    return [
        Permission(f"{prefix}.view", _l("View %(noun)s", noun=noun), EVERYONE),
        Permission(f"{prefix}.create", _l("Create %(noun)s", noun=noun), WRITERS),
        Permission(f"{prefix}.edit", _l("Edit %(noun)s", noun=noun), WRITERS),
        Permission(f"{prefix}.delete", _l("Delete %(noun)s", noun=noun), MANAGERS),
    ]


KERNEL_PERMISSIONS = [
    Permission("kernel.manage_users", _l("Manage users"), (ADMINISTRATOR,)),
    Permission("kernel.trash", _l("Restore records from the trash"), (ADMINISTRATOR,)),
    Permission("kernel.api", _l("Use the REST API"), EVERYONE),
    Permission("kernel.customise", _l("Edit choice lists and custom fields"), (ADMINISTRATOR,)),
    Permission("kernel.merge", _l("Merge duplicate records"), (ADMINISTRATOR,)),
    Permission("kernel.outbox", _l("See the e-mails and SMS sent and retry failed ones"), (ADMINISTRATOR,)),
    Permission("kernel.security_log", _l("Read and export the security log"), (ADMINISTRATOR,)),
]


class PermissionRegistry:
    def __init__(self, permissions: list[Permission]):
        self.permissions = {permission.name: permission for permission in permissions}
        self.by_role = {
            role: {p.name for p in permissions if role == ADMINISTRATOR or role in p.roles} for role in ROLES
        }

    def role_has(self, role: str, permission: str) -> bool:
        return permission in self.by_role.get(role, set())


_GRANTED_KEY = "_passerelle_granted_permissions"


def granted_permissions(user) -> frozenset[str]:
    """What plugins grant ``user`` besides their role (hook ``passerelle_user_permissions``),
    asked once per request and user."""
    from flask import current_app

    cache = once_per_request(_GRANTED_KEY, dict)
    if user.id not in cache:
        declared = current_app.extensions["passerelle.permissions"].permissions
        found = current_app.extensions["passerelle.plugins"].collect("passerelle_user_permissions", user=user)
        cache[user.id] = frozenset(name for name in found if name in declared)
    return cache[user.id]


def forget_granted_permissions() -> None:
    """Call after changing what a plugin grants: the rest of the request asks again."""
    forget_for_request(_GRANTED_KEY)


def require(permission: str):
    """View decorator: 403 unless the logged-in user holds ``permission``."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                from flask import current_app

                return current_app.login_manager.unauthorized()
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
