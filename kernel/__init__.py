"""Passerelle's microkernel: plugins, entities, permissions, rendering and shared services.

The kernel knows no module by name. Plugins (see ``kernel.hookspecs``) declare record types and
screens; the kernel derives lists, forms, the API, history and everything else from them.
"""

import pluggy

hookimpl = pluggy.HookimplMarker("passerelle")
"""Marks a plugin function as the implementation of a hook of ``kernel.hookspecs``."""

__all__ = ["hookimpl"]
