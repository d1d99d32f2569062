"""The ``passerelle`` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import force_locale

from kernel.db import db
from kernel.permissions import ROLES


def _create_app():
    from kernel.app import create_app
    from kernel.plugins import PluginError

    try:
        return create_app()
    except PluginError as error:  # one clear line, not a traceback
        click.echo(start_error_line(error), err=True)
        sys.exit(2)


def start_error_line(error) -> str:
    """``PluginError`` in the installation's language (``DEFAULT_LANGUAGE``), on one line."""
    from babel.support import Translations

    from kernel import config
    from kernel.i18n import compile_catalogue

    catalogues = Path(__file__).parent / "translations"
    try:
        language = config.load_settings(config.DEFAULT_INSTANCE).get("DEFAULT_LANGUAGE") or "en"
        compile_catalogue(catalogues)
        translations = Translations.load(str(catalogues), [language])
    except Exception:  # a broken config file is reported once the plugins are fixed: say this first
        translations = Translations()
    problem = error.translated(translations.gettext)
    return translations.gettext("Passerelle cannot start: %(problem)s") % {"problem": problem}


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False, add_version_option=False)
def main():
    """Passerelle: a CRM for community organisations."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=click.IntRange(min=1),
              help="Processes serving requests (about one per CPU core).")
@click.option("--threads", default=2, show_default=True, type=click.IntRange(min=1),
              help="Requests each process serves at the same time (idle connections wait without one).")
@click.option("--timeout", default=60, show_default=True, type=click.IntRange(min=1),
              help="Seconds a request may run before its process is restarted.")
@click.option("--keepalive", default=5, show_default=True, type=click.IntRange(min=1),
              help="Seconds an idle connection is kept open.")
@click.option("--no-setup", is_flag=True, help="Do not apply migrations or create the first user.")
@click.option("--no-worker", is_flag=True, help="Do not start `passerelle worker` alongside (run it yourself).")
@with_appcontext
def serve(host, port, workers, threads, timeout, keepalive, no_setup, no_worker):
    """Serve the application with gunicorn (migrations and first-start set-up first), with a
    background worker that sends the outbox's e-mails and SMS (started again if it dies)."""
    from kernel.serve import PasserelleServer, ServeOptions
    from kernel.setup import first_start, login_banner

    if not no_setup:
        first_start(load_demo=current_app.config.get("DEMO_DATA", True))
        click.echo(login_banner())
        click.echo(f"  Open http://{host}:{port}\n")
    db.session.remove()
    db.engine.dispose()  # workers open their own connections
    supervisor = None if no_worker else start_background_worker()
    options = ServeOptions(host=host, port=port, workers=workers, threads=threads, timeout=timeout,
                           keepalive=keepalive, database_pool_size=pool_size_for(threads))
    try:
        PasserelleServer(options, supervisor).run()
    finally:
        if supervisor is not None:
            supervisor.stop()


def pool_size_for(threads: int) -> int:
    """The database connections a worker keeps: the setting, or more when the worker serves more
    requests at once (one per thread, and two to spare for the worker's own reads)."""
    return max(current_app.config.get("DATABASE_POOL_SIZE") or 10, threads + 2)


def start_background_worker():
    """``passerelle worker`` as a supervised child process, stopped when ``serve`` exits."""
    from kernel.serve import WorkerSupervisor

    supervisor = WorkerSupervisor()
    supervisor.start()
    click.echo("  Background worker started (outbox: e-mails and SMS); started again if it stops.")
    return supervisor


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Write the database and the instance folder (secret key, uploads) to one archive PATH
    (.tar.gz), while the server keeps running."""
    from kernel import backup

    try:
        written = backup.backup(path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {written} (it holds personal data: keep it safe).")


@main.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(path, force):
    """Put back the database and the instance files of a backup archive PATH (stop serve first)."""
    from kernel import backup, migrate

    try:
        report = backup.restore(path, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Restored the {report.database} database of {report.taken_at} and {report.files} instance files.")
    behind = migrate.pending()
    if behind:
        click.echo("This backup is older than the code: run `passerelle db upgrade` (behind: " + ", ".join(behind) + ").")


@main.group("db")
def db_group():
    """Database migrations."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade():
    """Apply the migrations of the kernel and of every enabled plugin."""
    from kernel import migrate

    migrate.upgrade()
    click.echo("Database is up to date.")


