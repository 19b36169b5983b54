// Draws every chart on the page. Figure data reaches the page through Django's json_script
// (never inline script), so labels from the database are data, not markup. A chart marked
// data-clickable follows the address a bar carries in customdata (its subject page).
(function () {
  "use strict";

  function follow(event) {
    var point = event && event.points && event.points[0];
    var target = point && point.customdata;
    if (typeof target === "string" && target.charAt(0) === "/") {
      window.location.href = target;
    }
  }

  function draw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll("[data-figure]").forEach(function (element) {
      var source = document.getElementById(element.getAttribute("data-figure"));
      if (!source) { return; }
      var figure = JSON.parse(source.textContent);
      // On a phone an amount axis (level labels, tickangle 0) keeps three labels: five
      // four-digit amounts do not fit side by side under a plot 150 px wide.
      if (element.clientWidth < 480) {
        ["xaxis", "yaxis"].forEach(function (name) {
          var axis = figure.layout[name];
          if (axis && axis.tickangle === 0 && axis.nticks) { axis.nticks = 3; }
        });
      }
      // No toolbar: its buttons would offer to upload the chart to Plotly Cloud, speak
      // English, cover the legend on phones and take keyboard focus inside role="img". Every
      // chart has its table and CSV beside it.
      window.Plotly.newPlot(element, figure.data, figure.layout, {
        responsive: true,
        displayModeBar: false,
        displaylogo: false,
        showSendToCloud: false
      }).then(function () {
        element.setAttribute("data-drawn", "true");
        if (element.hasAttribute("data-clickable")) {
          element.on("plotly_click", follow);
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
