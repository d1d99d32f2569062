// Small behaviours of the default theme; everything works without them, they only make it nicer.
(function () {
  "use strict";

  // The picker's own words, translated by the server (a <meta name="picker-texts"> in the layout).
  function pickerTexts() {
    const meta = document.querySelector('meta[name="picker-texts"]');
    const data = meta ? meta.dataset : {};
    return {noResults: data.noResults || "No results found", clear: data.clear || "Clear",
            loading: data.loading || "Loading…", add: data.add || "Add"};
  }

  function escapeText(text) {
    const node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  // Options of a Tom Select picker. A remote picker shows exactly what the server's lookup found
  // (it matches phones, e-mails, codes and accents the visible title does not show): no second
  // filtering or scoring on the client, only the records of the latest answer, in its order.
  function pickerOptions(select) {
    const texts = pickerTexts();
    const options = {
      allowEmptyOption: true,
      render: {
        no_results: function () { return '<div class="no-results">' + escapeText(texts.noResults) + "</div>"; },
        loading: function () { return '<div class="spinner" role="status" aria-label="' + escapeText(texts.loading) + '"></div>'; },
        option_create: function (data, escape) { return '<div class="create">' + escapeText(texts.add) + " <strong>" + escape(data.input) + "</strong>…</div>"; },
      },
    };
    const lookup = select.dataset.lookup;
    if (!lookup) { return options; }
    let found = null;
    return Object.assign(options, {
      valueField: "id", labelField: "title", searchField: [],
      plugins: {clear_button: {title: texts.clear}},
      score: function () {
        return function (item) { return found === null || found.has(String(item.id)) ? 1 : 0; };
      },
      load: function (query, callback) {
        const picker = this;
        fetch(lookup + (lookup.includes("?") ? "&q=" : "?q=") + encodeURIComponent(query), {credentials: "same-origin"})
          .then(function (response) { return response.json(); })
          .then(function (records) {
            picker.clearOptions();  // also forgets past queries, so each query asks the server again
            found = new Set(records.map(function (record) { return String(record.id); }));
            callback(records);
          })
          .catch(function () { callback(); });
      },
    });
  }

  // Tom Select moves the label's "for" to its own combobox and hides the select (out of the tab
  // order, still in the accessibility tree, nameless): hide it from assistive technology too, so
  // that the labelled combobox is the one field announced (axe: select-name).
  function hideReplacedSelect(select) {
    select.setAttribute("aria-hidden", "true");
  }

  // Tom Select refreshes its list 300 ms after the last key, and that refresh opens the list and
  // takes the focus back: a person who picks an option quickly and moves on to the next field
  // would type into the picker again. Once an option is picked, the list closed or the picker
  // left, that late refresh has nothing left to do.
  function forgetLateRefresh(picker) {
    const forget = function () {
      if (picker.refreshTimeout) { window.clearTimeout(picker.refreshTimeout); picker.refreshTimeout = null; }
    };
    picker.on("item_add", forget);
    picker.on("dropdown_close", forget);
    picker.control_input.addEventListener("blur", forget);
  }

  function enhancePickers(root) {
    if (!window.TomSelect) { return; }
    root.querySelectorAll("select[data-lookup], select[data-searchable]").forEach(function (select) {
      if (select.tomselect) { return; }
      forgetLateRefresh(new TomSelect(select, pickerOptions(select)));
      hideReplacedSelect(select);
    });
  }
  window.passerelleEnhancePickers = enhancePickers;

  document.addEventListener("DOMContentLoaded", function () {
    const toggle = document.querySelector("[data-toggle-sidebar]");
    const sidebar = document.getElementById("sidebar");
    if (toggle && sidebar) {
      toggle.addEventListener("click", function () {
        const open = sidebar.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }
    document.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
      });
    });
    enhancePickers(document);
  });
})();