@db_group.command("downgrade", context_settings={"ignore_unknown_options": True})  # "-1" is a revision
@click.argument("target")
@click.argument("revision")
@with_appcontext
def db_downgrade(target, revision):
    """Undo migrations of TARGET ("kernel" or a plugin) down to REVISION: "-1" (the last one),
    "base" (all: its tables are dropped, with their data) or a revision id. Back up first."""
    from alembic.util import CommandError

    from kernel import migrate

    try:
        migrate.downgrade(target, revision)
    except (ValueError, CommandError) as error:
        raise click.ClickException(str(error)) from error
    current = ", ".join(sorted(migrate.current_revisions(target))) or "base"
    click.echo(f"{target} is now at {current}.")


@db_group.command("status")
@with_appcontext
def db_status():
    """Say which parts have migrations still to apply."""
    from kernel import migrate

    behind = migrate.pending()
    click.echo("Up to date." if not behind else "Behind: " + ", ".join(behind))
    raise SystemExit(1 if behind else 0)


@db_group.command("revision")
@click.option("--target", required=True, help='"kernel" or a plugin name')
@click.option("-m", "--message", required=True)
@click.option("--empty", is_flag=True, help="Do not compare the models with the database.")
@with_appcontext
def db_revision(target, message, empty):
    """Write a new migration for the kernel or a plugin (autogenerated from the models); a
    plugin's first one creates its migrations/versions folder."""
    from alembic.util import CommandError

    from kernel import migrate

    try:
        migrate.revision(target, message, autogenerate=not empty)
    except (ValueError, CommandError) as error:
        raise click.ClickException(str(error)) from error


@main.command()
@with_appcontext
def setup():
    """Apply migrations and, on an empty database, create the administrator and demo data."""
    from kernel.setup import first_start, login_banner

    first_start(load_demo=current_app.config.get("DEMO_DATA", True))
    click.echo(login_banner())


@main.group("users")
def users_group():
    """Manage users."""


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(list(ROLES)))
@click.option("--name", default=None, help="Full name (defaults to the e-mail's local part).")
@click.option("--language", default="fr", type=click.Choice(["fr", "en"]), show_default=True)
@click.option("--password", default=None, help="Asked for when not given.")
@with_appcontext
def users_create(email, role, name, language, password):
    """Create a user (the password is asked for when not given)."""
    from kernel.contact_values import EmailNotValidError, normalized_email
    from kernel.security import events
    from kernel.security.events import record_event
    from kernel.security.passwords import password_problem
    from kernel.users import User, find_user_by_email

    try:
        email = normalized_email(email)
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="--email") from error
    if find_user_by_email(email):
        raise click.ClickException(f"a user with the e-mail {email} already exists")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with force_locale("en"):
        problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    user = User(email=email, name=name or email.split("@")[0], role=role, language=language)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    record_event(events.USER_CREATED, user=None, email=None, target_type="user", target_id=user.id, role=role,
                 by="command line")
    db.session.commit()
    click.echo(f"Created {role} {email}.")


@main.group("tokens")
def tokens_group():
    """Manage personal API tokens."""


@tokens_group.command("create")
@click.option("--email", required=True)
@click.option("--name", default="CLI token", show_default=True)
@click.option("--expires-in-days", type=click.IntRange(min=1, max=36500), default=None,
              help="The token stops working after this many days (never, when not given).")
@with_appcontext
def tokens_create(email, name, expires_in_days):
    """Create a personal API token for a user and print it (it is shown only once). The command
    line is trusted: no password is asked for."""
    from datetime import timedelta

    from kernel.db import utcnow
    from kernel.security import events
    from kernel.users import create_token, find_user_by_email

    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user with the e-mail {email}")
    expires_at = utcnow() + timedelta(days=expires_in_days) if expires_in_days else None
    token = create_token(user, name, expires_at)
    events.record_event(events.TOKEN_CREATED, user=user, name=name, via="command line")
    db.session.commit()
    click.echo(token)


