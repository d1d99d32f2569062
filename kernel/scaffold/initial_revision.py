"""``python -m kernel.scaffold.initial_revision NAME PROJECT``: autogenerate the first migration of
the new plugin NAME, whose package is in the folder PROJECT (not installed yet), against an empty
temporary SQLite database."""

from __future__ import annotations

import importlib
import sys
import tempfile
from pathlib import Path


def main(name: str, project: str) -> None:
    from kernel import migrate
    from kernel.app import create_app
    from kernel.db import db

    sys.path.insert(0, project)
    module = importlib.import_module(name)
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app({
            "DATABASE_URL": f"sqlite:///{Path(scratch) / 'scaffold.db'}", "INSTANCE_PATH": scratch,
            "SECRET_KEY": "scaffold", "PASSERELLE_PLUGINS": name, "DEMO_DATA": False, "SMTP_HOST": None,
        }, extra_plugins={name: module})
        with app.app_context():
            migrate.revision(name, name.replace("_", " "))
            db.engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:3])
