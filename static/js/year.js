/* The map through time: the year slider on the home page
 * (templates/includes/year_slider.html).
 *
 * Without this script the slider is a plain form: "Show" loads /?year=Y. With it,
 * moving the slider (mouse, touch, or arrow keys one year at a time) fetches
 * /?year=Y with the other filters kept, swaps in that page's year-dependent parts
 * (every element with data-year-part and an id, and the map's figure JSON), redraws
 * the map with window.TrackerCharts.redraw, puts the URL in the address bar
 * (history.replaceState) and announces "Showing Y". A newer request aborts the
 * previous one; a failed one keeps the previous view and says so. Play steps one
 * year at a time up to the last year; the map is redrawn without animation, and
 * with prefers-reduced-motion each year stays on screen longer.
 */
(function () {
  "use strict";

  var form = document.getElementById("year-form");
  if (!form || !window.fetch || !window.DOMParser || !window.URLSearchParams) {
    return;
  }
  var input = document.getElementById("year-input");
  var output = document.getElementById("year-output");
  var live = document.getElementById("year-live");
  var failure = document.getElementById("year-fail");
  var play = document.getElementById("year-play");
  var reduced = window.matchMedia &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var stepMs = reduced ? 2500 : 1200;
  var shown = input.value;
  var controller = null;
  var debounce = null;
  var timer = null;
  var playing = false;

  function urlFor(year) {
    var params = new URLSearchParams(window.location.search);
    var kept = new URLSearchParams();
    params.forEach(function (value, name) {
      // No empty parameters, no stale page number; the year goes last.
      if (value !== "" && name !== "year" && name !== "page") {
        kept.append(name, value);
      }
    });
    kept.append("year", year);
    return window.location.pathname + "?" + kept.toString();
  }

  function swap(doc) {
    var parts = document.querySelectorAll("[data-year-part][id]");
    Array.prototype.forEach.call(parts, function (part) {
      var fresh = doc.getElementById(part.id);
      if (fresh) {
        part.replaceWith(document.importNode(fresh, true));
      }
    });
    var help = doc.getElementById("year-help");
    if (help) {
      document.getElementById("year-help").innerHTML = help.innerHTML;
    }
    var latest = document.getElementById("year-latest");
    latest.removeAttribute("aria-current");
    document.title = doc.title;
    redrawMap(doc);
  }

  function redrawMap(doc) {
    var holder = document.getElementById("fig-map");
    var fresh = doc.getElementById("fig-map");
    var node = document.querySelector('[data-figure="fig-map"]');
    if (!holder || !fresh || !node) {
      return;
    }
    holder.textContent = fresh.textContent;
    var freshNode = doc.querySelector('[data-figure="fig-map"]');
    if (freshNode) {
      node.setAttribute("aria-label", freshNode.getAttribute("aria-label") || "");
    }
    if (window.TrackerCharts && window.TrackerCharts.redraw) {
      window.TrackerCharts.redraw(node);
    }
  }

  function fail(year, error) {
    failure.textContent = window.trackerText(
      "mapFailed", {year: year, error: error.message, shown: shown});
    failure.hidden = false;
    input.value = shown;
    output.textContent = shown;
    pause();
  }

  function show(year) {
    output.textContent = year;
    if (controller) {
      controller.abort();
    }
    var mine = controller = new AbortController();
    var url = urlFor(year);
    return fetch(url, {
      credentials: "same-origin",
      signal: mine.signal,
      headers: {Accept: "text/html"}
    }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text();
    }).then(function (html) {
      if (mine !== controller) {
        return;
      }
      swap(new DOMParser().parseFromString(html, "text/html"));
      history.replaceState(history.state, "", url);
      // Links, embeds and citations under the charts follow the new address.
      window.dispatchEvent(new CustomEvent("tracker:viewchange", {
        detail: {query: location.search.replace(/^\?/, "")}
      }));
      shown = String(year);
      failure.hidden = true;
      live.textContent = window.trackerText("showing", {year: year});
    }).catch(function (error) {
      if (error.name !== "AbortError") {
        fail(year, error);
      }
    });
  }

  input.addEventListener("input", function (event) {
    if (event.isTrusted) {
      pause();
    }
    output.textContent = input.value;
    window.clearTimeout(debounce);
    // Dragging fires many input events: fetch the year the pointer settles on.
    debounce = window.setTimeout(function () { show(input.value); }, 150);
  });

  function step() {
    if (!playing) {
      return;
    }
    var year = Number(input.value);
    if (year >= Number(input.max)) {
      pause();
      return;
    }
    input.value = year + 1;
    show(String(year + 1)).then(function () {
      if (playing) {
        timer = window.setTimeout(step, stepMs);
      }
    });
  }

  function setPlaying(on) {
    playing = on;
    play.setAttribute("aria-pressed", on ? "true" : "false");
    play.textContent = window.trackerText(on ? "pause" : "play");
  }

  function pause() {
    window.clearTimeout(timer);
    setPlaying(false);
  }

  play.addEventListener("click", function () {
    if (playing) {
      pause();
      return;
    }
    if (Number(input.value) >= Number(input.max)) {
      input.value = input.min;  // from the start when at the last year
      show(input.value);
    }
    setPlaying(true);
    timer = window.setTimeout(step, stepMs);
  });
  play.hidden = false;
})();
