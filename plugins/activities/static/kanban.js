/* Kanban of tasks: drag a card to another column (SortableJS) or use its status select. The new
   status is POSTed with the card's version; a refusal puts the card back and shows why. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function showError(card, message) {
    var box = card.querySelector(".card-error");
    if (box) { box.textContent = message; box.hidden = false; }
  }

  function postStatus(card, status) {
    var body = new FormData();
    body.append("status", status);
    body.append("version", card.dataset.version);
    return fetch(card.dataset.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    });
  }

  // Each column's count and each card's "Overdue" flag follow the cards (a done task is not late).
  function refreshColumns() {
    document.querySelectorAll(".kanban-cards").forEach(function (list) {
      var count = list.closest(".kanban-column").querySelector("[data-column-count]");
      if (count) { count.textContent = list.querySelectorAll(".kanban-card").length; }
      list.querySelectorAll("[data-overdue]").forEach(function (flag) { flag.hidden = list.dataset.open !== "1"; });
    });
  }

  function moved(event) {
    var card = event.item, from = event.from, oldIndex = event.oldIndex;
    var status = event.to.dataset.status;
    refreshColumns();
    postStatus(card, status).then(function (data) {
      card.dataset.version = data.version;
      var select = card.querySelector("select[name=status]");
      if (select) { select.value = status; }
      var version = card.querySelector("input[name=version]");
      if (version) { version.value = data.version; }
      var box = card.querySelector(".card-error");
      if (box) { box.hidden = true; }
    }).catch(function (error) {
      from.insertBefore(card, from.children[oldIndex] || null);
      refreshColumns();
      showError(card, error.message);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var board = document.querySelector(".kanban");
    if (!board || board.dataset.mayEdit !== "1" || typeof Sortable === "undefined") { return; }
    board.querySelectorAll(".kanban-cards").forEach(function (list) {
      Sortable.create(list, { group: "tasks", animation: 150, forceFallback: true, filter: "select, button", preventOnFilter: false, onAdd: moved });
    });
  });
})();
