// Draws every chart on the page. Figure data reaches the page through Django's json_script
// (never inline script), so labels from the database are data, not markup. A chart marked
// data-clickable follows the address a bar carries in customdata (its subject page).
//
// plotly.js (the bundle named by this script tag's data-plotly, ~390 KB gzipped) is fetched
// only when a chart comes within a screen of the viewport: on a slow phone the text and tables
// show first and a visitor who never scrolls to a chart never pays for it.
(function () {
  "use strict";

  var bundle = document.currentScript && document.currentScript.getAttribute("data-plotly");
  var loading = null;

  function plotly() {
    if (window.Plotly) { return Promise.resolve(window.Plotly); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = bundle;
        script.async = true;
        script.addEventListener("load", function () { resolve(window.Plotly); });
        script.addEventListener("error", function () {
          loading = null;  // a later chart tries again (a dropped connection on a train)
          reject(new Error("plotly.js did not load: " + bundle));
        });
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function follow(event) {
    var point = event && event.points && event.points[0];
    var target = point && point.customdata;
    if (typeof target === "string" && target.charAt(0) === "/") {
      window.location.href = target;
    }
  }

  function figureOf(element) {
    var source = document.getElementById(element.getAttribute("data-figure"));
    return source ? JSON.parse(source.textContent) : null;
  }

  function draw(Plotly, element) {
    var figure = figureOf(element);
    if (!figure) { return; }
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
    Plotly.newPlot(element, figure.data, figure.layout, {
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
  }

  function drawWhenLoaded(element) {
    plotly().then(function (Plotly) { draw(Plotly, element); }, function (error) {
      window.console.error(error.message);
    });
  }

  function charts() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  }

  // The chart's height is kept free before it is drawn, so the text below does not jump when
  // it appears (and the observer sees the box the chart will take).
  function reserve() {
    charts().forEach(function (element) {
      var figure = figureOf(element);
      if (figure && figure.layout && figure.layout.height) {
        element.style.minHeight = figure.layout.height + "px";
      }
    });
  }

  function observe() {
    var elements = charts();
    if (!elements.length || !bundle) { return; }
    if (!("IntersectionObserver" in window)) {
      elements.forEach(drawWhenLoaded);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          drawWhenLoaded(entry.target);
        }
      });
    }, { rootMargin: "100% 0px" });
    elements.forEach(function (element) { observer.observe(element); });
  }

  // The page's own files first and its text painted, then the charts: the observer starts
  // after the load event and the next frame (a deferred script runs once the stylesheet is
  // in, so that frame shows the page).
  function afterFirstPaint() {
    window.requestAnimationFrame(function () { window.setTimeout(observe, 0); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", reserve);
  } else {
    reserve();
  }
  if (document.readyState === "complete") {
    afterFirstPaint();
  } else {
    window.addEventListener("load", afterFirstPaint);
  }
})();
