// The filter form: submitted without its empty fields (or a sort left at its
// default), so a shared URL carries only the filters in use; and folded behind its
// "Filters (n active)" summary on phones. Without JS the form stays open and the
// server redirects away the empty parameters.
(function () {
  "use strict";
  var NARROW = window.matchMedia("(max-width: 40rem)");

  function unused(field) {
    if (!field.name || field.disabled) return false;
    var value = (field.value || "").trim();
    return value === "" || (field.dataset.default !== undefined && value === field.dataset.default);
  }

  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      Array.prototype.forEach.call(form.elements, function (field) {
        if (unused(field)) {
          field.disabled = true;
          field.setAttribute("data-unused", "");
        }
      });
    });
  });

  // Back from the results (bfcache): give the fields back.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters [data-unused]").forEach(function (field) {
      field.disabled = false;
      field.removeAttribute("data-unused");
    });
  });

  var panels = document.querySelectorAll("details.filter-panel");
  function fit() {
    panels.forEach(function (panel) {
      if (!NARROW.matches) panel.open = true; // the summary is hidden on wide screens
    });
  }
  panels.forEach(function (panel) {
    if (NARROW.matches && !panel.hasAttribute("data-keep-open")) panel.open = false;
  });
  if (NARROW.addEventListener) NARROW.addEventListener("change", fit);
})();
