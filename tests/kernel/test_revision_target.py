"""``passerelle db revision --target NAME`` for a plugin that has no migrations yet: its
``migrations/versions`` folder is created and its first revision written there, without a
traceback and without SQLAlchemy warnings."""

import gc
import types
import warnings

from sqlalchemy import inspect

from kernel.cli import main
from kernel.db import db
from tests.kernel import tiny_plugin


def tiny_plugin_in(folder):
    """The tiny test plugin, as if its package were in ``folder`` (which has no migrations)."""
    module = types.ModuleType(tiny_plugin.__name__)
    module.__dict__.update(vars(tiny_plugin))
    package = folder / "tiny"
    package.mkdir()
    module.__file__ = str(package / "__init__.py")
    return module, package


def without_tiny_table(app):
    db.session.remove()
    tiny_plugin.Bookmark.__table__.drop(db.engine, checkfirst=True)


def revision(app, *args):
    db.session.remove()
    gc.collect()  # connections other tests left to the garbage collector warn now, not inside the command
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = app.test_cli_runner().invoke(main, ["db", "revision", *args])
    return result, [str(warning.message) for warning in caught if not _left_by_another_test(warning)]


def _left_by_another_test(warning) -> bool:
    """psycopg's warning about a connection the garbage collector finalises: one an earlier test
    left open, collected while the command runs (not the command's own)."""
    return issubclass(warning.category, ResourceWarning) and "was deleted while still open" in str(warning.message)


def test_a_plugins_first_revision_creates_its_versions_folder(make_app, tmp_path):
    module, package = tiny_plugin_in(tmp_path)
    app = make_app(extra_plugins={"tiny": module})
    with app.app_context():
        without_tiny_table(app)
        result, caught = revision(app, "--target", "tiny", "-m", "bookmarks")

    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.exception is None
    assert caught == [], caught[:5]
    written = list((package / "migrations" / "versions").glob("*_bookmarks.py"))
    assert len(written) == 1
    source = written[0].read_text()
    assert "op.create_table('tiny_bookmarks'" in source and "branch_labels = ('tiny',)" in source


def test_an_unknown_target_is_a_clear_error(app):
    result, _ = revision(app, "--target", "nosuch", "-m", "anything")

    assert result.exit_code != 0
    assert "no enabled plugin named 'nosuch'" in result.output and "kernel" in result.output
    assert "Traceback" not in result.output


def test_the_database_is_not_changed_by_writing_a_revision(make_app, tmp_path):
    module, _package = tiny_plugin_in(tmp_path)
    app = make_app(extra_plugins={"tiny": module})
    with app.app_context():
        without_tiny_table(app)
        revision(app, "--target", "tiny", "-m", "bookmarks")
        with db.engine.connect() as connection:
            assert "tiny_bookmarks" not in inspect(connection).get_table_names()
