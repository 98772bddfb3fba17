/* Download a chart as PNG or SVG with its title, subtitle, source line and the
 * site's name and address drawn in, and copy links and embed snippets.
 *
 * Each `.chart-strip[data-strip-for=ID]` sits under the chart whose figure JSON is
 * the <script id=ID> block. The image is drawn by plotly.js from that figure in a
 * detached element, so nothing leaves the browser.
 */
(function () {
  "use strict";

  var strips = Array.prototype.slice.call(document.querySelectorAll(".chart-strip"));
  if (!strips.length) {
    return;
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
        text: "<b>" + plain(strip.dataset.title) + "</b>",
        subtitle: {text: plain(strip.dataset.subtitle), font: {size: 13}},
        x: 0.01, xanchor: "left", y: 0.97, yanchor: "top", font: {size: 20}
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
      say(strip, "The chart is not ready; try again in a moment.");
      return;
    }
    var size = [1200, 720];
    var name = (strip.dataset.name || "chart") + "-" + new Date().toISOString().slice(0, 10);
    say(strip, "Preparing the " + format.toUpperCase() + "…");
    Plotly.downloadImage(captioned(figure, strip, size[0], size[1]), {
      format: format, width: size[0], height: size[1], filename: name
    }).then(function () {
      say(strip, "Downloaded " + name + "." + format + ".");
    }).catch(function (error) {
      say(strip, "The image could not be made: " + error);
    });
  }

  function copy(button) {
    var field = button.parentNode.querySelector(".share-url");
    var text = field.value;
    var strip = button.closest(".chart-strip");
    var done = function () { say(strip, "Copied to the clipboard."); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {
        field.select();
        say(strip, "Press Ctrl+C (or ⌘C) to copy the selected text.");
      });
    } else {
      field.select();
      say(strip, document.execCommand && document.execCommand("copy") ?
        "Copied to the clipboard." : "Press Ctrl+C (or ⌘C) to copy the selected text.");
    }
  }

  strips.forEach(function (strip) {
    Array.prototype.forEach.call(strip.querySelectorAll(".needs-js"), function (node) {
      node.hidden = false;
    });
    strip.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) {
        return;
      }
      if (button.dataset.download) {
        download(strip, button.dataset.download);
      } else if (button.classList.contains("copy")) {
        copy(button);
      }
    });
    Array.prototype.forEach.call(strip.querySelectorAll(".share-url"), function (field) {
      field.addEventListener("focus", function () { field.select(); });
    });
  });

  // The year slider rewrites the address; links and embeds follow it.
  window.addEventListener("tracker:viewchange", function (event) {
    strips.forEach(function (strip) {
      strip.dataset.permalink = location.href;
      var link = strip.querySelector(".share-link .share-url");
      if (link) {
        link.value = location.href;
      }
      var embed = strip.querySelector(".share-embed .share-url");
      if (embed && event.detail && event.detail.query !== undefined) {
        embed.value = embed.value.replace(/(src="[^"?]*)(\?[^"]*)?"/,
          "$1" + (event.detail.query ? "?" + event.detail.query : "") + '"');
      }
    });
  });
})();
