"""``passerelle plugin new NAME``: a working module package. It installs with ``pip install -e``,
its own tests (written with the testing kit) pass, and the application shows its list page at
the next start. A name that cannot be a new plugin's is refused with a clear message.

The package is installed into a throw-away virtual environment layered over the project's (it
sees every installed package through a ``.pth`` file): installing it into the shared one would
enable it in every other test run of the machine while this test runs."""

import os
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from kernel.cli import main

NAME = "bike_loans"


def new_plugin(*args):
    return CliRunner().invoke(main, ["plugin", "new", *args])


@pytest.mark.parametrize(("name", "problem"), [
    ("Bike-Loans", "is not a valid plugin name"),
    ("class", "is not a valid plugin name"),
    ("clients", "a plugin named 'clients' is already installed"),
    ("json", "already the name of an importable Python module"),
    ("user", "the table 'users' already belongs to"),
])
def test_a_name_that_cannot_be_a_new_plugins_is_refused(tmp_path, name, problem):
    result = new_plugin(name, "--directory", str(tmp_path))

    assert result.exit_code == 1 and problem in result.output
    assert "Traceback" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_not_overwritten(tmp_path):
    (tmp_path / "passerelle-bike-loans").mkdir()

    result = new_plugin(NAME, "--directory", str(tmp_path))

    assert result.exit_code == 1 and "already exists" in result.output
    assert list((tmp_path / "passerelle-bike-loans").iterdir()) == []


def test_the_default_directory_is_where_the_command_is_typed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    result = new_plugin(NAME)

    assert result.exit_code == 0, result.output
    assert (tmp_path / "passerelle-bike-loans" / "bike_loans" / "translations" / "fr" / "LC_MESSAGES"
            / "messages.po").is_file()


def run(*command, cwd=None, env=None):
    result = subprocess.run([str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True,
                            check=False, timeout=600)
    assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The package made by the real command, in a fresh process."""
    folder = tmp_path_factory.mktemp("generated")
    output = run(sys.executable, "-m", "kernel.cli", "plugin", "new", NAME, "--directory", folder)
    assert "pip install -e" in output
    return folder / "passerelle-bike-loans"


@pytest.fixture(scope="module")
def environment(tmp_path_factory, generated):
    """A virtual environment that sees the project's packages, with the package pip-installed in it."""
    venv = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site_packages = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip()
    project_site = sysconfig.get_paths()["purelib"]
    Path(site_packages, "_passerelle.pth").write_text(f"import site; site.addsitedir({project_site!r})\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "-e", generated)
    yield python
    run(sys.executable, "-m", "pip", "--python", python, "uninstall", "--yes", "--quiet", "passerelle-bike-loans")


def test_the_package_has_every_part_of_a_module(generated):
    package = generated / NAME
    pyproject = (generated / "pyproject.toml").read_text()
    assert '[project.entry-points."passerelle.plugins"]\nbike_loans = "bike_loans"' in pyproject
    assert '"passerelle"' in pyproject
    init = (package / "__init__.py").read_text()
    assert "LABEL = " in init and "ORDER = " in init and "REQUIRES = " in init and "@hookimpl" in init
    assert "class BikeLoan(Record, Assignable)" in (package / "models.py").read_text()
    assert (package / "templates" / NAME / "about.html").is_file()
    [revision] = (package / "migrations" / "versions").glob("*.py")
    assert "op.create_table('bike_loans'" in revision.read_text()
    catalogue = (package / "translations" / "fr" / "LC_MESSAGES" / "messages.po").read_text()
    assert 'msgid "About this module"\nmsgstr "À propos de ce module"' in catalogue
    assert 'msgid "Bike loans"' in catalogue
    assert (generated / "tests" / f"test_{NAME}.py").is_file()
    assert "*.mo" in (generated / ".gitignore").read_text()


def test_the_package_imports_nothing_of_the_kernel_but_the_toolkit(generated):
    sources = "\n".join(path.read_text() for path in (generated / NAME).glob("*.py"))
    imports = [line for line in sources.splitlines() if line.startswith(("from kernel", "import kernel"))]
    assert imports and all(line.startswith("from kernel.toolkit import") for line in imports)


def test_the_generated_tests_pass_with_the_testing_kit(environment, generated):
    output = run(environment, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=generated)

    assert "4 passed" in output


START_AND_LIST = textwrap.dedent("""
    from kernel.app import create_app
    from kernel.testing import csrf_token_from

    app = create_app()
    print("enabled:", ",".join(app.extensions["passerelle.plugins"].names()))
    client = app.test_client()
    token = csrf_token_from(client.get("/login").data)
    client.post("/login", data={"email": "ines@example.org", "password": "Loan-desk-2026!", "csrf_token": token})
    page = client.get("/bike_loans/")
    print("status:", page.status_code)
    print(page.get_data(as_text=True))
""")


def test_the_installed_module_shows_up_at_the_next_start(environment, tmp_path):
    env = {**os.environ, "PASSERELLE_INSTANCE": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
           "DEMO_DATA": "false", "PASSERELLE_CONFIG": str(tmp_path / "none.toml")}
    env.pop("PASSERELLE_PLUGINS", None)
    passerelle = [environment, "-m", "kernel.cli"]
    run(*passerelle, "db", "upgrade", env=env)
    run(*passerelle, "users", "create", "--email", "ines@example.org", "--role", "staff", "--name", "Inès",
        "--language", "en", "--password", "Loan-desk-2026!", env=env)

    output = run(environment, "-c", START_AND_LIST, env=env)

    assert "bike_loans" in output.splitlines()[0]
    assert "status: 200" in output
    assert "Bike loans" in output and "Create a bike loan" in output
