"""What docs/deploy.md shows has been run: the nginx site passes ``nginx -t``, the systemd units
pass ``systemd-analyze verify``, the files in the documentation are the files in deploy/, and
every setting the page names is one Passerelle reads."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kernel.config import SETTINGS
from tests.deploy import nginx
from tests.deploy.processes import ROOT

DEPLOY_DOC = ROOT / "docs" / "deploy.md"
UNITS = sorted((ROOT / "deploy" / "systemd").glob("*.service"))
DEPLOY_FILES = [nginx.SITE, *UNITS]
INSTALL_FOLDER = "/srv/passerelle"
# Read from the environment before any setting (kernel/config.py), so not in SETTINGS.
ENVIRONMENT_ONLY = {"PASSERELLE_INSTANCE", "PASSERELLE_CONFIG"}


@pytest.mark.skipif(not nginx.available(), reason="nginx (and openssl) are not installed: apt-get install nginx")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    config = nginx.main_config(tmp_path, nginx.site_config(tmp_path))
    result = nginx.check(config)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", UNITS, ids=lambda path: path.name)
def test_the_systemd_unit_passes_systemd_analyze_verify(unit, tmp_path):
    # The unit as installed in this checkout: systemd-analyze checks that the command exists.
    command = str(Path(sys.executable).parent / "passerelle")
    text = unit.read_text().replace(f"{INSTALL_FOLDER}/.venv/bin/passerelle", command)
    installed = tmp_path / unit.name
    installed.write_text(text.replace(INSTALL_FOLDER, str(ROOT)))
    result = subprocess.run(["systemd-analyze", "verify", str(installed)], capture_output=True, text=True)
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if unit.name in line]
    assert result.returncode == 0, result.stdout + result.stderr
    assert complaints == []


@pytest.mark.parametrize("path", DEPLOY_FILES, ids=lambda path: path.name)
def test_the_documentation_shows_the_deployed_file_as_it_is(path):
    assert path.read_text().strip() in DEPLOY_DOC.read_text()


def test_every_setting_named_in_the_documentation_is_read_by_passerelle():
    text = DEPLOY_DOC.read_text()
    named = set(re.findall(r"`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b", text))  # in the prose and tables
    named |= set(re.findall(r"^([A-Z][A-Z0-9_]+) = ", text, re.MULTILINE))  # in passerelle.toml examples
    config_source = (ROOT / "kernel" / "config.py").read_text()
    unknown = {name for name in named if name not in SETTINGS
               and not (name in ENVIRONMENT_ONLY and name in config_source)}
    assert named, "docs/deploy.md names no setting"
    assert unknown == set()


def test_the_other_pages_point_to_the_deployment_page_rather_than_copy_it():
    production = (ROOT / "docs" / "production.md").read_text()
    assert "deploy.md" in production
    assert "deploy.md" in (ROOT / "README.md").read_text()
    assert "proxy_pass" not in production  # one nginx configuration: deploy/nginx/passerelle.conf
