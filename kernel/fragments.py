"""Rendering the parts of a page that plugins give: a record's panels, a slot's fillers (one per
result card), a form's sections, the profile's panels, the dashlets.

Flask's ``render_template`` runs every context processor (the kernel's, each plugin's through
``passerelle_template_context``, Flask's own) for each template it renders. A page renders its
parts by the dozen, twenty slot fillers for twenty result cards, and that was a fifth of a
record's page. Their values do not change within a request, so ``render_fragment`` makes the
request's template context once and renders each part on it; the part's own arguments win over
it, as with ``render_template``.
"""

from __future__ import annotations

from flask import current_app, g, has_request_context, request
from markupsafe import Markup

from kernel import timing


def render_fragment(template: str, /, **context) -> Markup:
    """The HTML of ``template`` with ``context``, on the request's template context."""
    with timing.rendering():
        found = current_app.jinja_env.get_template(template)
        return Markup(found.render({**request_template_context(), **context}))


def request_template_context() -> dict:
    """What the context processors give every template, made once per request. Kept with the
    request itself: ``g`` lives as long as the application context, which several requests share
    when they run inside one (tests, an import's request context, the command line)."""
    if not has_request_context():
        return _made_afresh()
    current = request._get_current_object()
    kept = g.get("_fragment_context")
    if kept is None or kept[0] is not current:
        kept = g._fragment_context = (current, _made_afresh())
    return kept[1]


def _made_afresh() -> dict:
    context: dict = {}
    current_app.update_template_context(context)
    return context
