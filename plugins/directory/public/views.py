"""The public directory's pages under /directory/public/: the search, a resource, and sharing a
result list by SMS. No login; 404 unless ``DIRECTORY_PUBLIC`` is true.

Every page is rate-limited per address (``DIRECTORY_PUBLIC_RATE_LIMIT``); the search and resource
pages are cached (``plugins.directory.public.cache``) and sent with ``Cache-Control: public`` so
that a proxy may keep them too. The SMS form is neither cached nor shared: it carries a CSRF token."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy import func, select

from kernel.toolkit import LANGUAGES, PhoneNotValid, db, formatted_phone, limiter, queue_sms
from kernel.toolkit import gettext as _
from plugins.directory.models import languages
from plugins.directory.public.cache import pages
from plugins.directory.public.content import public_cards, public_resource, public_service
from plugins.directory.public.query import MAX_PAGE, BadQuery, PublicQuery, query_from
from plugins.directory.search import has_next_page, is_public_service, run
from plugins.directory.views import unknown_place_message, user_now

blueprint = Blueprint("directory_public", __name__, url_prefix="/directory/public", template_folder="templates")
SHARED_RESULTS = 5  # an SMS names the first few results: a few parts, not a dozen
SMS_NAME_LENGTH = 60
LANGUAGE_CHOICES = 60
EXPIRED_FORM = ("The form expired or was sent twice. Go back, reload the page and try again: "
                "nothing was saved.")  # the kernel's message, translated in its catalogue


def is_on() -> bool:
    return bool(current_app.config.get("DIRECTORY_PUBLIC"))


def page_limit() -> str:
    return current_app.config.get("DIRECTORY_PUBLIC_RATE_LIMIT") or "60 per minute"


def sms_limit() -> str:
    return current_app.config.get("DIRECTORY_PUBLIC_SMS_RATE_LIMIT") or "3 per hour"


def cache_seconds() -> int:
    return int(current_app.config.get("DIRECTORY_PUBLIC_CACHE_SECONDS") or 300)


@blueprint.url_value_preprocessor
def language_from_address(_endpoint, _values):
    """``?lang=fr|en`` chooses the page's language (before anything translates a word)."""
    if request.args.get("lang") in LANGUAGES:
        g.url_language = request.args["lang"]


@blueprint.before_request
def only_when_on():
    if not is_on():
        abort(404)


@blueprint.errorhandler(400)
@blueprint.errorhandler(404)
@blueprint.errorhandler(429)
def public_error(error):
    if error.code == 429:  # what a crawler gets many times a second: rendered once per language
        return too_many_requests_page(), 429
    message = getattr(error, "description", None) if error.code == 400 else None
    if isinstance(error, CSRFError):  # the kernel's message (and its translation), on this page
        g.csrf_failed = True
        message = _(EXPIRED_FORM)
    return render_template("directory_public/error.html", code=error.code, message=message,
                           language_urls=language_urls()), error.code


def too_many_requests_page() -> str:
    key = ("too_many_requests", current_language())
    page = pages.get(key)
    if page is None:
        page = render_template("directory_public/error.html", code=429, message=None, language_urls=None)
        pages.put(key, page, cache_seconds())
    return page


def current_language() -> str:
    return str(get_locale() or "fr")


def language_urls() -> dict[str, str]:
    """The same page in each language (the language switch)."""
    args = {name: value for name, value in request.args.items() if name != "lang"}
    return {code: url_for(request.endpoint or "directory_public.search", **(request.view_args or {}), **args,
                          lang=code) for code in LANGUAGES}


def cached_page(name: str, key: tuple, render) -> Response:
    """The page from the cache, or rendered and kept; shareable by proxies for as long."""
    full_key = (name, key, current_language())
    page = pages.get(full_key)
    if page is None:
        with pages.rendering(full_key):
            page = pages.get(full_key)  # rendered by another visitor meanwhile
            if page is None:
                page = render()
                db.session.rollback()  # read-only: end the transaction before the page goes out
                pages.put(full_key, page, cache_seconds())
    g.shared_cache_seconds = cache_seconds()
    response = Response(page, mimetype="text/html")
    response.vary.update(("Accept-Language", "Cookie"))
    return response


def query_or_400() -> PublicQuery:
    try:
        return query_from(request.args)
    except BadQuery as error:
        abort(400, description=str(error))


# -- the search ----------------------------------------------------------------------------
@blueprint.route("/")
@limiter.shared_limit(page_limit, scope="directory_public")
def search():
    query = query_or_400()
    return cached_page("search", query.key(), lambda: render_search(query))


