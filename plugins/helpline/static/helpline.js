// The contact screen: tabs without reloading, keyboard shortcuts, note templates, and the
// contact's version kept current after the notes save by themselves.
(function () {
  "use strict";

  function showTab(name, focus) {
    const tab = document.querySelector('[role="tab"][data-tab="' + name + '"]');
    if (!tab) return;
    document.querySelectorAll('[role="tab"][data-tab]').forEach(function (other) {
      const selected = other === tab;
      other.setAttribute("aria-selected", selected ? "true" : "false");
      const panel = document.getElementById(other.getAttribute("aria-controls"));
      if (panel) panel.hidden = !selected;
    });
    history.replaceState(null, "", tab.href);
    if (focus) tab.focus();
  }

  function focusShortcut(key) {
    const element = document.querySelector('[data-shortcut="' + key + '"]');
    if (!element) return false;
    if (element.tagName === "BUTTON") {
      element.click();
    } else {
      const panel = element.closest('[role="tabpanel"]');
      if (panel && panel.hidden) showTab(panel.id.replace("panel-", ""), false);
      element.focus();
    }
    return true;
  }

  function onKey(event) {
    const tabs = ["details", "resources", "referrals", "programmes"];
    if (event.altKey && !event.ctrlKey && !event.metaKey) {
      const digit = parseInt(event.key, 10) || parseInt((event.code || "").replace("Digit", ""), 10);
      if (digit >= 1 && digit <= tabs.length) {
        event.preventDefault();
        showTab(tabs[digit - 1], true);
        return;
      }
      const letter = (event.code || "").startsWith("Key") ? event.code.slice(3).toLowerCase() : event.key.toLowerCase();
      if (focusShortcut(letter)) event.preventDefault();
      return;
    }
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "?" && !typing) {
      const list = document.getElementById("shortcuts");
      if (list) list.hidden = !list.hidden;
    }
  }

  function insertTemplate(event) {
    const select = event.target;
    const notes = document.getElementById("contact-notes");
    if (!select.value || !notes) return;
    notes.value = notes.value ? notes.value.replace(/\s*$/, "") + "\n" + select.value : select.value;
    select.value = "";
    notes.focus();
    document.body.dispatchEvent(new Event("notes-template"));
  }

  function keepVersion(event) {
    const xhr = event.detail && event.detail.xhr;
    const version = xhr && xhr.getResponseHeader("X-Contact-Version");
    if (!version) return;
    document.querySelectorAll("input.contact-version").forEach(function (input) { input.value = version; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll('[role="tab"][data-tab]').forEach(function (tab) {
      tab.addEventListener("click", function (event) {
        event.preventDefault();
        showTab(tab.dataset.tab, false);
      });
    });
    document.querySelectorAll("[data-tab-link]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        showTab(link.dataset.tabLink, true);
      });
    });
    const template = document.querySelector("[data-note-template]");
    if (template) template.addEventListener("change", insertTemplate);
    document.addEventListener("keydown", onKey);
    document.body.addEventListener("htmx:afterRequest", keepVersion);
  });
})();
