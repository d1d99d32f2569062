"""The Flask application factory: plugins in, a running CRM out."""

from __future__ import annotations

import logging
import time
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
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import BaseConverter, ValidationError

from kernel import config as settings_module
from kernel import notifications, outbox
from kernel.countries import country_options
from kernel.db import db
from kernel.display import history_action, history_value
from kernel.entities import EntityRegistry
from kernel.filters import conditions_json
from kernel.i18n import LANGUAGES, init_i18n
from kernel.i18n import lazy_gettext as _l
from kernel.linked import LinkedRecordsPanels
from kernel.menu import fixed_url, sidebar_modules
from kernel.permissions import KERNEL_PERMISSIONS, ROLES, PermissionRegistry
from kernel.plugins import load_plugins
from kernel.ratelimit import limiter
from kernel.search_index import mark_indexed
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
    app.url_map.converters["entity"] = EntityConverter
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=settings["SESSION_COOKIE_SECURE"],
        REMEMBER_COOKIE_HTTPONLY=True,
        WTF_CSRF_TIME_LIMIT=None,
        MAX_CONTENT_LENGTH=settings.get("MAX_CONTENT_LENGTH", 20 * 1024 * 1024),
    )
    settings_module.private_folder(instance_path)  # personal data and secrets: owner only

    plugin_set = load_plugins(app.config.get("PASSERELLE_PLUGINS"), extra_plugins)
    _set_up_messaging(app, plugin_set)
    app.extensions["passerelle.plugins"] = plugin_set
    db.init_app(app)
    _register_entities(app, plugin_set)
    _register_permissions(app, plugin_set)
    plugin_set.manager.register(LinkedRecordsPanels(), name="kernel.linked")
    _set_up_templates(app, plugin_set, theme_dir)
    init_i18n(app, _translation_dirs(plugin_set, theme_dir))
    _set_up_security(app)
    _register_blueprints(app, plugin_set)
    _register_cli(app, plugin_set)
    _register_error_handlers(app)
    _time_requests(app)
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


def _time_requests(app: Flask) -> None:
    """``Server-Timing: app;dur=…`` on every response: the server's own time, for benchmarks and
    browser developer tools."""

    @app.before_request
    def start_timer():
        g.request_started = time.perf_counter()

    @app.after_request
    def add_server_timing(response):
        started = g.get("request_started")
        if started is not None:
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response


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
    for impl in reversed(plugin_set.manager.hook.passerelle_entities.get_hookimpls()):
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
        conditions_json=conditions_json, entities=app.extensions["passerelle.entities"], fixed_url=fixed_url,
    )
    app.jinja_env.filters["safe_url"] = safe_url  # every href made of a stored address goes through it

    @app.context_processor
    def layout_context():
        context = {
            "languages": LANGUAGES, "roles": ROLES, "entities": app.extensions["passerelle.entities"],
            "current_locale": str(get_locale() or app.config["DEFAULT_LANGUAGE"]),
        }
        if current_user.is_authenticated:
            context["sidebar"] = sidebar_modules(
                current_user, app.extensions["passerelle.entities"], _menu_items(plugin_set)
            )
        # each plugin returns a dict (collect() would flatten it into its keys)
        for extra in reversed(plugin_set.manager.hook.passerelle_template_context()):
            context.update(extra or {})
        return context


def _menu_items(plugin_set) -> list:
    return plugin_set.collect("passerelle_menu_items")


def _translation_dirs(plugin_set, theme_dir: Path) -> list[Path]:
    """Catalogues in merge order: later ones win, so the kernel's (and the theme's) translations
    of shared words ("Save", "Name") stay the same in every module."""
    dirs = [folder for plugin in plugin_set.enabled if (folder := plugin.folder("translations"))]
    if (theme_dir / "translations").is_dir():
        dirs.append(theme_dir / "translations")
    dirs.append(KERNEL_DIR / "translations")
    return dirs


def _set_up_security(app: Flask) -> None:
    from kernel.security import lastseen, sessions

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

    @login_manager.user_loader
    def load_user(user_id):
        return sessions.user_for_session(user_id)

    @app.teardown_appcontext
    def write_last_seen(_exc):
        # After the request's own transaction is over (teardowns run last-registered first).
        db.session.remove()
        lastseen.flush()

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


class EntityConverter(BaseConverter):
    """``<entity:plural>`` matches only the plural of an enabled entity, so that other paths
    (``/logout``, ``/favicon.ico``) are never mistaken for a module's list."""

    def to_python(self, value):
        if current_app.extensions["passerelle.entities"].by_plural(value) is None:
            raise ValidationError()
        return value


def _register_blueprints(app: Flask, plugin_set) -> None:
    from kernel.views import admin, api, auth, customisation, home, lists, navigation, profile, records
    from kernel.views import duplicates as duplicate_views
    from kernel.views import imports as import_views

    for blueprint in (auth.bp, home.bp, profile.bp, admin.bp, records.bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(api.bp)
    app.register_blueprint(lists.bp)
    app.register_blueprint(import_views.bp)
    app.register_blueprint(customisation.bp)
    app.register_blueprint(navigation.bp)
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
    @app.errorhandler(HTTPException)
    def http_error(error):
        if _wants_json():
            return jsonify({"error": error.name, "message": error.description}), error.code
        return render_template("error.html", error=error), error.code

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        g.csrf_failed = True
        return render_template("error.html", error=error, message=_l(
            "The form expired or was sent twice. Go back, reload the page and try again: "
            "nothing was saved.")), 400