def search_results(query: PublicQuery) -> dict:
    if query.is_empty:
        return {"outcome": None, "cards": [], "has_next": False}
    criteria = query.criteria(user_now())
    outcome = run(criteria)
    cards = public_cards(outcome.hits, user_now(), outcome.approximate_origin)
    return {"outcome": outcome, "cards": cards,
            "has_next": query.page < MAX_PAGE and has_next_page(criteria, outcome)}


def language_choices() -> list[tuple[str, str]]:
    """(value, label) of the languages the public services are offered in; read once per cache
    lifetime and language (it reads every language row)."""
    key = ("language_choices", current_language())
    choices = pages.get(key)
    if choices is None:
        choices = _read_language_choices()
        pages.put(key, choices, cache_seconds())
    return choices


def _read_language_choices() -> list[tuple[str, str]]:
    from plugins.directory.resource_form import language_name

    value = func.lower(func.coalesce(languages.c.code, languages.c.name))
    rows = db.session.execute(select(value, func.min(languages.c.name))
                              .where(is_public_service(languages.c.service_id))
                              .group_by(value).limit(LANGUAGE_CHOICES))
    choices = [(code, language_name(code, name)) for code, name in rows if code]
    return sorted(choices, key=lambda choice: choice[1].casefold())


def render_search(query: PublicQuery) -> str:
    from plugins.directory.views import service_type_choices

    results = search_results(query)
    return render_template("directory_public/search.html", query=query, **results,
                           type_choices=service_type_choices(), language_choices=language_choices(),
                           unknown_place=unknown_place_message(query.near) if results["outcome"] is not None
                           and results["outcome"].unknown_postal_code else "",
                           language_urls=language_urls())


# -- a resource ----------------------------------------------------------------------------
@blueprint.route("/resources/<int:record_id>")
@limiter.shared_limit(page_limit, scope="directory_public")
def resource(record_id: int):
    return cached_page("resource", (record_id,), lambda: render_resource(record_id))


def render_resource(record_id: int) -> str:
    service = public_service(record_id)
    if service is None:
        abort(404)
    return render_template("directory_public/resource.html", resource=public_resource(service, user_now()),
                           language_urls=language_urls())


# -- sharing by SMS ------------------------------------------------------------------------
@blueprint.route("/share", methods=["GET", "POST"])
@limiter.shared_limit(page_limit, scope="directory_public")
@limiter.limit(sms_limit, methods=["POST"])
def share():
    """Send the first results of a search to the visitor's own phone. The number goes into the
    outbox message only (sent, then kept as the outbox keeps messages); nothing else records it."""
    query = query_or_400()
    if query.is_empty:  # nothing to share: the page says so; sending is refused
        if request.method == "POST":
            abort(400, description=_("Search first, then share the results."))
        return render_share(query, [], nothing_searched=True)
    results = search_results(query)
    shared = results["cards"][:SHARED_RESULTS]
    if request.method == "POST":
        number, error = phone_from(request.form.get("phone"))
        if error:
            return render_share(query, shared, error=error, typed=request.form.get("phone") or "", status=422)
        if not shared:
            return render_share(query, shared, error=_("There is nothing to send: no resource matches."),
                                typed=number, status=422)
        queue_sms(number, sms_body(query, shared))
        db.session.commit()
        return render_share(query, shared, sent=True)
    return render_share(query, shared)


def phone_from(value: str | None) -> tuple[str, str | None]:
    text = (value or "").strip()[:50]
    if not text:
        return "", _("Enter your mobile phone number.")
    try:
        return formatted_phone(text), None
    except PhoneNotValid:
        return "", _("This is not a phone number: write it with its area code, e.g. 514 555 0199.")


def sms_body(query: PublicQuery, shared: list[dict]) -> str:
    lines = [_("Resources found:")]
    for number, card in enumerate(shared, start=1):
        phone = card["phones"][0]["number"] if card["phones"] else ""
        lines.append(f"{number}. {card['name'][:SMS_NAME_LENGTH]}" + (f" – {phone}" if phone else ""))
    lines.append(url_for("directory_public.search", **query.args(), lang=current_language(), _external=True))
    return "\n".join(lines)


def render_share(query: PublicQuery, shared: list[dict], *, error: str | None = None, typed: str = "",
                 sent: bool = False, nothing_searched: bool = False, status: int = 200):
    return render_template("directory_public/share.html", query=query, shared=shared, error=error, typed=typed,
                           sent=sent, nothing_searched=nothing_searched, language_urls=language_urls()), status
