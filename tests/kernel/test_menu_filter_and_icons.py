"""The sidebar's module filter compares names without case or accents ("tach" finds "Tâches"), and
every icon is an SVG of the lucide set next to a text label, never an emoji; a plugin that still
declares an emoji gets the matching icon."""

import re

from kernel import hookimpl
from kernel.menu import MenuItem, icon_name
from tests.conftest import login

EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF]")


def _sidebar(page: str) -> str:
    return re.search(r'<aside class="sidebar".*?</aside>', page, re.S).group(0)


def test_each_module_carries_its_name_without_accents_for_the_filter(make_user, login_as):
    page = login_as(make_user("staff", language="fr")).get("/").get_data(as_text=True)
    assert re.search(r'<li class="module" data-name="taches">\s*<a class="module-link" href="/tasks/">', page)
    assert 'data-name="reunions"' in page  # Réunions
    assert re.search(r'<input id="module-filter"[^>]*data-module-filter', page)
    assert '<script src="/static/sidebar.js" defer></script>' in page


def test_the_sidebar_and_top_bar_show_svg_icons_and_no_emoji(admin_client):
    page = admin_client.get("/clients/").get_data(as_text=True)
    sidebar = _sidebar(page)
    topbar = re.search(r'<header class="topbar">.*?</header>', page, re.S).group(0)
    assert not EMOJI.findall(sidebar) and not EMOJI.findall(topbar)
    assert '<svg class="icon icon-user" aria-hidden="true" focusable="false"' in sidebar
    assert 'class="icon icon-headset"' in sidebar and 'class="icon icon-settings"' in sidebar
    assert 'class="icon icon-star"' in topbar and 'class="icon icon-maximize-2"' in topbar


class EmojiPlugin:
    """A third-party plugin written before icon names: its menu item declares an emoji."""

    ORDER = 70

    @hookimpl
    def passerelle_menu_items(self):
        return [MenuItem(label="Old-style module", endpoint="navigation.search", icon="📞", module="old_style")]


def test_an_emoji_declared_by_a_plugin_becomes_the_matching_icon(make_app, make_user):
    app = make_app(extra_plugins={"old_style": EmojiPlugin()}, PASSERELLE_PLUGINS="clients,old_style")
    with app.app_context():
        page = login(app.test_client(), make_user("staff")).get("/").get_data(as_text=True)
    link = re.search(r'<a class="module-link" href="/search">.*?</a>', page).group(0)
    assert 'class="icon icon-phone"' in link and "Old-style module" in link and "📞" not in link


def test_icon_names_of_emoji_and_unknown_values():
    assert icon_name("📞") == "phone" and icon_name("👤") == "user"
    assert icon_name("graduation-cap") == "graduation-cap"
    assert icon_name("<script>") == "square" and icon_name(None) == "square"
