// "Add a row" under the resource form's repeated rows (phones, weekly hours, closures): a copy of
// the group's last row, emptied, under the next free index (the server reads every index it gets).
(function () {
  "use strict";
  if (window.passerelleResourceRows) { return; }  // included by each section of the form
  window.passerelleResourceRows = true;

  function nextIndex(group, prefix) {
    var highest = -1;
    var pattern = new RegExp("^" + prefix + "-(\\d+)-");
    group.querySelectorAll("[name]").forEach(function (field) {
      var match = pattern.exec(field.name);
      if (match) { highest = Math.max(highest, parseInt(match[1], 10)); }
    });
    return highest + 1;
  }

  function renumber(row, prefix, index) {
    var pattern = new RegExp("^" + prefix + "-\\d+-");
    var replacement = prefix + "-" + index + "-";
    row.querySelectorAll("*").forEach(function (element) {
      ["name", "id", "for", "aria-describedby"].forEach(function (attribute) {
        var value = element.getAttribute(attribute);
        if (value) { element.setAttribute(attribute, value.split(" ").map(function (part) {
          return part.replace(pattern, replacement);
        }).join(" ")); }
      });
    });
    var label = row.getAttribute("aria-label");
    if (label) { row.setAttribute("aria-label", label.replace(/\d+\s*$/, String(index + 1))); }
  }

  function emptied(row) {
    row.querySelectorAll("input[type=hidden], .field-error, label.checkbox.small input[name$='-remove']").forEach(
      function (element) { (element.closest("label.checkbox.small") || element).remove(); });
    row.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox" || input.type === "radio") { input.checked = false; } else { input.value = ""; }
    });
    row.querySelectorAll("select").forEach(function (select) { select.selectedIndex = 0; });
    row.querySelectorAll(".has-error").forEach(function (field) { field.classList.remove("has-error"); });
    return row;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-add-row]");
    if (!button) { return; }
    var prefix = button.getAttribute("data-add-row");
    var group = document.querySelector("[data-rows='" + prefix + "']");
    var rows = group ? group.querySelectorAll(":scope > fieldset") : [];
    if (!rows.length) { return; }
    var row = emptied(rows[rows.length - 1].cloneNode(true));
    renumber(row, prefix, nextIndex(group, prefix));
    group.appendChild(row);
    var first = row.querySelector("input:not([type=hidden]), select");
    if (first) { first.focus(); }
  });
})();
