// The office-visit registration form (kiosk): after a refused submission, focus goes to the list of
// errors, so that a screen reader reads it first.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    const alert = document.querySelector("[data-focus-on-load]");
    if (alert) { alert.focus(); }
  });
})();
