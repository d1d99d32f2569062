// The sidebar: the module filter (case and accents ignored), sections that remember being opened
// or closed, and the full-screen toggle that hides the sidebar. Everything works without it.
(function () {
  "use strict";

  const SECTIONS_KEY = "passerelle.sidebar.sections";
  const FULLSCREEN_KEY = "passerelle.fullscreen";

  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function stored(key, fallback) {
    try {
      const value = window.localStorage.getItem(key);
      return value === null ? fallback : JSON.parse(value);
    } catch (error) {
      return fallback;  // storage refused (private mode) or a damaged value: the server's choice stays
    }
  }

  function store(key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)); } catch (error) { /* not remembered */ }
  }

  // Opened or closed by the user: remembered per section. The section of the page shown stays open.
  function rememberSections(list) {
    const states = stored(SECTIONS_KEY, {});
    list.querySelectorAll("details[data-remember]").forEach(function (section) {
      const key = section.dataset.remember;
      const holdsCurrent = section.querySelector(".module.current") !== null;
      if (key in states && !holdsCurrent) { section.open = states[key]; }
      section.addEventListener("toggle", function () {
        if (list.classList.contains("filtering")) { return; }
        const latest = stored(SECTIONS_KEY, {});
        latest[key] = section.open;
        store(SECTIONS_KEY, latest);
      });
    });
  }

  // While a filter is typed every section with a match is open; clearing it restores the sections.
  function filterModules(input, list, status) {
    const wanted = folded(input.value);
    const filtering = wanted !== "";
    if (filtering && !list.classList.contains("filtering")) {
      list.querySelectorAll("details[data-remember]").forEach(function (section) {
        section.dataset.wasOpen = section.open ? "1" : "";
      });
    }
    let shown = 0;
    list.querySelectorAll(".menu-section").forEach(function (section) {
      let matches = 0;
      section.querySelectorAll(".module").forEach(function (module) {
        const match = !filtering || folded(module.dataset.name || module.textContent).includes(wanted);
        module.hidden = !match;
        if (match) { matches += 1; }
      });
      section.hidden = matches === 0;
      shown += matches;
      const details = section.querySelector("details");
      if (filtering) {
        details.open = matches > 0;
      } else if (list.classList.contains("filtering")) {
        details.open = details.dataset.wasOpen === "1";
      }
    });
    list.classList.toggle("filtering", filtering);
    if (status) { status.textContent = filtering && shown === 0 ? status.dataset.none : ""; }
  }

  function setFullscreen(button, on) {
    document.documentElement.classList.toggle("fullscreen", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  document.addEventListener("DOMContentLoaded", function () {
    const list = document.getElementById("module-list");
    const filter = document.querySelector("[data-module-filter]");
    if (list) { rememberSections(list); }
    if (list && filter) {
      const status = document.getElementById("module-filter-status");
      filter.addEventListener("input", function () { filterModules(filter, list, status); });
      filter.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && filter.value) { filter.value = ""; filterModules(filter, list, status); }
      });
    }
    const fullscreen = document.querySelector("[data-toggle-fullscreen]");
    if (fullscreen) {
      setFullscreen(fullscreen, stored(FULLSCREEN_KEY, false) === true);
      fullscreen.addEventListener("click", function () {
        const on = !document.documentElement.classList.contains("fullscreen");
        setFullscreen(fullscreen, on);
        store(FULLSCREEN_KEY, on);
      });
    }
  });
})();
