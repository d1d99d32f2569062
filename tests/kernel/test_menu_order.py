"""A plugin's ORDER places its entities and modules: lower first (it was applied in reverse)."""

import re

from kernel import hookimpl
from kernel.menu import MenuItem
from kernel.registry import entities
from tests.conftest import login


class MenuOnlyPlugin:
    """A plugin with one module of its own (a menu item), in no declared section."""

    def __init__(self, name, order, endpoint):
        self.ORDER = order
        self.LABEL = name
        self.name = name
        self.endpoint = endpoint

    @hookimpl
    def passerelle_menu_items(self):
        return [MenuItem(label=f"Module {self.name}", endpoint=self.endpoint, module=self.name)]


def _sidebar(page: str) -> str:
    return re.search(r'<aside class="sidebar".*?</aside>', page, re.S).group(0)


def test_entities_are_registered_lower_order_first(app):
    names = [entity.name for entity in entities()]
    # clients 10, partners 20, activities 30, programmes 40, employment assistance 45
    assert names.index("client") < names.index("partner") < names.index("call") < names.index("programme")
    assert names.index("programme") < names.index("case_file")


def test_the_create_menu_lists_lower_order_first(staff_client):
    page = staff_client.get("/").get_data(as_text=True)
    menu = re.search(r'<details class="topbar-menu quick-create">.*?</details>', page, re.S).group(0)
    assert menu.index('href="/clients/new"') < menu.index('href="/partners/new"') < menu.index('href="/calls/new"')


def test_modules_of_a_lower_order_plugin_come_first(make_app, make_user):
    late = MenuOnlyPlugin("late", 50, "navigation.search")
    early = MenuOnlyPlugin("early", 5, "home.dashboard")
    app = make_app(extra_plugins={"late": late, "early": early}, PASSERELLE_PLUGINS="clients,late,early")
    with app.app_context():
        client = login(app.test_client(), make_user("staff"))
        sidebar = _sidebar(client.get("/clients/").get_data(as_text=True))
    assert "Module early" in sidebar and "Module late" in sidebar
    assert sidebar.index("Module early") < sidebar.index("Module late")
    # placed in no section: "Other modules", after the clients plugin's own section
    assert sidebar.index("Clients and partners") < sidebar.index("Other modules") < sidebar.index("Module early")
