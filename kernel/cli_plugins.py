"""``passerelle plugin new NAME``: start a module of one's own."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("plugin")
def plugin_group():
    """Modules (plugins) of one's own."""


@plugin_group.command("new")
@click.argument("name")
@click.option("--directory", default=".", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder in which the package's folder (passerelle-NAME) is created.")
def plugin_new(name, directory):
    """Create the package of a new module NAME: pyproject.toml with its entry point, a model,
    hooks, a template, its first migration, a French catalogue and a test that passes."""
    from kernel.scaffold import ScaffoldError, create_plugin

    try:
        project = create_plugin(name, directory)
    except ScaffoldError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {project}. Next:\n"
               f"  pip install -e {project}   (Passerelle shows the module at its next start)\n"
               f"  passerelle db upgrade\n"
               f"  cd {project} && pytest\n"
               f"Translate the empty entries of {project / name / 'translations/fr/LC_MESSAGES/messages.po'}.")
