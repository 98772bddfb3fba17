/* Download a chart as PNG or SVG with its title, subtitle, source line and the
 * site's name and address drawn in, and copy links and embed snippets.
 *
 * Each `.chart-strip[data-strip-for=ID]` sits under the chart whose figure JSON is
 * the <script id=ID> block. The image is drawn by plotly.js from that figure in a
 * detached element, so nothing leaves the browser.
 */
(function () {
  "use strict";

  // Strips may be swapped in later (the year slider), so events are delegated.
  function reveal() {
    Array.prototype.forEach.call(document.querySelectorAll(".chart-strip .needs-js"),
      function (node) { node.hidden = false; });
  }

  function say(strip, text) {
    var status = strip.querySelector(".strip-status");
    if (status) {
      status.textContent = text;
    }
  }

  function figureOf(strip) {
    var holder = document.getElementById(strip.dataset.stripFor);
    return holder ? JSON.parse(holder.textContent) : null;
  }

  function captioned(figure, strip, width, height) {
    var layout = Object.assign({}, figure.layout, {
      width: width,
      height: height,
      paper_bgcolor: "#ffffff",
      showlegend: figure.layout.showlegend,
      title: {
        text: plain(strip.dataset.title),
        subtitle: {text: plain(strip.dataset.subtitle), font: {size: 13}},
        x: 0.01, xanchor: "left", y: 0.97, yanchor: "top", font: {size: 20, weight: 700}
      },
      margin: Object.assign({}, figure.layout.margin || {}, {t: 90, b: 110})
    });
    var notes = (figure.layout.annotations || []).slice();
    notes.push({
      xref: "paper", yref: "paper", x: 0, y: 0, xanchor: "left", yanchor: "top",
      yshift: -60, showarrow: false, align: "left", font: {size: 12},
      text: plain(strip.dataset.source)
    });
    notes.push({
      xref: "paper", yref: "paper", x: 1, y: 0, xanchor: "right", yanchor: "top",
      yshift: -84, showarrow: false, font: {size: 12, color: "#57606a"},
      text: "Cuban Medical Missions Tracker · " + plain(strip.dataset.permalink)
    });
    layout.annotations = notes;
    return {data: figure.data, layout: layout};
  }

  // Text for plotly's HTML-like labels: entities only, never markup from data.
  function plain(text) {
    return String(text || "").replace(/&/g, "&amp;").replace(/</g, "&lt;")
      .replace(/>/g, "&gt;");
  }

  function download(strip, format) {
    var figure = figureOf(strip);
    if (!figure || !window.Plotly) {
      say(strip, window.trackerText("notReady"));
      return;
    }
    var size = [1200, 720];
    var name = (strip.dataset.name || "chart") + "-" + new Date().toISOString().slice(0, 10);
    say(strip, window.trackerText("preparing", {format: format.toUpperCase()}));
    Plotly.toImage(captioned(figure, strip, size[0], size[1]), {
      format: format, width: size[0], height: size[1]
    }).then(function (url) {
      save(url, name + "." + format);
      say(strip, window.trackerText("downloaded", {file: name + "." + format}));
    }).catch(function (error) {
      say(strip, window.trackerText("imageFailed", {error: error}));
    });
  }

  // A data: URL from plotly.js, saved through a temporary link.
  function save(url, filename) {
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { link.remove(); }, 0);
  }

  function copy(button) {
    var field = button.parentNode.querySelector(".share-url");
    var text = field.value;
    var strip = button.closest(".chart-strip");
    var done = function () { say(strip, window.trackerText("copied")); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        field.select();
        say(strip, window.trackerText("pressCopy"));
      });
    } else {
      field.select();
      say(strip, document.execCommand && document.execCommand("copy") ?
        window.trackerText("copied") : window.trackerText("pressCopy"));
    }
  }

  reveal();
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".chart-strip button");
    if (!button) {
      return;
    }
    var strip = button.closest(".chart-strip");
    if (button.dataset.download) {
      download(strip, button.dataset.download);
    } else if (button.classList.contains("copy")) {
      copy(button);
    }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches(".chart-strip .share-url")) {
      event.target.select();
    }
  });
  // The year slider swaps the strips for the new year's: show their buttons.
  window.addEventListener("tracker:viewchange", reveal);
})();
