"""``passerelle directory import-hsds PATH`` and ``export-hsds PATH``."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from kernel.toolkit import db, record_export
from plugins.directory.hsds_load import Report, load_tables
from plugins.directory.hsds_read import PackageError, read_package
from plugins.directory.hsds_write import DEFAULT_SCHEMA_FOLDER, InvalidExport, write_package
from plugins.directory.starter_synonyms import load_starter_synonyms

directory = AppGroup("directory", help="Resource directory: HSDS 3 import and export, starter synonyms.")


def import_package(path: Path, accept_rejections: bool = False, progress: bool = True) -> tuple[Report, bool]:
    """Read and load a package in one transaction; returns (report, committed)."""
    tables = read_package(path)
    report = Report()
    total = sum(len(rows) for rows in tables.values())
    with click.progressbar(length=total, label="Importing", show_pos=True,
                           file=None if progress else open("/dev/null", "w")) as bar:  # noqa: SIM115
        try:
            load_tables(tables, report, on_row=lambda: bar.update(1))
        except Exception:
            db.session.rollback()
            raise
    if report.rejected and not accept_rejections:
        db.session.rollback()
        return report, False
    db.session.commit()
    return report, True


@directory.command("import-hsds")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--accept-rejections", is_flag=True,
              help="Load the valid rows even when some are rejected (by default nothing is loaded).")
def import_hsds(path: Path, accept_rejections: bool):
    """Import an HSDS 3 package: a folder of CSV files, or HSDS JSON objects."""
    try:
        report, committed = import_package(path, accept_rejections)
    except PackageError as error:
        raise click.ClickException(f"Nothing was loaded: {error}") from error
    for note in report.notes:
        click.echo(f"note: {note}")
    for rejection in report.rejected:
        click.echo(f"rejected: {rejection}", err=True)
    summary = ", ".join(f"{table} {count}" for table, count in report.loaded.items())
    if not committed:
        raise click.ClickException(f"Nothing was loaded: {len(report.rejected)} rows rejected "
                                   "(fix them or use --accept-rejections).")
    click.echo(f"Loaded: {summary or 'nothing'}; rejected: {len(report.rejected)}")


@directory.command("export-hsds")
@click.argument("path", type=click.Path(file_okay=False, path_type=Path))
@click.option("--schemas", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=DEFAULT_SCHEMA_FOLDER, show_default=True, help="Folder of the HSDS 3 JSON Schemas.")
def export_hsds(path: Path, schemas: Path):
    """Export the directory as an HSDS 3 CSV data package checked against the JSON Schemas."""
    try:
        counts = write_package(path, schemas)
    except InvalidExport as error:
        raise click.ClickException(f"The export does not follow the HSDS schemas:\n{error}") from error
    record_export("hsds", entity="resource", via="command line", path=str(path), counts=counts)
    click.echo("Exported: " + ", ".join(f"{table} {count}" for table, count in counts.items()))


@directory.command("load-synonyms")
def load_synonyms():
    """Add the starter bilingual synonym groups (food / nourriture…) when there is no group yet."""
    added = load_starter_synonyms(db.session.connection())
    db.session.commit()
    click.echo(f"Synonym groups added: {added}" if added else
               "Nothing added: the directory has synonym groups already (edit them under Search synonyms).")
