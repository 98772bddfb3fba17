/* "Chart | Table" switches (templates/includes/chart_table_toggle.html).
 *
 * Without this script both the chart and its table are shown and the switch stays
 * hidden. With it, the switch appears, the chart shows first, and the table is one
 * button away; each button says whether it is pressed.
 */
(function () {
  "use strict";

  if (window.viewToggleReady) {
    return; // the include may appear more than once on a page
  }
  window.viewToggleReady = true;

  function panels(group) {
    return {
      chart: document.getElementById(group.dataset.chart),
      table: document.getElementById(group.dataset.table)
    };
  }

  function show(group, view) {
    var found = panels(group);
    if (!found.chart || !found.table) {
      return;
    }
    found.chart.hidden = view !== "chart";
    found.table.hidden = view !== "table";
    group.querySelectorAll("button[data-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.view === view));
    });
    if (view === "chart") {
      // A chart drawn or resized while hidden has no size: let plotly.js measure again.
      window.dispatchEvent(new Event("resize"));
    }
  }

  function setUp() {
    document.querySelectorAll("[data-view-toggle]").forEach(function (group) {
      group.hidden = false;
      group.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-view]");
        if (button) {
          show(group, button.dataset.view);
        }
      });
      show(group, "chart");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
