"""The advanced filter's field list in a browser, in English and in French: the form's fields in the
form's order under "Main fields", the others after them; "Find a field" narrows the list of the
condition being built to the names containing what is typed, ignoring case and accents."""

import unicodedata

import pytest
from playwright.sync_api import expect

from kernel.registry import entities
from tests.browser.test_picker_server_matches import log_in

WORDS = {
    "en": ("Advanced filter", "Add a condition", "Find a field", "Field", ["Main fields", "Other"], "PHONE"),
    "fr": ("Filtre avancé", "Ajouter une condition", "Trouver un champ", "Champ", ["Champs principaux", "Autres"],
           "TELEPHONE"),
}


def folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_fields_grouped_in_the_forms_order_and_searchable(live_app, live_server, live_user, browser, language):
    live_user("staff", email=f"filter-{language}@example.org", language=language)
    with live_app.test_request_context():
        entity = entities().get("client")
        form_order = [meta.name for meta in entity.editable_fields if meta.filterable]
        has_others = any(meta.filterable and not meta.editable for meta in entity.fields.values())
    context = browser.new_context(viewport={"width": 1280, "height": 900},
                                  locale="fr-CA" if language == "fr" else "en-CA")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    summary, add, find, field, groups, typed = WORDS[language]
    try:
        log_in(page, live_server, f"filter-{language}@example.org", language)
        page.goto(f"{live_server}/clients/")
        page.locator("details.filter-panel summary").filter(has_text=summary).click()
        page.get_by_role("button", name=add).click()
        select = page.locator(".condition").last.get_by_label(field, exact=True)
        expect(select).to_be_visible()
        assert select.locator("optgroup").evaluate_all("gs => gs.map(g => g.label)") == (groups if has_others else groups[:1])
        main = select.locator("optgroup").first.locator("option").evaluate_all("os => os.map(o => o.value)")
        assert main == form_order

        page.get_by_label(find).fill(typed)
        options = select.locator("option").evaluate_all(
            "os => os.map(o => ({value: o.value, label: o.textContent, hidden: o.hidden}))")
        shown = [option["label"] for option in options if not option["hidden"]]
        assert shown and shown == [option["label"] for option in options if folded(typed) in folded(option["label"])]
        first_shown = next(option["value"] for option in options if not option["hidden"])
        expect(select).to_have_value(first_shown)
        page.get_by_label(find).press("Enter")
        expect(select).to_be_focused()
        assert "/clients/?" not in page.url  # Enter in the search box does not submit the list's search
    finally:
        context.close()
    assert errors == []
