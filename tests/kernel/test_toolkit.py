"""The plugin toolkit (``kernel.toolkit``): one versioned import surface for plugins. Every name it
lists exists, a plugin can require a version, and plugins (built-in ones, their migrations, the
example) import nothing else of the kernel (their tests: also ``kernel.testing``): a name a plugin
needs is added to the toolkit."""

import ast
import sys
from pathlib import Path

import pytest

from kernel import toolkit

PROJECT = Path(__file__).resolve().parents[2]
ALLOWED = {"kernel.toolkit"}
ALLOWED_IN_TESTS = ALLOWED | {"kernel.testing"}


def kernel_imports(root: Path):
    """(file, line, module, names) of every import of the kernel in the Python files under ``root``."""
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and _is_kernel(node.module):
                yield path, node.lineno, node.module, [alias.name for alias in node.names]
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if _is_kernel(alias.name):
                        yield path, node.lineno, alias.name, []


def _is_kernel(module: str) -> bool:
    return module == "kernel" or module.startswith("kernel.")


def _allowed(path: Path, module: str) -> bool:
    allowed = ALLOWED_IN_TESTS if "tests" in path.relative_to(PROJECT).parts else ALLOWED
    return any(module == name or module.startswith(name + ".") for name in allowed)


def imports_outside_the_toolkit(*roots: str) -> list[str]:
    return [f"{path.relative_to(PROJECT)}:{line} imports {module}"
            for root in roots if (PROJECT / root).is_dir()
            for path, line, module, _names in kernel_imports(PROJECT / root) if not _allowed(path, module)]


def test_every_name_of_the_toolkit_resolves_once():
    assert len(toolkit.__all__) == len(set(toolkit.__all__))
    missing = [name for name in toolkit.__all__ if not hasattr(toolkit, name)]
    assert missing == []
    namespace = {}
    exec("from kernel.toolkit import *", namespace)  # noqa: S102 - what a star import gives
    assert set(toolkit.__all__) <= set(namespace)


def test_a_plugin_requiring_this_version_or_an_older_minor_one_loads():
    major, minor = toolkit.TOOLKIT_VERSION
    toolkit.require_toolkit(major, minor)
    toolkit.require_toolkit(major)


def test_a_plugin_requiring_a_newer_toolkit_is_told_to_upgrade_passerelle():
    major, minor = toolkit.TOOLKIT_VERSION
    with pytest.raises(toolkit.ToolkitVersionError, match=rf"requires the Passerelle toolkit {major}\.{minor + 1}, "
                                                         rf"but the installed kernel offers {major}\.{minor}: upgrade Passerelle"):
        toolkit.require_toolkit(major, minor + 1)
    with pytest.raises(toolkit.ToolkitVersionError, match="upgrade Passerelle"):
        toolkit.require_toolkit(major + 1, 0)


def test_a_plugin_written_for_an_older_major_version_is_told_to_upgrade_itself():
    major, _minor = toolkit.TOOLKIT_VERSION
    with pytest.raises(toolkit.ToolkitVersionError, match="whose names may differ: upgrade the plugin"):
        toolkit.require_toolkit(major - 1, 9)


def test_the_version_error_stops_the_start_like_any_plugin_problem():
    from kernel.plugins import PluginError

    assert issubclass(toolkit.ToolkitVersionError, PluginError)


def test_the_example_module_imports_the_kernel_only_through_the_toolkit():
    assert (PROJECT / "examples").is_dir()
    assert imports_outside_the_toolkit("examples") == []


def test_plugins_import_the_kernel_only_through_the_toolkit():
    """Every file of every built-in plugin (its migrations included) and of the example."""
    assert imports_outside_the_toolkit("plugins", "examples") == []


def test_the_scan_finds_an_import_outside_the_toolkit(tmp_path, monkeypatch):
    """The scans above can fail: a plugin file importing kernel.app is reported (in a function
    too), and so is a migration; its tests may use kernel.testing, the toolkit itself passes."""
    monkeypatch.setattr(sys.modules[__name__], "PROJECT", tmp_path)
    plugin = tmp_path / "plugins" / "sneaky"
    (plugin / "tests").mkdir(parents=True)
    (plugin / "migrations" / "versions").mkdir(parents=True)
    (plugin / "__init__.py").write_text("from kernel.toolkit import db\nfrom kernel.app import csrf\nimport kernel.db\n\n\n"
                                        "def later():\n    from kernel.schemas import load\n")
    (plugin / "migrations" / "versions" / "a1_first.py").write_text("from kernel.text import fold\n")
    (plugin / "tests" / "test_it.py").write_text("from kernel.testing import login\nfrom kernel.records import get\n")
    assert imports_outside_the_toolkit("plugins") == [
        "plugins/sneaky/__init__.py:2 imports kernel.app",
        "plugins/sneaky/__init__.py:3 imports kernel.db",
        "plugins/sneaky/__init__.py:7 imports kernel.schemas",
        "plugins/sneaky/migrations/versions/a1_first.py:1 imports kernel.text",
        "plugins/sneaky/tests/test_it.py:2 imports kernel.records",
    ]
