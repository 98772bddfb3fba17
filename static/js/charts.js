/* Draws every figure on the page with the local plotly.js.
 *
 * A figure is a <script type="application/json" id="…"> block (written by Django's
 * json_script) and an element with data-figure="<that id>". The world topology is
 * preloaded from our own hashed static file, so plotly.js never fetches it again.
 *
 * Clicks, the same on every chart: a point's customdata is {"links": [{text, href}]},
 * the first link its primary action. A click or tap pins a box with the point's
 * hover text and its links; a second click or tap on the same point follows the
 * primary link. Site pages ("/…") open in this tab, sources ("http…") in a new one.
 * Escape or the close button dismisses the box.
 *
 * The map's region presets zoom the geo; its title and legend counts follow the
 * figure's layout.meta. window.TrackerCharts.redraw(node) re-reads a node's figure
 * JSON and redraws it (the year slider swaps the JSON, then calls it).
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
  // Spanish pages load plotly.js's "es" locale (month and day names) and write numbers
  // as the rest of the page does (Django's Spanish formats): 1 234,5, a no-break space.
  var LANG = document.documentElement.lang || "en";
  if (LANG !== "en") {
    config.locale = LANG;
  }
  var SEPARATORS = LANG === "es" ? ",\u00a0" : null;
  var pinned = null;

  function readFigure(node) {
    var holder = document.getElementById(node.dataset.figure);
    var figure = holder ? shareMarkerHover(JSON.parse(holder.textContent)) : null;
    if (figure && SEPARATORS) {
      figure.layout = figure.layout || {};
      figure.layout.separators = figure.layout.separators || SEPARATORS;
    }
    return figure;
  }

  // The map sends a country's tooltip and links once, on its marker (a trace with
  // ids), and null on its shape: copy them to the shape before drawing.
  function shareMarkerHover(figure) {
    var byId = {};
    figure.data.forEach(function (trace) {
      (trace.ids || []).forEach(function (id, i) {
        byId[id] = {text: (trace.hovertext || [])[i], data: (trace.customdata || [])[i]};
      });
    });
    figure.data.forEach(function (trace) {
      if (trace.type !== "choropleth" || !trace.locations) {
        return;
      }
      trace.locations.forEach(function (id, i) {
        var shared = byId[id];
        if (shared && trace.hovertext && trace.hovertext[i] === null) {
          trace.hovertext[i] = shared.text;
        }
        if (shared && trace.customdata && trace.customdata[i] === null) {
          trace.customdata[i] = shared.data;
        }
      });
    });
    return figure;
  }

  function isGeo(figure) {
    return figure.data.some(function (trace) {
      return trace.type === "choropleth" || trace.type === "scattergeo";
    });
  }

  /* The links of a point, from the contract shape or a bare URL (older figures). */
  function linksOf(customdata) {
    if (customdata && Array.isArray(customdata.links)) {
      return customdata.links.filter(function (l) {
        return l && typeof l.href === "string" && /^(https?:\/\/|\/|#)/.test(l.href);
      });
    }
    if (typeof customdata === "string" && /^(https?:\/\/|\/|#)/.test(customdata)) {
      var outside = /^http/.test(customdata);
      return [{text: window.trackerText(outside ? "openSource" : "open"), href: customdata}];
    }
    return [];
  }

  // In an embed (a page framed by another site), our pages open in a new tab: they
  // refuse to be framed themselves.
  var FRAMED = window.self !== window.top;

  function follow(href) {
    if (href.charAt(0) === "#") {
      var target = document.getElementById(href.slice(1));
      if (target) {
        target.scrollIntoView();
        target.focus({preventScroll: true});
      }
    } else if (href.charAt(0) === "/" && !FRAMED) {
      window.location.href = href;
    } else {
      window.open(href, "_blank", "noopener");
    }
  }

  /* Hover text is plotly's HTML subset with user text escaped: parse it inertly and
   * keep only its text, one entry per <br> line. */
  function hoverLines(point) {
    var text = point.hovertext;
    if (text === undefined && point.data && Array.isArray(point.data.hovertext)) {
      text = point.data.hovertext[point.pointNumber];
    }
    if (typeof text !== "string") {
      return [];
    }
    return plainText(text.replace(/<br\s*\/?>/gi, "\n")).split("\n").filter(
      function (line) { return line.trim(); }
    );
  }

  function plainText(html) {
    return new DOMParser().parseFromString(html, "text/html").body.textContent || "";
  }

  function unpin(restoreFocus) {
    if (!pinned) {
      return;
    }
    var old = pinned;
    pinned = null;
    old.box.remove();
    document.removeEventListener("keydown", onKey);
    if (restoreFocus && old.returnTo && document.contains(old.returnTo)) {
      old.returnTo.focus({preventScroll: true});
    }
  }

  function onKey(event) {
    if (event.key === "Escape") {
      unpin(true);
    }
  }

  function buildBox(lines, links) {
    var box = document.createElement("div");
    box.className = "chart-pin";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", lines[0] || window.trackerText("pointDetails"));
    box.tabIndex = -1;
    lines.forEach(function (line) {
      var p = document.createElement("p");
      p.textContent = line;
      box.appendChild(p);
    });
    var list = document.createElement("ul");
    links.forEach(function (l) {
      var item = document.createElement("li");
      var a = document.createElement("a");
      a.href = l.href;
      a.textContent = plainText(l.text);
      if (/^http/.test(l.href) || FRAMED) {
        a.target = "_blank";
        a.rel = "noopener";
      }
      item.appendChild(a);
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "pin-close";
    close.setAttribute("aria-label", window.trackerText("close"));
    close.textContent = "×";
    close.addEventListener("click", function () { unpin(true); });
    box.appendChild(close);
    return box;
  }

  function place(node, box, event) {
    var rect = node.getBoundingClientRect();
    var x = rect.width / 2;
    var y = rect.height / 2;
    var source = event && (event.changedTouches ? event.changedTouches[0] : event);
    if (source && typeof source.clientX === "number") {
      x = source.clientX - rect.left;
      y = source.clientY - rect.top;
    }
    // Never over the point itself, so a second tap on it reaches plotly: beside it
    // where there is room, otherwise below it (the box may overflow the chart).
    var w = box.offsetWidth;
    var h = box.offsetHeight;
    var left, top;
    if (x + 14 + w <= rect.width || x - 14 - w >= 0) {
      left = x + 14 + w <= rect.width ? x + 14 : x - 14 - w;
      top = Math.max(0, Math.min(y - h / 2, rect.height - h));
    } else {
      left = Math.max(0, Math.min(x - w / 2, rect.width - w));
      top = y + 14;
    }
    box.style.left = left + "px";
    box.style.top = top + "px";
  }

  function onClick(node, event) {
    var point = event && event.points && event.points[0];
    if (!point) {
      return;
    }
    var links = linksOf(point.customdata);
    if (!links.length) {
      return;
    }
    var key = links[0].href;
    if (pinned && pinned.node === node && pinned.key === key) {
      unpin(false);
      follow(key);
      return;
    }
    var returnTo = pinned ? pinned.returnTo : document.activeElement;
    unpin(false);
    var box = buildBox(hoverLines(point), links);
    node.appendChild(box);
    place(node, box, event.event);
    pinned = {node: node, key: key, box: box, returnTo: returnTo};
    document.addEventListener("keydown", onKey);
    box.focus({preventScroll: true});
  }

  /* The map's title and legend counts, from the figure's layout.meta. */
  function syncMeta(node, figure) {
    var meta = figure.layout && figure.layout.meta;
    if (!meta) {
      return;
    }
    var id = node.dataset.figure;
    var title = document.querySelector('[data-map-title="' + id + '"]');
    if (title && meta.title) {
      title.textContent = meta.title;
    }
    var legend = document.querySelector('[data-map-legend="' + id + '"]');
    var entries = (meta.legend || []).concat([{key: "dated", count: meta.dated}]);
    entries.forEach(function (entry) {
      var count = legend && legend.querySelector('[data-key="' + entry.key + '"] .count');
      if (count && typeof entry.count === "number") {
        count.textContent = "(" + entry.count + ")";
      }
    });
  }

  /* Region presets: lon/lat ranges on the geo, the world one restoring the figure's. */
  function presetUpdate(button) {
    var lon = button.dataset.lon.split(",").map(Number);
    var lat = button.dataset.lat.split(",").map(Number);
    return {
      "geo.fitbounds": false,
      "geo.lonaxis.range": lon,
      "geo.lataxis.range": lat,
      "geo.center.lon": (lon[0] + lon[1]) / 2,
      "geo.center.lat": (lat[0] + lat[1]) / 2,
      "geo.projection.rotation.lon": (lon[0] + lon[1]) / 2,
      "geo.projection.scale": 1
    };
  }

  function presetGroup(node) {
    return document.querySelector('[data-map-presets="' + node.dataset.figure + '"]');
  }

  function choosePreset(node, button) {
    var group = presetGroup(node);
    group.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", b === button ? "true" : "false");
    });
    node.dataset.preset = button.dataset.preset;
    unpin(false);
    return Plotly.relayout(node, presetUpdate(button));
  }

  function setUpPresets(node, figure) {
    var group = presetGroup(node);
    if (!group) {
      return;
    }
    if (figure.layout.geo && figure.layout.geo.fitbounds) {
      // A filtered map starts zoomed to its countries, not on any preset.
      group.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", "false");
      });
    }
    group.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-preset]");
      if (button) {
        choosePreset(node, button);
      }
    });
    group.hidden = false;
  }

  function reapplyPreset(node) {
    var group = presetGroup(node);
    var key = node.dataset.preset;
    var button = group && key && group.querySelector('[data-preset="' + key + '"]');
    return button ? Plotly.relayout(node, presetUpdate(button)) : null;
  }

  function draw(node, figure) {
    node.classList.add("chart-drawn");
    return Plotly.newPlot(node, figure.data, figure.layout, config).then(function (gd) {
      gd.on("plotly_click", function (event) { onClick(node, event); });
      syncMeta(node, figure);
      if (isGeo(figure)) {
        setUpPresets(node, figure);
      }
    });
  }

  function redraw(node) {
    var figure = readFigure(node);
    if (!figure) {
      return Promise.resolve();
    }
    if (pinned && pinned.node === node) {
      unpin(false);
    }
    return Plotly.react(node, figure.data, figure.layout, config).then(function () {
      syncMeta(node, figure);
      return reapplyPreset(node);
    });
  }

  /* plotly.js sets PlotlyGeoAssets = {topojson: {}} when it loads, so the outline
   * is there only once its own key is. */
  function loadTopology() {
    var assets = window.PlotlyGeoAssets;
    if (assets && assets.topojson && assets.topojson.world_110m) {
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
        window.PlotlyGeoAssets = window.PlotlyGeoAssets || {};
        window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
        window.PlotlyGeoAssets.topojson.world_110m = topology;
      });
  }

  function fail(node, error) {
    node.classList.add("chart-failed");
    node.textContent = window.trackerText("chartFailed");
    if (window.console) {
      console.warn(error);
    }
  }

  window.TrackerCharts = {redraw: redraw};

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

})();
