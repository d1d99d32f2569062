// Report builder: choosing a module reloads the form, the custom period shows its dates, and a
// grouped report's chart is drawn with Chart.js from the data the server computed.
(function () {
  "use strict";

  function drawChart(canvas) {
    const data = JSON.parse(canvas.dataset.chart);
    const pie = data.type === "pie";
    new window.Chart(canvas, {
      type: data.type,
      data: {labels: data.labels, datasets: data.datasets},
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {legend: {display: pie || data.datasets.length > 1}, title: {display: true, text: data.title}},
        scales: pie ? {} : {y: {beginAtZero: true, ticks: {precision: 0}}},
      },
    });
    canvas.dataset.drawn = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-submit-on-change]").forEach(function (select) {
      select.addEventListener("change", function () {
        window.location.href = select.form.action + "?entity=" + encodeURIComponent(select.value);
      });
    });
    const period = document.querySelector("[data-period]");
    const custom = document.querySelector("[data-custom-period]");
    if (period && custom) {
      period.addEventListener("change", function () { custom.hidden = period.value !== "custom"; });
    }
    const canvas = document.getElementById("report-chart-canvas");
    if (canvas && window.Chart) { drawChart(canvas); }
  });
})();
