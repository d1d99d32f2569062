// The contact screen: tabs without reloading, keyboard shortcuts, note templates, the contact's
// version kept current after the notes save by themselves, and the checklist's pending state.
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

  // -- the checklist's 🕒: an item the agent answered on the screen but has not saved yet --------
  // Each watchable item names its form and inputs (data-form, data-inputs); what the page was
  // rendered with (the inputs' default values) is what is saved, unless the form came back with
  // errors (then nothing of it was saved).

  function isAnswered(input) {
    if (input.type === "checkbox" || input.type === "radio") return input.checked;
    return (input.value || "").trim() !== "";
  }

  function renderedValue(select) {
    const chosen = Array.prototype.find.call(select.options, function (option) { return option.defaultSelected; });
    if (chosen) return chosen.value;
    return select.options.length ? select.options[0].value : "";
  }

  function isChanged(input) {
    if (input.type === "checkbox" || input.type === "radio") return input.checked !== input.defaultChecked;
    if (input.tagName === "SELECT") return input.value !== renderedValue(input);
    return input.value !== input.defaultValue;
  }

  function itemInputs(item) {
    const form = document.getElementById(item.dataset.form);
    if (!form) return null;
    const groups = item.dataset.inputs.split(" ").map(function (name) {
      return Array.prototype.filter.call(form.elements, function (element) { return element.name === name; });
    }).filter(function (group) { return group.length; });
    return {form: form, groups: groups};
  }

  function screenState(item) {
    const saved = item.dataset.savedState;
    const found = itemInputs(item);
    if (!found || !found.groups.length) return saved;
    const inputs = [].concat.apply([], found.groups);
    const unsaved = found.form.querySelector(".has-error") !== null;
    if (!unsaved && !inputs.some(isChanged)) return saved;
    const answered = found.groups.map(function (group) { return group.some(isAnswered); });
    const done = item.dataset.answer === "any" ? answered.some(Boolean) : answered.every(Boolean);
    if (done) return "pending";
    return saved === "attention" && answered.some(Boolean) ? "attention" : "missing";
  }

  function showState(item, state) {
    const model = document.getElementById("check-states");
    const look = model && model.content.querySelector('[data-state="' + state + '"]');
    if (!look || item.classList.contains("check-" + state)) return;
    item.className = item.className.replace(/\bcheck-\w+/, "check-" + state);
    item.querySelector(".check-icon").replaceChildren(look.querySelector(".status-icon").cloneNode(true));
    item.querySelector(".state").textContent = look.querySelector(".state").textContent;
    const detail = item.querySelector(".detail");
    if (detail) detail.hidden = state !== item.dataset.savedState;
  }

  function refreshChecklist() {
    document.querySelectorAll("#checklist li[data-inputs]").forEach(function (item) {
      showState(item, screenState(item));
    });
  }

  function pendingItems() {
    return Array.prototype.filter.call(document.querySelectorAll("#checklist li[data-inputs]"), function (item) {
      return screenState(item) === "pending";
    });
  }

  // Closing would lose what is not saved: the close is refused, naming the items (the guide: the
  // system checks the checklist, the agent completes it and closes again).
  function refuseCloseWhilePending(event) {
    const pending = pendingItems();
    const refusal = document.getElementById("pending-refusal");
    if (!pending.length || !refusal) {
      if (refusal) refusal.hidden = true;
      return;
    }
    event.preventDefault();
    refusal.querySelector(".pending-names").textContent = pending.map(function (item) {
      return item.querySelector("a").textContent.trim();
    }).join(", ");
    refusal.hidden = false;
    document.getElementById("checklist").scrollIntoView({block: "nearest"});
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
    document.addEventListener("input", refreshChecklist);
    document.addEventListener("change", refreshChecklist);
    document.body.addEventListener("htmx:afterSettle", refreshChecklist);
    const closeForm = document.querySelector("form.close-form");
    if (closeForm) closeForm.addEventListener("submit", refuseCloseWhilePending);
    refreshChecklist();
  });
})();
