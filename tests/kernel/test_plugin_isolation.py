"""Plugins do not leak into each other: a plugin uses another plugin's code only when it declares
it in ``REQUIRES``. Shared pieces (choice lists such as the provinces) belong to the kernel.

Each plugin is enabled with only its declared requirements, in a fresh interpreter (``sys.modules``
must start empty of plugins); the application is created and every module of the enabled plugins
imported, as serving their pages would. No module of another plugin may then be loaded. A second
check reads the plugins' sources, so that an import inside a function (run only by some request)
cannot hide an undeclared dependency.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kernel.plugins import plugin_entry_points

ROOT = Path(__file__).resolve().parents[2]
ADVERTISED = plugin_entry_points()

LOAD_ONE_PLUGIN_SET = r"""
import importlib, json, pkgutil, sys, tempfile
from kernel.app import create_app
from kernel.plugins import plugin_entry_points

enabled = sys.argv[1].split(",")
folder = tempfile.mkdtemp()
create_app({"DATABASE_URL": f"sqlite:///{folder}/isolation.db", "INSTANCE_PATH": folder,
            "SECRET_KEY": "isolation", "TESTING": True, "PASSERELLE_PLUGINS": ",".join(enabled)})
for name in enabled:
    package = importlib.import_module(plugin_entry_points()[name].module)
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
print(json.dumps(sorted(sys.modules)))
"""


def requirements_closure(name: str) -> list[str]:
    """``name`` and every plugin it requires, directly or through another."""
    found: list[str] = []

    def visit(current: str) -> None:
        if current in found:
            return
        found.append(current)
        for required in getattr(ADVERTISED[current].load(), "REQUIRES", ()):
            visit(required)

    visit(name)
    return found


def undeclared_packages(name: str) -> dict[str, str]:
    """``{module name: plugin}`` of the plugins ``name`` may not use."""
    allowed = requirements_closure(name)
    return {entry_point.module: other for other, entry_point in ADVERTISED.items() if other not in allowed}


def belongs_to(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


@pytest.mark.parametrize("name", sorted(ADVERTISED))
def test_a_plugin_enabled_with_its_requirements_loads_no_other_plugin(name):
    enabled = requirements_closure(name)
    finished = subprocess.run(
        [sys.executable, "-c", LOAD_ONE_PLUGIN_SET, ",".join(enabled)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    loaded = json.loads(finished.stdout.strip().splitlines()[-1])
    assert any(belongs_to(module, ADVERTISED[name].module) for module in loaded)
    leaks = sorted(
        f"{module} (plugin '{other}')"
        for package, other in undeclared_packages(name).items()
        for module in loaded
        if belongs_to(module, package)
    )
    assert not leaks, f"with only {enabled} enabled, undeclared plugin modules were imported: {leaks}"


def imported_modules(path: Path) -> list[tuple[str, int]]:
    """Every module a source file imports, at any depth (functions included), with its line."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module, node.lineno))
    return found


@pytest.mark.parametrize("name", sorted(ADVERTISED))
def test_a_plugin_source_imports_only_the_plugins_it_requires(name):
    package = ADVERTISED[name].load()
    folder = Path(package.__file__).parent
    forbidden = undeclared_packages(name)
    leaks = [
        f"{path.relative_to(ROOT)}:{line} imports {module} (plugin '{other}')"
        for path in sorted(folder.rglob("*.py"))
        for module, line in imported_modules(path)
        for package_name, other in forbidden.items()
        if belongs_to(module, package_name)
    ]
    assert not leaks, (
        f"plugin '{name}' uses plugins it does not declare in REQUIRES; declare them or move the shared "
        f"piece to the kernel: {leaks}"
    )


def test_clients_and_partners_share_the_kernel_s_province_list_with_unchanged_codes():
    from kernel.choices import PROVINCES, get_choice_list
    from plugins.clients.models import Client
    from plugins.partners.models import Contact, Partner

    for model in (Client, Partner, Contact):
        assert model.__table__.c.province.info["field"].choices is PROVINCES
    assert get_choice_list("province") is PROVINCES
    assert [value for value, _label in PROVINCES.options] == [
        "AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
