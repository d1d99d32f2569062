"""Code that outgrew its file was split into packages of one module per concern (issue 17): the
CSV import (``kernel/importer/``) and the report engine (``plugins/reports/engine/``). Their
modules stay short enough to read at once; a module that grows past the limit is split again."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400
PACKAGES = ("kernel/importer", "plugins/reports/engine")


def line_counts(package: str) -> dict[str, int]:
    return {path.name: len(path.read_text(encoding="utf-8").splitlines())
            for path in sorted((ROOT / package).glob("*.py"))}


@pytest.mark.parametrize("package", PACKAGES)
def test_the_package_is_split_into_modules(package):
    assert not (ROOT / f"{package}.py").exists()  # the old single file would shadow the package
    assert len(line_counts(package)) > 2


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_of_the_package_is_over_the_limit(package):
    too_long = {name: count for name, count in line_counts(package).items() if count > MAX_LINES}
    assert too_long == {}, f"split these modules of {package} (more than {MAX_LINES} lines): {too_long}"
