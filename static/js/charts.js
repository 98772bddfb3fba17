/* Draws every figure on the page with the local plotly.js.
 *
 * A figure is a <script type="application/json" id="…"> block (written by Django's
 * json_script) and an element with data-figure="<that id>". The world topology is
 * preloaded from our own static files, so plotly.js never asks its CDN for it.
 * Clicking a point opens its customdata: a page of this site, a source, or an
 * anchor on this page.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var nodes = Array.prototype.slice.call(document.querySelectorAll("[data-figure]"));
  if (!nodes.length || !window.Plotly) {
    return;
  }
  var config = {
    displaylogo: false,
    responsive: true,
    displayModeBar: false,
    scrollZoom: false,
    topojsonURL: script.dataset.topojsonBase
  };

  function readFigure(node) {
    var holder = document.getElementById(node.dataset.figure);
    return holder ? JSON.parse(holder.textContent) : null;
  }

  function isGeo(figure) {
    return figure.data.some(function (trace) {
      return trace.type === "choropleth" || trace.type === "scattergeo";
    });
  }

  function follow(url) {
    if (typeof url !== "string" || !url) {
      return;
    }
    if (url.charAt(0) === "#") {
      var target = document.getElementById(url.slice(1));
      if (target) {
        target.scrollIntoView();
        target.focus({preventScroll: true});
      }
    } else if (/^(https?:\/\/|\/)/.test(url)) {
      window.location.href = url;
    }
  }

  function draw(node, figure) {
    node.classList.add("chart-drawn");
    return Plotly.newPlot(node, figure.data, figure.layout, config).then(function (gd) {
      gd.on("plotly_click", function (event) {
        var point = event && event.points && event.points[0];
        if (point) {
          follow(point.customdata);
        }
      });
    });
  }

  function loadTopology() {
    if (window.PlotlyGeoAssets && window.PlotlyGeoAssets.topojson) {
      return Promise.resolve();
    }
    return fetch(script.dataset.topojson, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) {
          throw new Error("map outline: HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (topology) {
        window.PlotlyGeoAssets = {topojson: {world_110m: topology}};
      });
  }

  function fail(node, error) {
    node.classList.add("chart-failed");
    node.textContent = "The chart could not be drawn; the table below has the same data.";
    if (window.console) {
      console.warn(error);
    }
  }

  var figures = nodes.map(readFigure);
  var needsMap = figures.some(function (f) { return f && isGeo(f); });
  var ready = needsMap ? loadTopology() : Promise.resolve();
  nodes.forEach(function (node, i) {
    if (!figures[i]) {
      return;
    }
    ready.then(function () { return draw(node, figures[i]); })
      .catch(function (error) { fail(node, error); });
  });

  // STAND-IN from branch i11-year (year slider) until the map branch's
  // TrackerCharts.redraw lands: the integrator keeps theirs and drops this block.
  window.TrackerCharts = window.TrackerCharts || {};
  window.TrackerCharts.redraw = window.TrackerCharts.redraw || function (node) {
    var figure = readFigure(node);
    return figure && ready.then(function () {
      return Plotly.react(node, figure.data, figure.layout, config);
    });
  };
})();
