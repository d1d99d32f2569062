"""No plugin writes into another plugin's templates: a plugin's ``templates/`` folder holds no
folder named after another installed plugin (or one of its former names). A plugin changes another
module's pages through the kernel's template slots (``kernel/slots.py``) instead."""

from pathlib import Path

from kernel.plugins import PluginInfo, installed_plugins


def plugin_names(modules: dict[str, object]) -> dict[str, str]:
    """Every name, current or former, of the installed plugins → the plugin's name. A current name
    wins over a former one (``contactcenter`` was the directory's name, it is now the contact
    centre's)."""
    names = {former: name for name, module in modules.items() for former in getattr(module, "FORMERLY", ())}
    return names | {name: name for name in modules}


def folders_in_other_plugins_names(modules: dict[str, object]) -> list[str]:
    names = plugin_names(modules)
    found = []
    for name, module in sorted(modules.items()):
        templates = PluginInfo(name=name, module=module).folder("templates")
        for folder in sorted(templates.iterdir()) if templates else ():
            owner = names.get(folder.name)
            if folder.is_dir() and owner is not None and owner != name:
                found.append(f"{name}: templates/{folder.name}/ belongs to the plugin '{owner}'")
    return found


def test_no_plugin_has_templates_in_another_plugins_folder():
    modules = installed_plugins()
    assert {"directory", "contactcenter"} <= set(modules)
    assert folders_in_other_plugins_names(modules) == []


class Module:
    def __init__(self, folder: Path, formerly=()):
        self.__file__ = str(folder / "__init__.py")
        self.FORMERLY = formerly


def test_the_check_finds_a_folder_named_after_another_plugin_or_its_former_name(tmp_path):
    for plugin, folders in {"guide": ("guide",), "desk": ("desk", "guide", "oldguide", "records")}.items():
        for folder in folders:
            (tmp_path / plugin / "templates" / folder).mkdir(parents=True)
    # "desk" was the guide's name once: the desk's own folder is still its own
    modules = {"guide": Module(tmp_path / "guide", formerly=("oldguide", "desk")), "desk": Module(tmp_path / "desk")}
    assert folders_in_other_plugins_names(modules) == [
        "desk: templates/guide/ belongs to the plugin 'guide'",
        "desk: templates/oldguide/ belongs to the plugin 'guide'",
    ]
