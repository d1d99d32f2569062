"""``passerelle backup`` while people keep working, then ``passerelle restore`` into an empty
database: every record committed before the backup began is back, the database is whole and
its migrations are at their newest; restore refuses to overwrite data without --force."""

import threading
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from kernel import migrate
from kernel.app import create_app
from kernel.cli import main
from kernel.db import db, make_engine
from plugins.clients.models import Client


class Writer(threading.Thread):
    """Creates clients one transaction at a time until stopped; remembers the ids committed."""

    def __init__(self, app):
        super().__init__(daemon=True)
        self.app = app
        self.committed: list[int] = []
        self.stop = threading.Event()
        self.first_commit = threading.Event()

    def run(self):
        with self.app.app_context():
            number = 0
            while not self.stop.is_set():
                number += 1
                client = Client(last_name=f"Écrit {number}", first_name="Pendant")
                db.session.add(client)
                db.session.commit()
                self.committed.append(client.id)
                self.first_commit.set()
            db.session.remove()


def restore_target(database_url: str, tmp_path) -> str:
    """An empty database of the same kind: a new SQLite file, or ``<name>b`` on the same server."""
    if database_url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'restored' / 'passerelle.db'}"
    url = make_url(database_url)
    target = url.set(database=f"{url.database}b")
    server = make_engine(database_url).execution_options(isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}):
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    server.dispose()
    engine = make_engine(target.render_as_string(hide_password=False))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return target.render_as_string(hide_password=False)


@contextmanager
def other_database(original_app, settings, tmp_path):
    """An app on an empty database and instance folder; the kernel's one database handle points
    at it until the end, then at the test's database again."""
    url = restore_target(settings["DATABASE_URL"], tmp_path)
    app = create_app({**settings, "DATABASE_URL": url, "INSTANCE_PATH": str(tmp_path / "restored")})
    try:
        with app.app_context():
            yield app
    finally:
        db.session.remove()
        db.engine.dispose()
        db.init_app(original_app)


def cli(app, *args):
    return app.test_cli_runner().invoke(main, [*map(str, args)])


def test_a_backup_taken_during_writes_restores_every_record_committed_before_it(app, settings, tmp_path):
    (Path(app.instance_path) / "documents").mkdir(exist_ok=True)
    (Path(app.instance_path) / "documents" / "cv.txt").write_text("Curriculum")
    writer = Writer(app)
    writer.start()
    assert writer.first_commit.wait(60)
    before = set(writer.committed)
    result = cli(app, "backup", tmp_path / "nightly")
    writer.stop.set()
    writer.join(60)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "nightly.tar.gz").exists()

    db.session.remove()
    with other_database(app, settings, tmp_path) as restored_app:
        result = cli(restored_app, "restore", tmp_path / "nightly.tar.gz")
        assert result.exit_code == 0, result.output
        restored = set(db.session.scalars(select(Client.id).where(Client.first_name == "Pendant")))
        assert migrate.pending() == []
        if db.engine.dialect.name == "sqlite":
            assert db.session.scalar(text("PRAGMA integrity_check")) == "ok"
        db.session.remove()
    assert before <= restored <= set(writer.committed)
    assert (tmp_path / "restored" / "documents" / "cv.txt").read_text() == "Curriculum"


def test_restore_refuses_to_overwrite_a_database_with_data_unless_forced(app, tmp_path):
    db.session.add(Client(last_name="Avant", first_name="Sauvegarde"))
    db.session.commit()
    assert cli(app, "backup", tmp_path / "copy.tar.gz").exit_code == 0
    db.session.add(Client(last_name="Après", first_name="Sauvegarde"))
    db.session.commit()
    db.session.remove()

    refused = cli(app, "restore", tmp_path / "copy.tar.gz")
    assert refused.exit_code != 0
    assert "the database is not empty" in refused.output
    names = set(db.session.scalars(select(Client.last_name)))
    assert names == {"Avant", "Après"}
    db.session.remove()

    forced = cli(app, "restore", "--force", tmp_path / "copy.tar.gz")
    assert forced.exit_code == 0, forced.output
    assert set(db.session.scalars(select(Client.last_name))) == {"Avant"}


def test_restore_says_when_the_file_is_not_a_backup(app, tmp_path):
    (tmp_path / "notes.tar.gz").write_bytes(b"not an archive")
    result = cli(app, "restore", tmp_path / "notes.tar.gz")
    assert result.exit_code != 0
    assert "is not a Passerelle backup" in result.output
