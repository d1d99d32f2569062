"""The Flask application factory: plugins in, a running CRM out."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import (
    Flask,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import get_locale
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter, ValidationError

from kernel import access_log, consent, menu, notifications, outbox, slots, timing
from kernel import config as settings_module
from kernel.countries import country_options
from kernel.db import db
from kernel.display import history_action, history_value
from kernel.entities import EntityRegistry
from kernel.filters import conditions_json, shared_options
from kernel.i18n import LANGUAGES, init_i18n
from kernel.i18n import lazy_gettext as _l
from kernel.json_answers import OrjsonProvider
from kernel.linked import LinkedRecordsPanels
from kernel.menu import fixed_url
from kernel.navigation import record_url
from kernel.permissions import KERNEL_PERMISSIONS, ROLES, PermissionRegistry
from kernel.personal_data.declarations import check as check_identifying_data
from kernel.plugins import load_plugins
from kernel.ratelimit import limiter
from kernel.request_state import once_per_request
from kernel.search_index import mark_indexed
from kernel.storage import StorageUnavailable
from kernel.validators import safe_url

KERNEL_DIR = Path(__file__).parent
PROJECT_DIR = KERNEL_DIR.parent
THEMES_DIR = PROJECT_DIR / "themes"
VENDOR_FILES = {
    # URL name → path inside node_modules (front-end packages installed by npm, never copied)
    "htmx.js": "htmx.org/dist/htmx.min.js",
    "tom-select.js": "tom-select/dist/js/tom-select.complete.min.js",
    "tom-select.css": "tom-select/dist/css/tom-select.default.min.css",
    "sortable.js": "sortablejs/Sortable.min.js",
    "fullcalendar.js": "fullcalendar/index.global.min.js",
    "fullcalendar-locales.js": "@fullcalendar/core/locales-all.global.min.js",
    "chart.js": "chart.js/dist/chart.umd.min.js",
}

csrf = CSRFProtect()
login_manager = LoginManager()
log = logging.getLogger("passerelle")


def create_app(overrides: dict | None = None, *, extra_plugins: dict | None = None) -> Flask:
    """Build the application. ``overrides`` replace settings; ``extra_plugins`` adds plugins
    that are not installed as distributions (used by tests)."""
    instance_path = Path(
        (overrides or {}).get("INSTANCE_PATH") or settings_module.DEFAULT_INSTANCE
    ).resolve()
    settings = settings_module.load_settings(instance_path, overrides)
    theme_dir = THEMES_DIR / settings.get("THEME", "default")
    app = Flask(
        "passerelle",
        instance_path=str(instance_path),
        static_folder=str(theme_dir / "static"),
        template_folder=None,
        root_path=str(KERNEL_DIR),
    )
    app.config.update(settings)
    app.json = OrjsonProvider(app)
    app.url_map.converters["entity"] = EntityConverter
    # Served over HTTPS (BASE_URL), the cookies are never sent in clear, whatever the setting says.
    secure = bool(settings["SESSION_COOKIE_SECURE"]) or str(settings.get("BASE_URL") or "").startswith("https://")
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=settings.get("MAX_CONTENT_LENGTH", 20 * 1024 * 1024),
    )
    settings_module.private_folder(instance_path)  # personal data and secrets: owner only

    plugin_set = load_plugins(app.config.get("PASSERELLE_PLUGINS"), extra_plugins)
    _set_up_messaging(app, plugin_set)
    app.extensions["passerelle.plugins"] = plugin_set
    db.init_app(app)
    access_log.init_app(app)
    _register_entities(app, plugin_set)
    _register_permissions(app, plugin_set)
    # the plugins' reads sent with every signed-in request's session (kernel.security.sessions)
    app.extensions["passerelle.session_reads"] = plugin_set.collect("passerelle_session_reads")
    plugin_set.manager.register(LinkedRecordsPanels(), name="kernel.linked")
    _set_up_templates(app, plugin_set, theme_dir)
    slots.install(app, plugin_set)
    check_identifying_data(app, plugin_set)
    consent.install(app, plugin_set)
    init_i18n(app, _translation_dirs(plugin_set, theme_dir))
    _set_up_security(app)
    _register_blueprints(app, plugin_set)
    _register_cli(app, plugin_set)
    _register_error_handlers(app)
    _unknown_paths_answer_404(app)
    timing.install(app)  # Server-Timing by layer (issue 18)
    _trust_proxies(app)
    return app


def _trust_proxies(app: Flask) -> None:
    """Behind ``TRUSTED_PROXIES`` reverse proxies (nginx), the client's address, the scheme and the
    host are read from their X-Forwarded-* headers, so that throttling and the security log see
    the real client; without proxies those headers are ignored (any client could forge them)."""
    count = int(app.config.get("TRUSTED_PROXIES") or 0)
    if count > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count,
                                x_prefix=count)


def _set_up_messaging(app: Flask, plugin_set) -> None:
    """The outbox (its SMS provider, chosen once) and notifications, with their pages. The kernel's
    own hook implementations (automatic notifications, the outbox's sidebar entry) are registered
    after the plugins', through the same contract."""
    from kernel.views import notifications as notification_views
    from kernel.views import outbox as outbox_views

    outbox.init_app(app, plugin_set)
    notifications.init_app(app, plugin_set)
    plugin_set.manager.register(outbox_views.OutboxMenu(), name="kernel.outbox")
    app.register_blueprint(outbox_views.bp)
    app.register_blueprint(notification_views.bp)


def _register_entities(app: Flask, plugin_set) -> None:
    import kernel.models  # noqa: F401  kernel tables on the metadata

    registry = EntityRegistry()
    # get_hookimpls() lists plugins in registration order (lower ORDER first): keep it.
    for impl in plugin_set.manager.hook.passerelle_entities.get_hookimpls():
        for model in impl.function() or []:
            registry.register(model, impl.plugin_name)
    app.extensions["passerelle.entities"] = registry
    mark_indexed(db.engine, registry)


def _register_permissions(app: Flask, plugin_set) -> None:
    declared = KERNEL_PERMISSIONS + plugin_set.collect("passerelle_permissions")
    app.extensions["passerelle.permissions"] = PermissionRegistry(declared)


def _set_up_templates(app: Flask, plugin_set, theme_dir: Path) -> None:
    loaders = [FileSystemLoader(str(theme_dir / "templates"))]
    for plugin in plugin_set.enabled:
        folder = plugin.folder("templates")
        if folder:
            loaders.append(FileSystemLoader(str(folder)))
    loaders.append(FileSystemLoader(str(KERNEL_DIR / "templates")))
    app.jinja_loader = ChoiceLoader(loaders)

    app.jinja_env.globals.update(
        country_options=country_options, history_value=history_value, history_action=history_action,
        conditions_json=conditions_json, filter_shared_options=shared_options, entities=app.extensions["passerelle.entities"], fixed_url=fixed_url,
        icon=menu.icon, cached_fragment=menu.cached_fragment, record_url=record_url,
    )
    app.jinja_env.filters["safe_url"] = safe_url  # every href made of a stored address goes through it

    @app.context_processor
    def layout_context():
        context = {
            "languages": LANGUAGES, "roles": ROLES, "entities": app.extensions["passerelle.entities"],
            "current_locale": str(get_locale() or app.config["DEFAULT_LANGUAGE"]),
        }
        if current_user.is_authenticated:
            context["sidebar_sections"] = _sidebar_of_page
        # each plugin returns a dict (collect() would flatten it into its keys)
        for extra in reversed(plugin_set.manager.hook.passerelle_template_context()):
            context.update(extra or {})
        return context


def _sidebar_of_page() -> list:
    """The sidebar's sections for the current user and page (called by the layout only)."""
    plural = (request.view_args or {}).get("plural")
    return menu.sidebar_sections(current_user, menu.catalogue(), request.path,
                                 plural if isinstance(plural, str) else None)


def _translation_dirs(plugin_set, theme_dir: Path) -> list[Path]:
    """Catalogues in merge order: later ones win, so the kernel's (and the theme's) translations
    of shared words ("Save", "Name") stay the same in every module."""
    dirs = [folder for plugin in plugin_set.enabled if (folder := plugin.folder("translations"))]
    if (theme_dir / "translations").is_dir():
        dirs.append(theme_dir / "translations")
    dirs.append(KERNEL_DIR / "translations")
    return dirs


def _csrf_token_of_the_request() -> str:
    """The templates' ``csrf_token()``: Flask-WTF's token, made once per request (Flask-WTF's own
    answer reads its settings and the request's namespace again at each of a page's forms)."""
    return once_per_request("_passerelle_csrf_token", generate_csrf)


def _set_up_security(app: Flask) -> None:
    from kernel.security import headers, lastseen, sessions

    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "warning"

    # Server-side sessions (kernel.security.sessions): the cookie lives as long as the longest
    # session may; the server ends it sooner (idle time, logout, password change, deactivation).
    # A "remember me" cookie goes through the same loader, so it cannot outlive its session.
    app.config["PERMANENT_SESSION_LIFETIME"] = sessions.age_limit_of(app.config)
    app.config["REMEMBER_COOKIE_DURATION"] = app.config["PERMANENT_SESSION_LIFETIME"]
    # The age limit counts from the sign-in and the idle time is kept by the server: signing the
    # cookie again on every answer would only cost time (and lengthen the cookie past the limit).
    app.config["SESSION_REFRESH_EACH_REQUEST"] = False
    app.session_interface = sessions.SignedCookies()

    @login_manager.user_loader
    def load_user(user_id):
        return sessions.user_for_session(user_id)

    @app.before_request
    def nobody_signed_in_without_a_cookie():
        # No cookie, no session and no "remember me": the user is anonymous from the start, and
        # Flask-Login does not hash the address and browser to guard a session that is not there
        # (every API call; a plugin's before-request hook that looks at current_user).
        if "HTTP_COOKIE" not in request.environ:
            g._login_user = login_manager.anonymous_user()

    @app.teardown_appcontext
    def write_last_seen(_exc):
        # After the request's own transaction is over (teardowns run last-registered first).
        db.end_request()
        lastseen.flush()

    app.jinja_env.globals["csp_nonce"] = headers.csp_nonce
    app.jinja_env.globals["csrf_token"] = _csrf_token_of_the_request

    @app.after_request
    def security_headers(response):
        return headers.apply_security_headers(response)


class EntityConverter(BaseConverter):
    """``<entity:plural>`` matches only the plural of an enabled entity, so that other paths
    (``/logout``, ``/favicon.ico``) are never mistaken for a module's list."""

    def to_python(self, value):
        if current_app.extensions["passerelle.entities"].by_plural(value) is None:
            raise ValidationError()
        return value


def _unknown_paths_answer_404(app: Flask) -> None:
    """Werkzeug checks a rule's methods before its converters: ``POST /api/v1/partners`` with the
    partners plugin disabled matches the path of the GET rule, whose entity converter would refuse
    it, and answered 405. A 405 is right only when some method reaches a view; otherwise the path
    does not exist, whatever the method: 404."""

    def not_found_unless_another_method_fits():
        error = request.routing_exception
        if isinstance(error, MethodNotAllowed) and not _some_method_fits(error.valid_methods or []):
            request.routing_exception = NotFound()

    app.before_request_funcs.setdefault(None, []).insert(0, not_found_unless_another_method_fits)


def _some_method_fits(methods: list[str]) -> bool:
    adapter = current_app.create_url_adapter(request)
    for method in methods:
        try:
            adapter.match(method=method)
        except (MethodNotAllowed, NotFound):
            continue
        except HTTPException:  # a redirect (trailing slash): the path exists
            return True
        return True
    return False


def _register_blueprints(app: Flask, plugin_set) -> None:
    from kernel.views import admin, api, auth, customisation, home, lists, navigation, profile, records
    from kernel.views import administration as administration_views
    from kernel.views import duplicates as duplicate_views
    from kernel.views import imports as import_views
    from kernel.views import security_log as security_log_views

    for blueprint in (auth.bp, home.bp, profile.bp, admin.bp, records.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(api.bp)
    app.register_blueprint(lists.bp)
    app.register_blueprint(import_views.bp)
    app.register_blueprint(customisation.bp)
    app.register_blueprint(navigation.bp)
    app.register_blueprint(security_log_views.bp)
    app.register_blueprint(administration_views.bp)
    csrf.exempt(api.bp)
    app.register_blueprint(profile.api_bp)  # POST /api/v1/tokens
    csrf.exempt(profile.api_bp)
    app.register_blueprint(duplicate_views.bp)
    app.register_blueprint(duplicate_views.api_bp)
    csrf.exempt(duplicate_views.api_bp)
    for blueprint in plugin_set.collect("passerelle_blueprints"):
        app.register_blueprint(blueprint)

    node_modules = Path(app.config.get("NODE_MODULES") or PROJECT_DIR / "node_modules")

    @app.route("/vendor/<name>")
    def vendor(name):
        if name not in VENDOR_FILES:
            raise NotFound()
        path = node_modules / VENDOR_FILES[name]
        return send_from_directory(path.parent, path.name, max_age=86400)

    @app.route("/favicon.ico")
    def favicon():
        return redirect(url_for("static", filename="favicon.svg"), code=301)

    @app.route("/plugins/<plugin>/static/<path:filename>")
    def plugin_static(plugin, filename):
        info = plugin_set.get(plugin)
        folder = info.folder("static") if info else None
        if folder is None:
            raise NotFound()
        return send_from_directory(folder, filename)


def _register_cli(app: Flask, plugin_set) -> None:
    for command in plugin_set.collect("passerelle_cli_commands"):
        app.cli.add_command(command)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _register_error_handlers(app: Flask) -> None:
    _refuse_unusable_input(app)

    @app.errorhandler(HTTPException)
    def http_error(error):
        if _wants_json():
            response = jsonify({"error": error.name, "message": error.description}), error.code
        else:
            response = _error_page(error.code, error=error, message=getattr(error, "shown_message", None))
        retry_after = getattr(error, "retry_after", None)  # 429, 503: when to come back
        return (*response, {"Retry-After": str(retry_after)}) if retry_after else response

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        g.csrf_failed = True
        return _error_page(400, error=error, message=_l(
            "The form expired or was sent twice. Go back, reload the page and try again: "
            "nothing was saved."))

    @app.errorhandler(InternalServerError)
    def server_error(error):
        return _error_answer(500, _l("Something went wrong. Nothing was saved."), error=error)

    # Safety nets: the kernel's save path turns these into the answers of a sequential save;
    # a plugin's own save that meets them still gets a clear answer, never a 500.
    @app.errorhandler(IntegrityError)
    @app.errorhandler(StaleDataError)
    def saved_at_the_same_moment(error):
        log.warning("a save lost a race: %s", error)
        return _error_answer(409, _l(
            "Someone else saved at the same moment: nothing was saved. Reload the page and try again."))

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def value_out_of_range(error):
        log.warning("the database refused a value: %s", error)
        return _error_answer(400, _l("A value sent is too large or not valid: nothing was saved."))

    @app.errorhandler(StorageUnavailable)
    def storage_unavailable(error):
        return _error_answer(503, error.description)

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        if not _database_unavailable(error):
            log.error("database error", exc_info=error)
            return _error_answer(500, _l("Something went wrong. Nothing was saved."))
        log.error("the database does not answer: %s", error)
        return _error_answer(503, _l("The database does not answer. Try again in a moment: nothing was saved."))


def _database_unavailable(error: OperationalError) -> bool:
    """A lost connection, a server that does not answer, a SQLite file locked too long: not a bug."""
    text = str(error.orig).lower()
    return error.connection_invalidated or any(words in text for words in (
        "database is locked", "unable to open database", "could not connect", "connection", "server closed"))


def _error_answer(status: int, message, error=None):
    """The answer to a request that failed after it started: its transaction is rolled back."""
    _roll_back_quietly()
    if _wants_json():
        return jsonify({"error": str(message)}), status
    return _error_page(status, error=error, message=message)


def _roll_back_quietly() -> None:
    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the database may be the very thing that failed
        log.warning("cannot roll back the failed request's transaction", exc_info=True)


def _error_page(status: int, *, error=None, message=None):
    """The themed error page; when the request's context cannot be rendered (the database does
    not answer, so the user cannot be loaded; a context processor fails), the same page for an
    anonymous visitor; failing that, a static page, translated all the same."""
    shown = error if isinstance(error, HTTPException) else _StatusOnly(status)
    try:
        return render_template("error.html", error=shown, message=message), status
    except Exception:  # noqa: BLE001 - an error page must not fail
        log.exception("cannot render the error page")
    _roll_back_quietly()
    g._login_user = login_manager.anonymous_user()  # Flask-Login's current_user, without the database
    try:
        with _forced_locale():
            return render_template("error.html", error=shown, message=message), status
    except Exception:  # noqa: BLE001
        log.exception("cannot render the error page for an anonymous visitor")
    return _static_error_page(status, message), status


class _StatusOnly:
    """What ``error.html`` reads of an error, for an answer that is not an HTTP exception."""

    def __init__(self, code: int):
        self.code = code


def _forced_locale():
    """The visitor's language without reading their user record (it needs the database)."""
    from flask import session
    from flask_babel import force_locale

    chosen = session.get("language") if session else None
    if chosen not in LANGUAGES:
        chosen = request.accept_languages.best_match(list(LANGUAGES)) or current_app.config["DEFAULT_LANGUAGE"]
    return force_locale(chosen)


def _static_error_page(status: int, message=None) -> str:
    from markupsafe import escape

    from kernel.i18n import gettext

    try:
        with _forced_locale():
            language = str(get_locale() or "en")
            text = str(message) if message else gettext("Something went wrong. Nothing was saved.")
            back = gettext("Back to the dashboard")
    except Exception:  # noqa: BLE001 - not even the catalogue: English
        language, text, back = "en", "Something went wrong. Nothing was saved.", "Back to the dashboard"
    return (f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8"><title>{status} · '
            f'Passerelle</title></head><body><main><h1>{status}</h1><p>{escape(text)}</p>'
            f'<p><a href="/">{escape(back)}</a></p></main></body></html>')


# -- input no database can take ------------------------------------------------------------------
NUMBER_ARGUMENTS = frozenset({"page", "per_page", "pos", "limit"})
# The bodies werkzeug reads as a form (request.form is empty for any other, but costs its parser)
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def _refuse_unusable_input(app: Flask) -> None:
    """One check of what comes in before any view reads it: text a database cannot store (a NUL,
    a lone surrogate), numbers no SQL integer holds, JSON nested beyond what the parser follows.
    Each is a clear 4xx here instead of a crash somewhere further."""
    from kernel.listing import MAX_RECORD_ID

    @app.url_value_preprocessor
    def ids_in_range(_endpoint, values):
        for value in (values or {}).values():
            if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_RECORD_ID:
                raise NotFound()

    @app.before_request
    def refuse_unusable_input():
        from kernel.schemas import OUT_OF_RANGE, UNSAVABLE_TEXT, savable_text

        for key, value in request.args.items(multi=True):
            if not (savable_text(key) and savable_text(value)):
                return _input_refused(400, UNSAVABLE_TEXT, key)
            if _is_number_argument(key) and _too_large(value):
                return _input_refused(400, OUT_OF_RANGE, key)
        for key, value in (request.form.items(multi=True) if request.mimetype in FORM_TYPES else ()):
            if not (savable_text(key) and savable_text(value)):
                return _input_refused(422, UNSAVABLE_TEXT, key)
        if request.is_json:
            try:
                body = request.get_json(silent=True)
            except RecursionError:
                return _input_refused(400, _l("The JSON sent is nested too deeply."))
            unsavable = _first_unsavable(body, savable_text)
            if unsavable is not None:
                return _input_refused(422, UNSAVABLE_TEXT, unsavable)
        return None


def _is_number_argument(key: str) -> bool:
    return key in NUMBER_ARGUMENTS or key.endswith("_id")


def _too_large(value: str) -> bool:
    from kernel.listing import MAX_RECORD_ID

    digits = value.strip().lstrip("-")
    return digits.isascii() and digits.isdigit() and (len(digits) > 10 or int(digits) > MAX_RECORD_ID)


def _first_unsavable(body, savable_text) -> str | None:
    """The key (or ``"_body"``) of the first text in a JSON document that cannot be saved."""
    pending = [("_body", body)]
    while pending:  # no recursion: the document may be as deep as the parser allows
        key, value = pending.pop()
        if isinstance(value, dict):
            for name, item in value.items():
                if not savable_text(name):
                    return "_body"
                pending.append((name if key == "_body" else key, item))
        elif isinstance(value, list):
            pending.extend((key, item) for item in value)
        elif not savable_text(value):
            return key
    return None


def _input_refused(status: int, message, field: str | None = None):
    if _wants_json():
        _answer_in_the_api_users_language()
    if _wants_json() or request.is_json:
        body = {"error": str(message)}
        if field:
            body["errors"] = {field: [str(message)]}
        return jsonify(body), status
    return _error_page(status, message=message)


def _answer_in_the_api_users_language() -> None:
    """The API authenticates in its views, after this check: read the token's user (read only) so
    that the refusal is in their language, as the view's answers are."""
    from kernel.users import user_for_token

    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        user = user_for_token(token.strip())
        if user is not None:
            g._login_user = user
