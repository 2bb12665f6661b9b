// The region map on the RBOP dashboard: a click on a municipality opens its plan page.
// Mouse only by design: keyboard and screen-reader users follow the same links in the table
// next to the map, so the map itself adds no tab stops.
(function () {
  "use strict";
  var map = document.querySelector("[data-map]");
  if (!map) {
    return;
  }
  map.addEventListener("click", function (event) {
    var area = event.target.closest ? event.target.closest("[data-href]") : null;
    if (area) {
      window.location.assign(area.getAttribute("data-href"));
    }
  });
})();
