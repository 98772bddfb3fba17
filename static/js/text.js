/* The words our scripts write into the page, in the page's language: the JSON block
 * #tracker-text (countries_tags.js_messages). trackerText(key, {name: value}) fills
 * %(name)s placeholders; a missing block or key falls back to the English here. */
(function () {
  "use strict";

  var ENGLISH = {
    open: "Open →",
    openSource: "Open source ↗",
    pointDetails: "Point details",
    close: "Close",
    chartFailed: "The chart could not be drawn; the table below has the same data.",
    notReady: "The chart is not ready; try again in a moment.",
    preparing: "Preparing the %(format)s…",
    downloaded: "Downloaded %(file)s.",
    imageFailed: "The image could not be made: %(error)s",
    copied: "Copied to the clipboard.",
    pressCopy: "Press Ctrl+C (or ⌘C) to copy the selected text.",
    mapFailed: "The map for %(year)s could not be loaded (%(error)s). Still showing %(shown)s.",
    showing: "Showing %(year)s",
    play: "Play",
    pause: "Pause"
  };
  var holder = document.getElementById("tracker-text");
  var page = holder ? JSON.parse(holder.textContent) : {};

  window.trackerText = function (key, values) {
    var text = page[key] || ENGLISH[key] || key;
    return text.replace(/%\((\w+)\)s/g, function (_, name) {
      return values && name in values ? String(values[name]) : "";
    });
  };
})();