@main.command()
@click.option("--once", is_flag=True, help="Drain the outbox and run the jobs once, then exit.")
@click.option("--interval", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between two passes.")
@click.option("--stop-with", "parent_pid", default=None, type=int, hidden=True,
              help="Stop when this process (the `serve` that started the worker) is gone.")
@with_appcontext
def worker(once, interval, parent_pid):
    """Send the queued e-mails and SMS and run the plugins' periodic jobs (SIGTERM stops it)."""
    import logging

    from kernel import worker as background

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if once:
        report = background.run_once()
        click.echo(f"Outbox: {report.sent} sent, {report.retrying} to retry, {report.failed} failed.")
        return
    click.echo(f"Worker started: a pass every {interval:g} s (SIGTERM or Ctrl-C to stop).")
    background.run_forever(interval, stop_with=parent_pid)
    click.echo("Worker stopped.")


@main.group("duplicates")
def duplicates_group():
    """Duplicate detection."""


@duplicates_group.command("reindex")
@click.argument("entity_name", required=False)
@click.option("--batch-size", default=2000, show_default=True, type=click.IntRange(min=1))
@with_appcontext
def duplicates_reindex(entity_name, batch_size):
    """Rebuild the duplicate keys of existing records (every entity with a duplicate rule, or ENTITY)."""
    from kernel.duplicates import reindex, rule_of
    from kernel.registry import entities

    chosen = [entity for entity in entities() if rule_of(entity) is not None]
    if entity_name:
        chosen = [entity for entity in chosen if entity_name in (entity.name, entity.plural)]
        if not chosen:
            raise click.ClickException(f"no enabled entity {entity_name!r} with a duplicate rule")
    def every_100_000(done):
        if done % 100_000 < batch_size:
            click.echo(f"  {done:,} …")

    for entity in chosen:
        count = reindex(entity, batch_size, progress=every_100_000)
        click.echo(f"{entity.name}: keys rebuilt for {count:,} records.")


@main.command("import")
@click.argument("entity_name")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--mapping", "mapping_source", default="auto", show_default=True,
              help='"auto" (columns matched to fields by their names, in English or French) or a JSON '
                   'file {"column": "field"}.')
@click.option("--duplicates", type=click.Choice(["skip", "update", "create"]), default="skip", show_default=True,
              help="What to do with a row that matches an existing record.")
@click.option("--user", "email", default=None, help="E-mail of the importing user (author of the records).")
@with_appcontext
def import_csv(entity_name, file, mapping_source, duplicates, email):
    """Import the rows of a CSV FILE as records of ENTITY (its name or plural, e.g. clients)."""
    from pathlib import Path

    from kernel import importer
    from kernel.users import find_user_by_email

    file = Path(file)
    entity = importer.entity_named(entity_name)
    if entity is None:
        raise click.ClickException(f"no enabled entity {entity_name!r}")
    user = find_user_by_email(email) if email else None
    if email and user is None:
        raise click.ClickException(f"no user with the e-mail {email}")
    if user is not None and not entity.can(user, "create"):
        raise click.ClickException(f"{email} may not create {entity.plural}")
    data = file.read_bytes()
    with importer.as_user(user):
        try:
            csv_file = importer.open_file(entity, data)
            mapping = importer.shell_mapping(entity, csv_file.headers, mapping_source)
        except importer.ImportFileError as error:
            raise click.ClickException(str(error.message)) from error
        problems = importer.mapping_problems(entity, mapping)
    if problems:
        raise click.ClickException(" ".join(problems))
    ignored = importer.unmapped_headers(csv_file.headers, mapping)
    if ignored:
        click.echo("Columns not imported (no matching field): " + ", ".join(ignored))
    job = importer.new_job(entity, user, file.name, data, csv_file, mapping, duplicates)
    db.session.commit()
    importer.claim(job.id)
    with click.progressbar(length=csv_file.row_count, label=f"Importing {file.name}") as bar:
        job = importer.run_import(job.id, on_progress=lambda counters: bar.update(counters.processed - bar.pos))
    if job.status == importer.FAILED:
        raise click.ClickException(job.error)
    click.echo(f"{job.total} rows read: {job.created} created, {job.updated} updated, "
               f"{job.skipped} skipped, {job.rejected} rejected.")
    rejected = file.with_name(file.name + ".rejected.csv")
    if importer.copy_rejected(job, rejected):
        click.echo(f"Rejected rows, with the reason: {rejected}")


def _add_module_author_commands():
    """``passerelle plugin new`` and ``passerelle translations update`` (in their own modules)."""
    from kernel.cli_plugins import plugin_group
    from kernel.cli_translations import translations_group

    main.add_command(plugin_group)
    main.add_command(translations_group)


_add_module_author_commands()


if __name__ == "__main__":
    main()
