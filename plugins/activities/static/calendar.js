/* The calendar: FullCalendar fed by the JSON endpoint; click a slot (or drag over several) to create
   a meeting pre-filled with its start and end (an hour at least); drag or resize an event to
   reschedule it (POSTed with the version).
   Times are the user's time zone (given by name in data-timezone), not the browser's: FullCalendar
   sends and shows wall-clock times of that zone, without offset, and so does the server. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function pad(n) { return String(n).padStart(2, "0"); }

  /* "YYYY-MM-DDTHH:MM", as the form's date-time fields show it, from a FullCalendar date string
     (wall-clock time of the calendar's zone), plus some minutes. */
  function formInput(dateStr, addMinutes) {
    var parts = dateStr.slice(0, 16).split(/[-T:]/).map(Number);
    var moment = new Date(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] || 0, parts[4] || 0) + addMinutes * 60000);
    return moment.getUTCFullYear() + "-" + pad(moment.getUTCMonth() + 1) + "-" + pad(moment.getUTCDate()) + "T" +
      pad(moment.getUTCHours()) + ":" + pad(moment.getUTCMinutes());
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
    body.append("start", info.event.startStr);
    if (info.event.end) { body.append("end", info.event.endStr); }
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

  /* The legend's squares take the events' colours (set here: the Content-Security-Policy refuses
     style="" attributes in the page). */
  function colourLegend(colours) {
    document.querySelectorAll("[data-legend]").forEach(function (swatch) {
      swatch.style.color = colours[swatch.dataset.legend] || "";
    });
  }

  /* What FullCalendar leaves to assistive technology, repaired after each render (issue 16 §5):
     its arrow icons are images without a text alternative, a month's day cell is named by its
     date alone although it lists events, and the hours' scrolling box of a week or day without
     events has nothing the keyboard can reach to scroll it. */
  function nameArrows(element) {
    [["prev", element.dataset.previousLabel], ["next", element.dataset.nextLabel]].forEach(function (arrow) {
      element.querySelectorAll(".fc-" + arrow[0] + "-button .fc-icon").forEach(function (icon) {
        icon.setAttribute("aria-label", arrow[1]);
      });
    });
  }

  function unnameDayCell(info) { info.el.removeAttribute("aria-labelledby"); }

  /* The first day's column of the hours (a grid cell, so the grid keeps its structure, which a
     focusable scrolling box itself would break) takes the focus, and with it the arrow keys. Done
     after each change of dates, not when a cell is mounted: going from a week to one of its days
     keeps that day's cell, which is then not mounted again. */
  function focusableFirstColumn(element) {
    element.querySelectorAll(".fc-timegrid-col[data-date]").forEach(function (column, index) {
      column.tabIndex = index === 0 ? 0 : -1;
    });
  }

  /* Today and the "now" line in the organisation's time zone: without a time-zone plugin
     FullCalendar reads the wall-clock times it is given as they are (the events come that way)
     but takes "now" from the browser's UTC clock, which after 19:00 in Iqaluit is tomorrow. */
  function wallClockIn(zone) {
    return new Date().toLocaleString("sv-SE", { timeZone: zone, hour12: false }).replace(" ", "T");
  }

  document.addEventListener("DOMContentLoaded", function () {
    var element = document.getElementById("calendar");
    if (!element) { return; }
    colourLegend(JSON.parse(element.dataset.colours));
    if (typeof FullCalendar === "undefined") { return; }
    var mayCreate = element.dataset.mayCreate === "1", mayEdit = element.dataset.mayEdit === "1";
    var colours = JSON.parse(element.dataset.colours), recordUrls = JSON.parse(element.dataset.recordUrls);
    var owner = document.getElementById("calendar-owner");
    var calendar = new FullCalendar.Calendar(element, {
      initialView: "timeGridWeek",
      locale: element.dataset.locale,
      timeZone: element.dataset.timezone,
      now: function () { return wallClockIn(element.dataset.timezone); },
      dayMaxEvents: true,
      headerToolbar: { left: "prev,next today", center: "title", right: "timeGridDay,timeGridWeek,dayGridMonth" },
      events: {  /* whose activities: the select above the calendar */
        url: element.dataset.events,
        extraParams: function () { return { owner: owner ? owner.value : "" }; }
      },
      editable: mayEdit,
      selectable: mayCreate,
      nowIndicator: true,
      eventDataTransform: function (event) {  /* colour, address and what may change, from the kind */
        if (!recordUrls[event.kind]) { return event; }  /* another module's item: its own url, read-only */
        event.color = colours[event.kind];
        event.url = recordUrls[event.kind].replace("{}", event.recordId);
        if (event.kind === "task") { event.durationEditable = false; }
        return event;
      },
      select: function (info) {  /* a click or a drag over slots: a meeting at that time */
        var start = info.allDay ? info.startStr + "T09:00" : info.startStr;
        var minutes = info.allDay ? 60 : Math.max((info.end - info.start) / 60000, 60);
        window.location.href = element.dataset.newMeeting + "&start=" + encodeURIComponent(formInput(start, 0)) +
          "&end=" + encodeURIComponent(formInput(start, minutes));
      },
      eventDrop: function (info) { reschedule(info, element); },
      eventResize: function (info) { reschedule(info, element); },
      dayCellDidMount: unnameDayCell,
      // "+2 more" is an <a> without href that opens a popover: a button, so that its aria-expanded is allowed
      moreLinkDidMount: function (info) { info.el.setAttribute("role", "button"); },
      datesSet: function () { nameArrows(element); focusableFirstColumn(element); }
    });
    calendar.render();
    if (owner) { owner.addEventListener("change", function () { calendar.refetchEvents(); }); }
  });
})();
