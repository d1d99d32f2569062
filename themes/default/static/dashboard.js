// Customising the dashboard: drag and drop the dashlets (dashboard/_sortable.html), on top of the
// Move up / Move down forms, which keep working without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var list = document.querySelector("[data-sortable]");
  if (!list || !window.Sortable) { return; }
  var token = document.querySelector('meta[name="csrf-token"]').content;

  function refreshMoveButtons() {
    var blocks = list.querySelectorAll(".dashlet[data-key]");
    blocks.forEach(function (block, index) {
      block.querySelector('[data-move="up"]').disabled = index === 0;
      block.querySelector('[data-move="down"]').disabled = index === blocks.length - 1;
    });
  }

  function saveOrder(event) {
    if (event.oldIndex === event.newIndex) { return; }
    var body = new FormData();
    list.querySelectorAll(".dashlet[data-key]").forEach(function (block) { body.append("key", block.dataset.key); });
    fetch(list.dataset.orderUrl, {method: "POST", body: body, credentials: "same-origin", headers: {"X-CSRFToken": token}})
      .then(function (response) { if (!response.ok) { window.location.reload(); } })
      .catch(function () { window.location.reload(); });
    refreshMoveButtons();
  }

  new Sortable(list, {draggable: ".dashlet", filter: "button, a, select, input", preventOnFilter: false,
                      animation: 150, ghostClass: "dashlet-ghost", onEnd: saveOrder});
});
