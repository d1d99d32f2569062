"""Access to the current application's plugins, entities and permissions."""

from __future__ import annotations

from flask import current_app


def entities():
    """The ``EntityRegistry`` of the enabled plugins."""
    return current_app.extensions["passerelle.entities"]


def plugins():
    """The ``PluginSet`` of the enabled plugins."""
    return current_app.extensions["passerelle.plugins"]


def permissions():
    """The ``PermissionRegistry``."""
    return current_app.extensions["passerelle.permissions"]
