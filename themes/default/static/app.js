// Small behaviours of the default theme; everything works without them, they only make it nicer.
(function () {
  "use strict";

  function filterModules(input) {
    const words = input.value.trim().toLowerCase();
    document.querySelectorAll("#module-list > .module").forEach(function (item) {
      const text = item.textContent.toLowerCase();
      item.hidden = words !== "" && !text.includes(words);
    });
  }

  function enhancePickers(root) {
    if (!window.TomSelect) { return; }
    root.querySelectorAll("select[data-lookup]").forEach(function (select) {
      if (select.tomselect) { return; }
      new TomSelect(select, {
        valueField: "id", labelField: "title", searchField: "title", allowEmptyOption: true,
        load: function (query, callback) {
          fetch(select.dataset.lookup + "?q=" + encodeURIComponent(query), {credentials: "same-origin"})
            .then(function (response) { return response.json(); }).then(callback).catch(function () { callback(); });
        },
        plugins: ["clear_button"],
      });
    });
    root.querySelectorAll("select[data-searchable]").forEach(function (select) {
      if (!select.tomselect) { new TomSelect(select, {allowEmptyOption: true}); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    const filter = document.getElementById("module-filter");
    if (filter) { filter.addEventListener("input", function () { filterModules(filter); }); }
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