// --- Lists: advanced filter panel, column chooser, mass actions, CSV export (kernel lists) ---
(function () {
  "use strict";

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(function ([key, value]) { node.setAttribute(key, value); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  function valueInputs(field, operator, values) {
    const wrap = element("span", {"class": "condition-values"});
    const name = field.key + "__" + operator;
    if (operator === "empty" || operator === "notempty") {
      wrap.appendChild(element("input", {type: "hidden", name: name, value: "1"}));
      return wrap;
    }
    if (operator === "is") {
      const select = element("select", {name: name});
      [["1", "✓"], ["0", "✗"]].forEach(function ([value, label]) {
        const option = element("option", {value: value}, label);
        if ((values[0] || "1") === value) { option.selected = true; }
        select.appendChild(option);
      });
      wrap.appendChild(select);
      return wrap;
    }
    if (field.options && (operator === "in" || operator === "equals")) {
      const select = element("select", {name: name, "aria-label": field.label});
      if (operator === "in") { select.multiple = true; select.size = Math.min(6, field.options.length); }
      field.options.forEach(function ([value, label]) {
        const option = element("option", {value: value}, label);
        if (values.includes(value)) { option.selected = true; }
        select.appendChild(option);
      });
      wrap.appendChild(select);
      return wrap;
    }
    const type = {date: "date", datetime: "date", integer: "number", decimal: "number"}[field.kind] || "text";
    const count = operator === "between" ? 2 : 1;
    for (let index = 0; index < count; index += 1) {
      wrap.appendChild(element("input", {type: type, name: name, value: values[index] || "", "aria-label": field.label}));
    }
    return wrap;
  }

  // The field list: the groups the page gives (the form's fields in its order, then the others),
  // or every field in one list.
  function fieldOptions(panel, fields, select) {
    const groups = JSON.parse(panel.dataset.groups || "[]");
    Object.entries(fields).forEach(function ([key, field]) { field.key = key; });
    if (!groups.length) {
      Object.values(fields).forEach(function (field) { select.appendChild(element("option", {value: field.key}, field.label)); });
      return;
    }
    groups.forEach(function (group) {
      const optgroup = element("optgroup", {label: group.label});
      group.fields.forEach(function (key) { optgroup.appendChild(element("option", {value: key}, fields[key].label)); });
      select.appendChild(optgroup);
    });
  }

  function conditionRow(panel, fields, initial) {
    const row = element("div", {"class": "condition"});
    const fieldSelect = element("select", {"aria-label": panel.dataset.labelField});
    fieldOptions(panel, fields, fieldSelect);
    const operatorSelect = element("select", {"aria-label": panel.dataset.labelOperator});
    const remove = element("button", {type: "button", "aria-label": panel.dataset.labelRemove}, "×");
    let values = initial.values || [];

    function refreshOperators() {
      const field = fields[fieldSelect.value];
      operatorSelect.innerHTML = "";
      field.operators.forEach(function ([key, label]) { operatorSelect.appendChild(element("option", {value: key}, label)); });
      if (initial.operator && field.operators.some(function (op) { return op[0] === initial.operator; })) {
        operatorSelect.value = initial.operator;
      }
      refreshValues();
    }
    function refreshValues() {
      const old = row.querySelector(".condition-values");
      if (old) { old.remove(); }
      row.insertBefore(valueInputs(fields[fieldSelect.value], operatorSelect.value, values), remove);
      values = [];
      initial = {};
    }
    fieldSelect.addEventListener("change", refreshOperators);
    operatorSelect.addEventListener("change", refreshValues);
    remove.addEventListener("click", function () { row.remove(); });
    if (initial.field && fields[initial.field]) { fieldSelect.value = initial.field; }
    row.append(fieldSelect, operatorSelect, remove);
    refreshOperators();
    return row;
  }

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // "Find a field" narrows the field list of the last condition (one is added when there is
  // none) to the names containing what is typed, whatever the case and accents.
  function narrowFields(panel, search, addRow) {
    let row = panel.querySelector(".condition:last-of-type");
    if (!row) { row = addRow(); }
    const select = row.querySelector("select");
    const wanted = folded(search.value.trim());
    let first = null;
    select.querySelectorAll("option").forEach(function (option) {
      option.hidden = wanted !== "" && !folded(option.textContent).includes(wanted);
      if (!option.hidden && first === null) { first = option; }
    });
    select.querySelectorAll("optgroup").forEach(function (group) {
      group.hidden = !Array.from(group.children).some(function (option) { return !option.hidden; });
    });
    const chosen = select.options[select.selectedIndex];
    if (first && chosen && chosen.hidden) {
      select.value = first.value;
      select.dispatchEvent(new Event("change"));
    }
  }

  function setUpFilterPanel(panel) {
    const fields = JSON.parse(panel.dataset.fields);
    if (!Object.keys(fields).length) { return; }
    const shared = JSON.parse(panel.dataset.sharedOptions || "{}");  /* lists named by several fields */
    Object.values(fields).forEach(function (field) {
      if (typeof field.options === "string") { field.options = shared[field.options] || []; }
    });
    const initial = JSON.parse(panel.dataset.initial || "[]");
    initial.forEach(function (condition) { panel.appendChild(conditionRow(panel, fields, condition)); });
    function addRow() {
      const row = conditionRow(panel, fields, {});
      panel.appendChild(row);
      return row;
    }
    const add = panel.parentElement.querySelector("[data-add-condition]");
    add.addEventListener("click", function () { addRow().querySelector("select").focus(); });
    const search = panel.parentElement.querySelector("[data-field-search]");
    if (search) {
      search.addEventListener("input", function () { narrowFields(panel, search, addRow); });
      search.addEventListener("keydown", function (event) {
        if (event.key !== "Enter") { return; }
        event.preventDefault();  // not the list's search: go on to the condition
        const last = panel.querySelector(".condition:last-of-type select");
        if (last) { last.focus(); }
      });
    }
  }

  function setUpColumnChooser(form) {
    const shown = form.querySelector("[data-shown]");
    const hidden = form.querySelector("[data-hidden]");
    // A moved column's buttons say what they do to it ("Hide City"), in the page's language.
    function labelFor(move, item) {
      const template = form.dataset["label" + move.charAt(0).toUpperCase() + move.slice(1)] || "";
      return template.replace("{name}", item.querySelector("span").textContent);
    }
    form.addEventListener("click", function (event) {
      const button = event.target.closest("button[data-move]");
      if (!button) { return; }
      const item = button.closest("li");
      const move = button.dataset.move;
      if (move === "up" && item.previousElementSibling) { shown.insertBefore(item, item.previousElementSibling); }
      if (move === "down" && item.nextElementSibling) { shown.insertBefore(item.nextElementSibling, item); }
      if (move === "remove") {
        item.querySelector("input").remove();
        item.querySelectorAll("button").forEach(function (b) { if (b.dataset.move !== "remove") { b.remove(); } });
        button.dataset.move = "add"; button.textContent = "+";
        button.setAttribute("aria-label", labelFor("add", item));
        hidden.appendChild(item);
      } else if (move === "add") {
        item.insertBefore(element("input", {type: "hidden", name: "columns", value: item.dataset.name}), item.firstChild);
        const up = element("button", {type: "button", "data-move": "up", "aria-label": labelFor("up", item)}, "↑");
        const down = element("button", {type: "button", "data-move": "down", "aria-label": labelFor("down", item)}, "↓");
        button.dataset.move = "remove"; button.textContent = "×";
        button.setAttribute("aria-label", labelFor("remove", item));
        item.insertBefore(down, button); item.insertBefore(up, down);
        shown.appendChild(item);
      }
      button.focus();
    });
  }

  function setUpMassActions(form) {
    const rows = Array.from(document.querySelectorAll("[data-row-select]"));
    const page = document.querySelector("[data-select-page]");
    const counter = form.querySelector("[data-selection-count]");
    const matching = form.querySelector("[data-select-matching]");
    const allField = form.querySelector("[data-select-all-matching]");
    const action = form.querySelector("[data-mass-action]");
    function refresh() {
      const selected = rows.filter(function (row) { return row.checked; }).length;
      const all = allField.value === "1";
      counter.textContent = counter.dataset.template.replace("__N__", all ? matching.dataset.selectedLabel : selected);
      matching.hidden = !(page && page.checked && rows.length && selected === rows.length) || all;
    }
    rows.forEach(function (row) { row.addEventListener("change", function () { allField.value = "0"; refresh(); }); });
    if (page) {
      page.addEventListener("change", function () {
        rows.forEach(function (row) { row.checked = page.checked; });
        allField.value = "0"; refresh();
      });
    }
    matching.addEventListener("click", function () { allField.value = "1"; refresh(); });
    action.addEventListener("change", function () {
      form.querySelectorAll("[data-mass-part]").forEach(function (part) { part.hidden = part.dataset.massPart !== action.value; });
    });
    const fieldSelect = form.querySelector("[data-mass-field]");
    if (fieldSelect) {
      fieldSelect.addEventListener("change", function () {
        form.querySelectorAll("[data-mass-value]").forEach(function (select) {
          const active = select.dataset.massValue === fieldSelect.value;
          select.hidden = !active; select.disabled = !active;
        });
      });
    }
    form.addEventListener("submit", function (event) {
      const button = form.querySelector("[data-confirm-delete]");
      if (action.value === "delete" && !window.confirm(button.dataset.confirmDelete)) { event.preventDefault(); }
    });
    refresh();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-conditions]").forEach(setUpFilterPanel);
    document.querySelectorAll("[data-column-chooser]").forEach(setUpColumnChooser);
    document.querySelectorAll("[data-mass-form]").forEach(setUpMassActions);
    const bom = document.querySelector("[data-export-bom]");
    const link = document.querySelector("[data-export-link]");
    if (bom && link) {
      bom.addEventListener("change", function () {
        const url = new URL(link.href, window.location.href);
        if (bom.checked) { url.searchParams.set("bom", "1"); } else { url.searchParams.delete("bom"); }
        link.href = url.toString();
      });
    }
  });
})();

