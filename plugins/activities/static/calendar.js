/* The calendar: FullCalendar fed by the JSON endpoint; click a slot to create a meeting (or a call)
   pre-filled with its start; drag or resize to reschedule (POSTed with the version). */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function localInput(date) {  /* "YYYY-MM-DDTHH:MM" in the browser's time, as the form shows */
    function pad(n) { return String(n).padStart(2, "0"); }
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) + "T" +
      pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function showError(message) {
    var box = document.getElementById("calendar-error");
    box.textContent = message; box.hidden = false;
  }

  function reschedule(info, element) {
    var props = info.event.extendedProps, body = new FormData();
    body.append("kind", props.kind);
    body.append("id", props.recordId);
    body.append("version", props.version);
    body.append("start", info.event.start.toISOString());
    if (info.event.end) { body.append("end", info.event.end.toISOString()); }
    fetch(element.dataset.move, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Accept": "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        info.event.setExtendedProp("version", data.version);
      });
    }).catch(function (error) { info.revert(); showError(error.message); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("calendar");
    if (!element || typeof FullCalendar === "undefined") { return; }
    var mayCreate = element.dataset.mayCreate === "1";
    var calendar = new FullCalendar.Calendar(element, {
      initialView: "timeGridWeek",
      locale: element.dataset.locale,
      headerToolbar: { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,dayGridMonth" },
      events: element.dataset.events,
      editable: mayCreate,
      selectable: mayCreate,
      nowIndicator: true,
      dateClick: function (info) {
        if (!mayCreate) { return; }
        var target = element.dataset.newMeeting;
        var url = target + "?start=" + encodeURIComponent(localInput(info.date));
        if (!info.allDay) {
          var end = new Date(info.date.getTime() + 60 * 60 * 1000);
          url += "&end=" + encodeURIComponent(localInput(end));
        }
        window.location.href = url;
      },
      eventDrop: function (info) { reschedule(info, element); },
      eventResize: function (info) { reschedule(info, element); }
    });
    calendar.render();
  });
})();