// --- Navigation: top-bar menus, inline editing of a field (kernel/views/navigation.py) ---
(function () {
  "use strict";

  // An inline editor answers 422 (invalid value) or 409 (someone else saved): show that form.
  document.addEventListener("htmx:beforeSwap", function (event) {
    const status = event.detail.xhr.status;
    if ((status === 409 || status === 422) && event.detail.target.closest("[data-inline-field]")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Focus follows the editor: into the field when it opens, back on the pencil when it closes.
  document.addEventListener("htmx:load", function (event) {
    const field = event.detail.elt;
    if (!field.matches || !field.matches("[data-inline-field]")) { return; }
    window.passerelleEnhancePickers(field);  // a reference or country field edited in place
    const input = field.querySelector(".inline-editor .field input, .inline-editor .field select, .inline-editor .field textarea");
    const pencil = field.querySelector(".inline-edit");
    if (input) { (input.tomselect || input).focus(); } else if (pencil && document.activeElement === document.body) { pencil.focus(); }
  });

  // Escape in an inline editor cancels it, as its Cancel link does (an hx-trigger filter would
  // need eval, which the Content-Security-Policy refuses).
  document.addEventListener("keydown", function (event) {
    const form = event.key === "Escape" && event.target.closest && event.target.closest("form.inline-editor");
    const cancel = form && form.querySelector("[data-inline-cancel]");
    if (cancel && window.htmx) { window.htmx.trigger(cancel, "inline-cancel"); }
  });

  // Top-bar menus (favourites, "+") and the edit screen's Actions menu close on Escape and on a
  // click elsewhere.
  const MENUS = "details.topbar-menu, details.actions-menu";
  function closeMenus(except) {
    document.querySelectorAll("details.topbar-menu[open], details.actions-menu[open]").forEach(function (menu) {
      if (menu !== except) { menu.open = false; }
    });
  }
  document.addEventListener("click", function (event) {
    const menu = event.target.closest(MENUS);
    const chosen = menu && menu.matches(".actions-menu") && event.target.closest(".menu-panel a, .menu-panel button");
    closeMenus(chosen ? null : menu);  // an action chosen closes its menu
  });
  document.addEventListener("keydown", function (event) {
    const open = document.querySelector("details.topbar-menu[open], details.actions-menu[open]");
    if (event.key === "Escape" && open) { closeMenus(null); open.querySelector("summary").focus(); }
  });
})();

// --- Sidebar on phones: Escape or a tap outside closes it ---
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const sidebar = document.getElementById("sidebar");
    const toggle = document.querySelector("[data-toggle-sidebar]");
    if (!sidebar || !toggle) { return; }
    function close() {
      if (sidebar.classList.contains("open")) {
        sidebar.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    }
    document.addEventListener("keydown", function (event) { if (event.key === "Escape") { close(); } });
    document.addEventListener("click", function (event) {
      if (!sidebar.contains(event.target) && !toggle.contains(event.target)) { close(); }
    });
  });
})();
